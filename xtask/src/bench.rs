//! `cargo xtask bench`: lilong beside a Leaflet page at city scale, in headless Chromium, and the
//! native load timing; one printed table of medians with ratios.
//!
//! Steps: release build of the app into `target/bench/site/` (skipped with `--site DIR`), the
//! city data set into `<site>/city/` (`gen-city`, only when missing), npm `leaflet` into the tools
//! folder and the comparison page `bench/leaflet.html` beside it in `<site>/bench/`; then the
//! native timing (`core/benches/city.rs`), the browser runs (`tests/examples/bench.rs`), and the
//! compressed sizes. The raw figures of every run are kept in `target/bench/results.json`, the
//! table in `target/bench/table.md`.
//!
//! Options: `--runs N` (measured runs per page after one warm-up, default 3), `--site DIR` (use an
//! existing release build instead of building one).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use crate::tools::{self, Toolchain};

/// The Leaflet release the comparison page is written for.
const LEAFLET_VERSION: &str = "1.9.4";

pub fn bench(args: &[String]) -> Result<(), String> {
    let mut runs = 3usize;
    let mut site: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--runs needs a positive number")?
            }
            "--site" => site = Some(PathBuf::from(it.next().ok_or("--site needs a folder")?)),
            other => {
                return Err(format!(
                    "unknown option `{other}` (bench [--runs N] [--site DIR])"
                ));
            }
        }
    }
    let started = Instant::now();
    let root = crate::root();
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let tc = tools::ensure_build_tools()?;
    let chromium = tools::ensure_browser(&tc)?;

    let site = match site {
        Some(s) => s,
        None => {
            let s = out_dir.join("site");
            build_site(&tc, &root, &s)?;
            s
        }
    };
    if !site.join("index.html").is_file() {
        return Err(format!("{} is not a built site", site.display()));
    }
    let city = site.join("city");
    if !city.join("areas.geojson").is_file() {
        let csv = root.join("../shared/data/shanghai-divisions.csv");
        let stats = crate::city::generate(&root, &csv, &city)?;
        print!("{}", stats.report(&city));
    }
    // The checked exhibits the app reads when they match the files (written by the build for
    // data/; here for a site given with --site or a city set generated before).
    for dir in [site.join("data"), city.clone()] {
        if !crate::data::checked_is_fresh(&dir) {
            let n = crate::data::write_checked(&dir)?;
            println!(
                "wrote {}/{} ({:.1} MB)",
                dir.display(),
                lilong_core::checked::FILE,
                n as f64 / 1048576.0
            );
        }
    }
    install_leaflet(&tc, &root, &site)?;

    println!("native: load + levels of detail of {}", city.display());
    let native = native(&root, &city)?;

    println!("browser: {} runs per page after a warm-up", runs);
    let results_path = out_dir.join("results.json");
    let status = std::process::Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", "lilong-e2e", "--example", "bench", "--"])
        .arg(&site)
        .arg(&results_path)
        .arg(runs.to_string())
        .current_dir(&root)
        .env("LILONG_CHROMIUM", &chromium)
        .env("LILONG_E2E_TIMEOUT", "120")
        .status()
        .map_err(|e| format!("cannot run the browser benchmark: {e}"))?;
    if !status.success() {
        return Err(format!("the browser benchmark failed ({status})"));
    }
    let text = std::fs::read_to_string(&results_path)
        .map_err(|e| format!("cannot read {}: {e}", results_path.display()))?;
    let results: Vec<Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", results_path.display()))?;
    let sizes = sizes(&site)?;
    let table = table(&results, &sizes, &native, runs);
    print!("{table}");
    let md = out_dir.join("table.md");
    std::fs::write(&md, &table).map_err(|e| format!("cannot write {}: {e}", md.display()))?;
    println!(
        "bench done in {:.0?}; raw figures in {}",
        started.elapsed(),
        results_path.display()
    );
    Ok(())
}

fn build_site(tc: &Toolchain, root: &Path, site: &Path) -> Result<(), String> {
    println!("trunk build --release --offline --dist {}", site.display());
    let status = tc
        .command("trunk")
        .args(["build", "--release", "--offline", "--dist"])
        .arg(site)
        .current_dir(root)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .status()
        .map_err(|e| format!("cannot run trunk: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("trunk build failed ({status})"))
    }
}

/// npm `leaflet` into the tools folder (never into the repository), and the page beside it.
fn install_leaflet(tc: &Toolchain, root: &Path, site: &Path) -> Result<(), String> {
    let prefix = tc.tools_dir.join("npm");
    let dist = prefix.join("node_modules/leaflet/dist");
    if !dist.join("leaflet.js").is_file() {
        println!("npm install leaflet@{LEAFLET_VERSION}");
        std::fs::create_dir_all(&prefix)
            .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
        let status = tc
            .command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("leaflet@{LEAFLET_VERSION}"))
            .status()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !status.success() {
            return Err(format!("npm install leaflet failed ({status})"));
        }
    }
    let to = site.join("bench");
    std::fs::create_dir_all(&to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for (from, name) in [
        (dist.join("leaflet.js"), "leaflet.js"),
        (dist.join("leaflet.css"), "leaflet.css"),
        (root.join("bench/leaflet.html"), "leaflet.html"),
    ] {
        std::fs::copy(&from, to.join(name))
            .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }
    Ok(())
}

/// Runs `core/benches/city.rs` (optimised natively, without the wasm build's size settings).
fn native(root: &Path, city: &Path) -> Result<Value, String> {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["bench", "-q", "-p", "lilong-core", "--bench", "city", "--"])
        .arg(city)
        .arg("5")
        .current_dir(root)
        .env("CARGO_PROFILE_BENCH_OPT_LEVEL", "3")
        .env("CARGO_PROFILE_BENCH_LTO", "false")
        .env("CARGO_PROFILE_BENCH_CODEGEN_UNITS", "16")
        .output()
        .map_err(|e| format!("cannot run the native benchmark: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the native benchmark failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or("the native benchmark printed no figures")?;
    serde_json::from_str(line).map_err(|e| format!("native figures `{line}`: {e}"))
}

/// Compressed bytes (gzip -9) per page: code, and code plus the data it fetches at city scale.
struct Bytes {
    code: u64,
    data: u64,
}

fn gz(path: &Path) -> Result<u64, String> {
    use std::io::Write;
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len() as u64)
}

fn sizes(site: &Path) -> Result<Vec<(&'static str, Bytes)>, String> {
    let mut lilong_code = gz(&site.join("index.html"))?;
    let entries =
        std::fs::read_dir(site).map_err(|e| format!("cannot read {}: {e}", site.display()))?;
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("wasm" | "js" | "css")
        ) && !crate::build::is_on_demand(name)
        {
            lilong_code += gz(&p)?;
        }
    }
    let city = site.join("city");
    let mut lilong_data = 0;
    for f in lilong_core::load::FILES
        .iter()
        .chain([&lilong_core::checked::FILE])
    {
        let p = city.join(f);
        if p.is_file() {
            lilong_data += gz(&p)?;
        }
    }
    let b = site.join("bench");
    let leaflet_code =
        gz(&b.join("leaflet.js"))? + gz(&b.join("leaflet.css"))? + gz(&b.join("leaflet.html"))?;
    let mut leaflet_data = 0;
    for f in [
        "exhibit.json",
        "districts.geojson",
        "subdistricts.json",
        "areas.geojson",
    ] {
        leaflet_data += gz(&city.join(f))?;
    }
    Ok(vec![
        (
            "lilong",
            Bytes {
                code: lilong_code,
                data: lilong_data,
            },
        ),
        (
            "leaflet-canvas",
            Bytes {
                code: leaflet_code,
                data: leaflet_data,
            },
        ),
        (
            "leaflet-svg",
            Bytes {
                code: leaflet_code,
                data: leaflet_data,
            },
        ),
    ])
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    (!v.is_empty()).then(|| v[v.len() / 2])
}

const PAGES: [&str; 3] = ["lilong", "leaflet-canvas", "leaflet-svg"];

/// The median of `key` (a JSON pointer) over the measured runs of `page` on `data`.
fn med(results: &[Value], page: &str, data: &str, key: &str) -> Option<f64> {
    median(
        results
            .iter()
            .filter(|r| {
                r["page"] == page
                    && r["data"] == data
                    && r["warmup"] == false
                    && r.get("error").is_none()
            })
            .filter_map(|r| r.pointer(key).and_then(Value::as_f64))
            .collect(),
    )
}

fn fmt(v: Option<f64>, unit: &str) -> String {
    match (v, unit) {
        (None, _) => "—".into(),
        (Some(v), "KB") => format!("{:.0} KB", v / 1024.0),
        (Some(v), "MB") => format!("{:.1} MB", v / 1048576.0),
        (Some(v), "ms") => format!("{v:.1} ms"),
        (Some(v), "%") => format!("{v:+.1} %"),
        (Some(v), _) => format!("{v:.0}"),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b.abs() > 1e-9 => format!("{:.2}×", a / b),
        _ => "—".into(),
    }
}

fn table(results: &[Value], sizes: &[(&str, Bytes)], native: &Value, runs: usize) -> String {
    let mut rows: Vec<(String, [Option<f64>; 3], &str)> = Vec::new();
    let by = |f: &dyn Fn(&Bytes) -> u64| -> [Option<f64>; 3] {
        let mut out = [None; 3];
        for (i, p) in PAGES.iter().enumerate() {
            out[i] = sizes.iter().find(|s| s.0 == *p).map(|s| f(&s.1) as f64);
        }
        out
    };
    rows.push(("code, gzip".into(), by(&|b| b.code), "KB"));
    rows.push((
        "code + city data, gzip".into(),
        by(&|b| b.code + b.data),
        "MB",
    ));
    let m = |data: &str, key: &str| -> [Option<f64>; 3] {
        [
            med(results, PAGES[0], data, key),
            med(results, PAGES[1], data, key),
            med(results, PAGES[2], data, key),
        ]
    };
    rows.push((
        "interactive, exhibit data".into(),
        m("data", "/interactive_ms"),
        "ms",
    ));
    rows.push((
        "interactive, city".into(),
        m("city", "/interactive_ms"),
        "ms",
    ));
    rows.push((
        "frame p50, pan + zoom".into(),
        m("city", "/frame_p50"),
        "ms",
    ));
    rows.push((
        "frame p95, pan + zoom".into(),
        m("city", "/frame_p95"),
        "ms",
    ));
    rows.push((
        "frame max, pan + zoom".into(),
        m("city", "/frame_max"),
        "ms",
    ));
    rows.push(("frames over 50 ms".into(), m("city", "/frames_over_50"), ""));
    rows.push((
        "tap → panel, 4× CPU (longest event)".into(),
        m("city", "/tap_ms"),
        "ms",
    ));
    // Memory is measured on the last run only (the soak): take it from that run.
    let last = |key: &str| -> [Option<f64>; 3] {
        let mut out = [None; 3];
        for (i, p) in PAGES.iter().enumerate() {
            out[i] = results
                .iter()
                .filter(|r| r["page"] == *p && r["data"] == "city" && r.get("mem_after").is_some())
                .filter_map(|r| r.pointer(key).and_then(Value::as_f64))
                .next_back();
        }
        out
    };
    let sum = |a: [Option<f64>; 3], b: [Option<f64>; 3]| -> [Option<f64>; 3] {
        [0, 1, 2]
            .map(|i| Some(a[i].unwrap_or(0.0) + b[i].unwrap_or(0.0)).filter(|_| a[i].is_some()))
    };
    let heap_b = last("/mem_before/js_heap");
    let wasm_b = last("/mem_before/wasm");
    let heap_a = last("/mem_after/js_heap");
    let wasm_a = last("/mem_after/wasm");
    rows.push(("JS heap, after load".into(), heap_b, "MB"));
    rows.push(("wasm memory, after load".into(), wasm_b, "MB"));
    rows.push((
        "JS heap + wasm, after load".into(),
        sum(heap_b, wasm_b),
        "MB",
    ));
    rows.push((
        "JS heap + wasm, after 10,000 interactions".into(),
        sum(heap_a, wasm_a),
        "MB",
    ));
    let growth = [0, 1, 2].map(|i| match (sum(heap_b, wasm_b)[i], sum(heap_a, wasm_a)[i]) {
        (Some(b), Some(a)) if b > 0.0 => Some((a - b) / b * 100.0),
        _ => None,
    });
    rows.push(("memory growth after the soak".into(), growth, "%"));
    rows.push((
        "DOM nodes, after load".into(),
        last("/mem_before/dom_nodes"),
        "",
    ));
    rows.push((
        "DOM nodes, after the soak".into(),
        last("/mem_after/dom_nodes"),
        "",
    ));

    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nMedians of {runs} runs after a warm-up; Chromium headless, 1920×1080.\n"
    );
    let _ = writeln!(
        s,
        "| metric | lilong | Leaflet canvas | Leaflet SVG | lilong ÷ canvas | lilong ÷ SVG |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, v, unit) in &rows {
        let r = if *unit == "%" {
            ["—".into(), "—".into()]
        } else {
            [ratio(v[0], v[1]), ratio(v[0], v[2])]
        };
        let _ = writeln!(
            s,
            "| {name} | {} | {} | {} | {} | {} |",
            fmt(v[0], unit),
            fmt(v[1], unit),
            fmt(v[2], unit),
            r[0],
            r[1]
        );
    }
    let f = |k: &str| native.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let _ = writeln!(
        s,
        "\nNative (median of {} runs after a warm-up): parse + validate {:.0} ms, levels of detail {:.0} ms, \
         total {:.0} ms for {} areas, {} vertices ({} errors).",
        native.get("runs").and_then(Value::as_u64).unwrap_or(0),
        f("load_ms"),
        f("lod_ms"),
        f("total_ms"),
        native.get("areas").and_then(Value::as_u64).unwrap_or(0),
        native.get("vertices").and_then(Value::as_u64).unwrap_or(0),
        native.get("errors").and_then(Value::as_u64).unwrap_or(0),
    );
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| {
            Some(format!(
                "{} {} run {}: {}",
                r["page"],
                r["data"],
                r["run"],
                r.get("error")?.as_str()?
            ))
        })
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(s, "\nFailed runs:\n  {}", failed.join("\n  "));
    }
    let no_panel: Vec<String> = results
        .iter()
        .filter(|r| r["panel_shown"] == false)
        .map(|r| format!("{} run {}", r["page"], r["run"]))
        .collect();
    if !no_panel.is_empty() {
        let _ = writeln!(s, "\nNo panel after the taps: {}", no_panel.join(", "));
    }
    s
}
