//! The architecture's invariants, stated as absences in ARCHITECTURE.md, checked here.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Names of every package `lilong-core` depends on at run time (normal dependencies,
/// transitively, for every target), from `cargo metadata`.
fn core_runtime_dependencies() -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let name_of = |id: &str| -> String {
        meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .map(|p| p["name"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let core_id = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "lilong-core")
        .map(|p| p["id"].as_str().unwrap().to_string())
        .expect("lilong-core is a workspace member");
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![core_id];
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.iter().find(|n| n["id"] == id.as_str()) else { continue };
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null());
            let dep_id = dep["pkg"].as_str().unwrap().to_string();
            if normal && seen.insert(dep_id.clone()) {
                stack.push(dep_id);
            }
        }
    }
    seen.iter().map(|id| name_of(id)).collect()
}

#[test]
fn core_depends_on_no_web_crate() {
    let deps = core_runtime_dependencies();
    assert!(deps.iter().any(|d| d == "serde_json"), "the walk found core's dependencies: {deps:?}");
    let web: Vec<&String> = deps
        .iter()
        .filter(|d| {
            d.starts_with("leptos")
                || d.starts_with("wasm-bindgen")
                || d.starts_with("gloo")
                || ["web-sys", "js-sys", "tachys", "reactive_graph"].contains(&d.as_str())
        })
        .collect();
    assert!(web.is_empty(), "lilong-core must not depend on web crates, but depends on {web:?}");
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Lines of non-test code in `dir` that contain any of `needles`.
fn offending_lines(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let mut hits = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Stop at the unit tests: they may read fixtures.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if needles.iter().any(|n| line.contains(n)) {
                hits.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    hits
}

#[test]
fn core_does_no_io() {
    let hits = offending_lines(
        &root().join("core/src"),
        &["std::fs", "std::net", "std::process", "std::env", "File::open", "read_to_string("],
    );
    assert!(hits.is_empty(), "lilong-core must do no IO:\n{}", hits.join("\n"));
}

#[test]
fn no_text_is_ever_inserted_as_html() {
    let mut hits = offending_lines(
        &root().join("src"),
        &["inner_html", "set_inner_html", "insertAdjacentHTML", "outerHTML", "outer_html", "document.write"],
    );
    hits.extend(offending_lines(&root().join("core/src"), &["inner_html"]));
    assert!(hits.is_empty(), "curator text must never become markup:\n{}", hits.join("\n"));
}
