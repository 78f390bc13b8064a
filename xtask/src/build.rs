//! `cargo xtask build`: the release build into `dist/`, and what it weighs compressed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::tools::{self, Toolchain};

pub fn build(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("`build` takes no arguments (got `{extra}`)"));
    }
    let tc = tools::ensure_build_tools()?;
    let sizes = release_build(&tc)?;
    print!("{}", sizes.report());
    Ok(())
}

/// `trunk build --release --offline` into `dist/`, then the gzip sizes of what it produced.
pub fn release_build(tc: &Toolchain) -> Result<Sizes, String> {
    let root = crate::root();
    let start = Instant::now();
    println!("trunk build --release --offline");
    let status = tc
        .command("trunk")
        .args(["build", "--release", "--offline"])
        .current_dir(&root)
        // Trunk runs cargo itself; keep this xtask's own package variables out of its way.
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .status()
        .map_err(|e| format!("cannot run trunk: {e}"))?;
    if !status.success() {
        return Err(format!("trunk build failed ({status})"));
    }
    println!("built dist/ in {:.1?}", start.elapsed());
    let csp = crate::csp::apply(&root.join("dist"))?;
    println!("content security policy: {}", csp.policy);
    let checked = crate::data::write_checked(&root.join("dist").join("data"))?;
    println!(
        "checked exhibit: dist/data/{} ({:.1} KB)",
        lilong_core::checked::FILE,
        checked as f64 / 1024.0
    );
    Sizes::measure(&root.join("dist"))
}

/// One built file: its name, raw and gzip sizes in bytes.
pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

/// The compressed weight of a built site: the wasm, js and css a visitor downloads, and the data.
pub struct Sizes {
    /// What a visitor's browser downloads to start (the app's module, its glue, the style).
    pub code: Vec<FileSize>,
    /// Code loaded only when needed: the checker worker (`lilong-checker*`), which reads the
    /// JSON when there is no up-to-date `checked.bin`.
    pub on_demand: Vec<FileSize>,
    pub data: FileSize,
}

impl Sizes {
    /// Measures `dist`: each top-level `.wasm`, `.js` and `.css` file, and everything under `data/`
    /// as one line. Gzip at level 9, as a static server with precompressed files would send it.
    pub fn measure(dist: &Path) -> Result<Sizes, String> {
        let entries =
            std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
        let mut code = Vec::new();
        let mut on_demand = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| format!("{}: {e}", dist.display()))?
                .path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if path.is_file() && matches!(ext, "wasm" | "js" | "css") {
                let bytes = read(&path)?;
                let f = FileSize {
                    name: file_name(&path),
                    raw: bytes.len() as u64,
                    gzip: gzip_len(&bytes)?,
                };
                if is_on_demand(&f.name) {
                    on_demand.push(f);
                } else {
                    code.push(f);
                }
            }
        }
        if !code.iter().any(|f| f.name.ends_with(".wasm")) {
            return Err(format!(
                "no .wasm file in {}: the build did not produce the app",
                dist.display()
            ));
        }
        code.sort_by(|a, b| {
            order(&a.name)
                .cmp(&order(&b.name))
                .then(a.name.cmp(&b.name))
        });
        let mut data = FileSize {
            name: "data/".into(),
            raw: 0,
            gzip: 0,
        };
        for path in files_under(&dist.join("data"))? {
            let bytes = read(&path)?;
            data.raw += bytes.len() as u64;
            data.gzip += gzip_len(&bytes)?;
        }
        on_demand.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Sizes {
            code,
            on_demand,
            data,
        })
    }

    pub fn total_gzip(&self) -> u64 {
        self.code.iter().map(|f| f.gzip).sum()
    }

    /// The one-line figure for summaries: `wasm 90.1 KB + js 9.0 KB + css 1.2 KB = 100.3 KB gzip`.
    pub fn summary(&self) -> String {
        let kind = |ext: &str| -> u64 {
            self.code
                .iter()
                .filter(|f| f.name.ends_with(ext))
                .map(|f| f.gzip)
                .sum()
        };
        format!(
            "wasm {} + js {} + css {} = {} gzip",
            kb(kind(".wasm")),
            kb(kind(".js")),
            kb(kind(".css")),
            kb(self.total_gzip())
        )
    }

    pub fn report(&self) -> String {
        let mut out = String::from("\ncompressed size (gzip -9)            raw        gzip\n");
        for f in &self.code {
            out += &format!("  {:<32} {:>10} {:>10}\n", f.name, kb(f.raw), kb(f.gzip));
        }
        let raw: u64 = self.code.iter().map(|f| f.raw).sum();
        out += &format!(
            "  {:<32} {:>10} {:>10}\n",
            "total wasm + js + css",
            kb(raw),
            kb(self.total_gzip())
        );
        for f in &self.on_demand {
            out += &format!(
                "  {:<32} {:>10} {:>10}  (only when the JSON is read)\n",
                f.name,
                kb(f.raw),
                kb(f.gzip)
            );
        }
        out += &format!(
            "  {:<32} {:>10} {:>10}\n",
            "data/ (fetched at start-up)",
            kb(self.data.raw),
            kb(self.data.gzip)
        );
        out
    }
}

/// Whether a built file is the checker worker's, loaded only when the JSON must be read.
pub fn is_on_demand(name: &str) -> bool {
    name.starts_with("lilong-checker")
}

fn order(name: &str) -> u8 {
    match name.rsplit('.').next() {
        Some("wasm") => 0,
        Some("js") => 1,
        _ => 2,
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Every file below `dir` (none when it does not exist).
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    Ok(out)
}

pub fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).map_err(|e| format!("gzip: {e}"))?;
    let out = enc.finish().map_err(|e| format!("gzip: {e}"))?;
    Ok(out.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lilong-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data/media")).unwrap();
        dir
    }

    #[test]
    fn measures_code_and_data_separately() {
        let dist = scratch("sizes");
        let wasm: Vec<u8> = (0..20_000u32).map(|i| (i % 7) as u8).collect();
        std::fs::write(dist.join("lilong-abc_bg.wasm"), &wasm).unwrap();
        std::fs::write(
            dist.join("lilong-abc.js"),
            "export function f(){}".repeat(50),
        )
        .unwrap();
        std::fs::write(dist.join("style-1.css"), "main{color:red}").unwrap();
        std::fs::write(dist.join("lilong-checker_bg.wasm"), &wasm).unwrap();
        std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dist.join("data/exhibit.json"), "{}").unwrap();
        std::fs::write(dist.join("data/media/a.txt"), "x".repeat(1000)).unwrap();

        let sizes = Sizes::measure(&dist).unwrap();
        let names: Vec<&str> = sizes.code.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["lilong-abc_bg.wasm", "lilong-abc.js", "style-1.css"]
        );
        let later: Vec<&str> = sizes.on_demand.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            later,
            ["lilong-checker_bg.wasm"],
            "the checker is not start-up code"
        );
        assert_eq!(sizes.code[0].raw, 20_000);
        assert!(
            sizes.code[0].gzip < 1_000,
            "repetitive wasm compresses: {}",
            sizes.code[0].gzip
        );
        assert_eq!(sizes.data.raw, 1_002);
        assert_eq!(
            sizes.total_gzip(),
            sizes.code.iter().map(|f| f.gzip).sum::<u64>()
        );
        assert!(sizes.summary().starts_with("wasm "), "{}", sizes.summary());
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn a_dist_without_wasm_is_an_error() {
        let dist = scratch("nowasm");
        std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
        let err = Sizes::measure(&dist).err().unwrap();
        assert!(err.contains("no .wasm file"), "{err}");
        std::fs::remove_dir_all(&dist).unwrap();
    }
}
