//! The tools the build and the tests need, each installed only when missing or at the wrong version.
//!
//! Cargo-installed tools (trunk, wasm-bindgen) and the npm-installed wasm-opt go into one tools
//! folder that survives between runs (`~/.cache/lilong/tools`, or `$LILONG_TOOLS_DIR`), never into
//! `target/`; its `bin` folders are put first on the PATH given to trunk, so a different version
//! elsewhere on the machine is left alone. The wasm32 target goes through rustup; Chromium,
//! chromedriver, Node.js and a CJK font come from apt when running as root on Debian, and otherwise
//! the command stops and says what to install.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// trunk 0.22 needs a newer rustc than the project's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
/// The npm `binaryen` package; Debian's binaryen 108 emits modules the browser rejects. Trunk.toml
/// pins trunk to the same version (`[tools] wasm_opt`), so a wrong one on PATH fails the build.
pub const BINARYEN_VERSION: &str = "132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The npm `axe-core` package the accessibility tests inject into the page
/// (`<tools>/npm/node_modules/axe-core/axe.min.js`).
pub const AXE_VERSION: &str = "4.14";

/// The PATH and folders the build runs with once the tools are in place.
pub struct Toolchain {
    pub tools_dir: PathBuf,
    path: OsString,
}

impl Toolchain {
    pub fn new() -> Result<Toolchain, String> {
        let tools_dir = tools_dir()?;
        let mut dirs = vec![
            tools_dir.join("npm").join("node_modules").join(".bin"),
            tools_dir.join("cargo").join("bin"),
        ];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Toolchain { tools_dir, path })
    }

    /// A command that finds programs on the tools PATH first.
    pub fn command(&self, program: &str) -> Command {
        let program = self
            .which(program)
            .unwrap_or_else(|| PathBuf::from(program));
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }

    /// The first `program` on the tools PATH.
    pub fn which(&self, program: &str) -> Option<PathBuf> {
        std::env::split_paths(&self.path)
            .map(|dir| dir.join(program))
            .find(|p| is_executable(p))
    }

    /// `program args…` output (stdout, else stderr) when it runs and succeeds.
    fn probe(&self, program: &str, args: &[&str]) -> Option<String> {
        let out = self.command(program).args(args).output().ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if text.is_empty() {
            Some(String::from_utf8_lossy(&out.stderr).trim().to_string())
        } else {
            Some(text)
        }
    }
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Where tools are installed: `$LILONG_TOOLS_DIR`, else `$XDG_CACHE_HOME/lilong/tools`, else
/// `~/.cache/lilong/tools`.
pub fn tools_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("LILONG_TOOLS_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let cache = match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
            Some(home) => PathBuf::from(home).join(".cache"),
            None => return Err("neither LILONG_TOOLS_DIR, XDG_CACHE_HOME nor HOME is set: cannot choose a tools folder".into()),
        },
    };
    Ok(cache.join("lilong").join("tools"))
}

/// The cargo that runs this xtask (so the same toolchain builds everything).
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Everything `trunk build` needs: the wasm32 target, trunk, wasm-bindgen, wasm-opt.
pub fn ensure_build_tools() -> Result<Toolchain, String> {
    let tc = Toolchain::new()?;
    println!("tools folder: {}", tc.tools_dir.display());
    ensure_wasm_target()?;
    ensure_trunk(&tc)?;
    ensure_wasm_bindgen(&tc)?;
    ensure_wasm_opt(&tc)?;
    Ok(tc)
}

fn ok(what: &str, detail: &str) {
    println!("  ok  {what:<14} {detail}");
}

/// Runs an install command, printing it and how long it took.
fn install(what: &str, mut cmd: Command) -> Result<(), String> {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    println!("  ..  {what:<14} installing: {shown}");
    let start = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run the {what} install ({shown}): {e}"))?;
    if !status.success() {
        return Err(format!("installing {what} failed ({status}): {shown}"));
    }
    println!("  ok  {what:<14} installed in {:.0?}", start.elapsed());
    Ok(())
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match installed {
        Ok(out) if out.status.success() => {
            if String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET)
            {
                ok("wasm32 target", WASM_TARGET);
                return Ok(());
            }
            let mut cmd = Command::new("rustup");
            cmd.args(["target", "add", WASM_TARGET]);
            install("wasm32 target", cmd)
        }
        _ => {
            // No rustup: accept a toolchain that ships the target's standard library.
            let sysroot = Command::new("rustc").args(["--print", "sysroot"]).output();
            let has = sysroot
                .ok()
                .filter(|o| o.status.success())
                .is_some_and(|o| {
                    let root = String::from_utf8_lossy(&o.stdout).trim().to_string();
                    Path::new(&root)
                        .join("lib/rustlib")
                        .join(WASM_TARGET)
                        .is_dir()
                });
            if has {
                ok("wasm32 target", "present (no rustup)");
                Ok(())
            } else {
                Err(format!(
                    "the {WASM_TARGET} target is missing and rustup is not available: install it \
                     for your Rust toolchain (with rustup: `rustup target add {WASM_TARGET}`)"
                ))
            }
        }
    }
}

fn ensure_trunk(tc: &Toolchain) -> Result<(), String> {
    let want = format!("trunk {TRUNK_VERSION}");
    match tc.probe("trunk", &["--version"]) {
        Some(v) if v == want => {
            ok(
                "trunk",
                &format!("{TRUNK_VERSION} ({})", shown_path(tc, "trunk")),
            );
            return Ok(());
        }
        Some(v) => println!("  ..  trunk          found `{v}`, need {TRUNK_VERSION}"),
        None => println!("  ..  trunk          missing (takes ~9 minutes on 2 cores to build)"),
    }
    let mut cmd = Command::new(cargo());
    cmd.args([
        "install",
        "--locked",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--root",
    ])
    .arg(tc.tools_dir.join("cargo"));
    install("trunk", cmd)?;
    match tc.probe("trunk", &["--version"]) {
        Some(v) if v == want => Ok(()),
        other => Err(format!(
            "trunk was installed but `trunk --version` says {other:?}, not `{want}`"
        )),
    }
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock_path = crate::root().join("Cargo.lock");
    let text = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let lock: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", lock_path.display()))?;
    let packages = lock
        .get("package")
        .and_then(|p| p.as_array())
        .ok_or_else(|| format!("{}: no [[package]] entries", lock_path.display()))?;
    packages
        .iter()
        .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some("wasm-bindgen"))
        .find_map(|p| p.get("version").and_then(|v| v.as_str()).map(String::from))
        .ok_or_else(|| format!("{}: no wasm-bindgen package", lock_path.display()))
}

fn ensure_wasm_bindgen(tc: &Toolchain) -> Result<(), String> {
    let version = locked_wasm_bindgen_version()?;
    let want = format!("wasm-bindgen {version}");
    match tc.probe("wasm-bindgen", &["--version"]) {
        Some(v) if v == want => {
            ok(
                "wasm-bindgen",
                &format!("{version} ({})", shown_path(tc, "wasm-bindgen")),
            );
            return Ok(());
        }
        Some(v) => println!("  ..  wasm-bindgen   found `{v}`, Cargo.lock needs {version}"),
        None => println!("  ..  wasm-bindgen   missing (takes ~3 minutes to build)"),
    }
    // Not --locked: the CLI's own lock file names a version the registry no longer serves.
    let mut cmd = Command::new(cargo());
    cmd.args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--root",
    ])
    .arg(tc.tools_dir.join("cargo"));
    install("wasm-bindgen", cmd)?;
    match tc.probe("wasm-bindgen", &["--version"]) {
        Some(v) if v == want => Ok(()),
        other => Err(format!(
            "wasm-bindgen-cli was installed but reports {other:?}, not `{want}`"
        )),
    }
}

fn ensure_wasm_opt(tc: &Toolchain) -> Result<(), String> {
    let want = format!("version {BINARYEN_VERSION}");
    match tc.probe("wasm-opt", &["--version"]) {
        Some(v) if v.contains(&want) => {
            ok(
                "wasm-opt",
                &format!("{BINARYEN_VERSION} ({})", shown_path(tc, "wasm-opt")),
            );
            return Ok(());
        }
        Some(v) => {
            println!("  ..  wasm-opt       found `{v}`, need {BINARYEN_VERSION} (npm binaryen)")
        }
        None => println!("  ..  wasm-opt       missing"),
    }
    if tc.probe("npm", &["--version"]).is_none() {
        apt_install_or_explain(
            "Node.js and npm (wasm-opt comes from npm's binaryen package)",
            &["nodejs", "npm"],
        )?;
    }
    let prefix = tc.tools_dir.join("npm");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let mut cmd = tc.command("npm");
    cmd.args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(format!("binaryen@{BINARYEN_VERSION}"));
    install("wasm-opt", cmd)?;
    match tc.probe("wasm-opt", &["--version"]) {
        Some(v) if v.contains(&want) => Ok(()),
        other => Err(format!(
            "binaryen was installed but `wasm-opt --version` says {other:?}"
        )),
    }
}

fn shown_path(tc: &Toolchain, program: &str) -> String {
    tc.which(program)
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// The browser for the end-to-end tests (and chromedriver beside it). Returns Chromium's path.
pub fn ensure_browser(tc: &Toolchain) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("LILONG_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if !is_executable(&path) {
            return Err(format!(
                "LILONG_CHROMIUM={} is not an executable",
                path.display()
            ));
        }
        ok("chromium", &format!("{} (LILONG_CHROMIUM)", path.display()));
        ensure_cjk_font();
        return Ok(path);
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let find = |tc: &Toolchain| names.iter().find_map(|n| tc.which(n));
    if find(tc).is_none() || tc.which("chromedriver").is_none() {
        println!("  ..  chromium       chromium or chromedriver missing");
        apt_install_or_explain(
            "Chromium and chromedriver (for the end-to-end tests), or set LILONG_CHROMIUM to a Chrome binary",
            &["chromium", "chromium-driver"],
        )?;
    }
    let chromium = find(tc).ok_or("Chromium was installed but is not on PATH")?;
    let version = tc
        .probe(&chromium.to_string_lossy(), &["--version"])
        .unwrap_or_else(|| "version unknown".into());
    ok("chromium", &format!("{version} ({})", chromium.display()));
    ensure_cjk_font();
    ensure_axe(tc)?;
    Ok(chromium)
}

/// axe-core, the accessibility checker the end-to-end tests inject into each view.
fn ensure_axe(tc: &Toolchain) -> Result<(), String> {
    let dir = tc
        .tools_dir
        .join("npm")
        .join("node_modules")
        .join("axe-core");
    let version = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(String::from));
    if let Some(v) = version.filter(|v| v.starts_with(&format!("{AXE_VERSION}.")))
        && dir.join("axe.min.js").is_file()
    {
        ok("axe-core", &v);
        return Ok(());
    }
    if tc.probe("npm", &["--version"]).is_none() {
        apt_install_or_explain("Node.js and npm (for axe-core)", &["nodejs", "npm"])?;
    }
    let mut cmd = tc.command("npm");
    cmd.args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(tc.tools_dir.join("npm"))
        .arg(format!("axe-core@~{AXE_VERSION}.0"));
    install("axe-core", cmd)?;
    if dir.join("axe.min.js").is_file() {
        Ok(())
    } else {
        Err(format!(
            "axe-core was installed but {} is missing",
            dir.join("axe.min.js").display()
        ))
    }
}

/// The exhibit is in Chinese: without a CJK font, screenshots show empty boxes (the text itself,
/// which the tests read, is unaffected, so a missing font is a warning, not an error).
fn ensure_cjk_font() {
    let Ok(out) = Command::new("fc-list").arg(":lang=zh").output() else {
        return;
    };
    if !String::from_utf8_lossy(&out.stdout).trim().is_empty() {
        ok("CJK font", "present");
        return;
    }
    if let Err(e) = apt_install_or_explain("a CJK font (for screenshots)", &["fonts-noto-cjk"]) {
        println!("  !!  CJK font       {e}");
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs Debian packages when running as root on Debian; otherwise says what to install.
fn apt_install_or_explain(what: &str, packages: &[&str]) -> Result<(), String> {
    let debian = Path::new("/etc/debian_version").exists();
    if !(debian && is_root()) {
        let how = if debian {
            format!("as root: apt-get install -y {}", packages.join(" "))
        } else {
            format!(
                "the packages {} or your system's equivalent",
                packages.join(", ")
            )
        };
        return Err(format!("{what} are needed and missing: install {how}"));
    }
    let mut update = Command::new("apt-get");
    update
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive");
    install("apt index", update)?;
    let mut cmd = Command::new("apt-get");
    cmd.args(["install", "-y"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive");
    install(&packages.join(" "), cmd)
}
