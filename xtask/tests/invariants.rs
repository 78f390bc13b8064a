//! The architecture's invariants, stated as absences in ARCHITECTURE.md, checked here.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Names of every package `lilong-core` depends on at run time (normal dependencies,
/// transitively, on every target, with the features core itself turns on), from `cargo tree`.
fn core_runtime_dependencies() -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "lilong-core",
            "-e",
            "normal",
            "--target",
            "all",
            "--prefix",
            "none",
            "-f",
            "{p}",
        ])
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn core_depends_on_no_web_crate() {
    let deps = core_runtime_dependencies();
    assert!(
        deps.iter().any(|d| d == "serde_json"),
        "the walk found core's dependencies: {deps:?}"
    );
    let web: Vec<&String> = deps
        .iter()
        .filter(|d| {
            d.starts_with("leptos")
                || d.starts_with("wasm-bindgen")
                || d.starts_with("gloo")
                || ["web-sys", "js-sys", "tachys", "reactive_graph"].contains(&d.as_str())
        })
        .collect();
    assert!(
        web.is_empty(),
        "lilong-core must not depend on web crates, but depends on {web:?}"
    );
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
        &[
            "std::fs",
            "std::net",
            "std::process",
            "std::env",
            "File::open",
            "read_to_string(",
        ],
    );
    assert!(
        hits.is_empty(),
        "lilong-core must do no IO:\n{}",
        hits.join("\n")
    );
}

#[test]
fn no_text_is_ever_inserted_as_html() {
    let mut hits = offending_lines(
        &root().join("src"),
        &[
            "inner_html",
            "set_inner_html",
            "insertAdjacentHTML",
            "outerHTML",
            "outer_html",
            "document.write",
        ],
    );
    hits.extend(offending_lines(&root().join("core/src"), &["inner_html"]));
    assert!(
        hits.is_empty(),
        "curator text must never become markup:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_app_module_reads_no_json_exhibit_itself() {
    // The JSON loader, validator and geometry preparation are compiled into the checker worker
    // (src/bin/lilong-checker.rs) only; the app reads checked exhibits. A call from the app's own
    // code would put them back into the module every visitor downloads.
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(root().join("src")).unwrap().flatten() {
        let p = entry.path();
        if p.file_name().is_some_and(|n| n == "bin") {
            continue;
        }
        let needles = [
            "load::load",
            ", load}",
            "{load,",
            "{load}",
            "load_with_media",
            "checked::write",
            "Scene::new",
            "Scene::from_lonlat",
            "Lod::new",
            // The checked exhibit is all binary: a JSON reader would only add code.
            "serde_json",
        ];
        if p.is_dir() {
            hits.extend(offending_lines(&p, &needles));
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, line) in text.lines().enumerate() {
                if needles.iter().any(|n| line.contains(n)) && !line.trim_start().starts_with("//")
                {
                    hits.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "the app's module must not load the JSON itself:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_interface_generates_no_code_per_view() {
    // The interface is built with src/dom.rs (one element type, closures boxed once). Leptos's
    // `view!` and components would bring back a type, and the framework code generated for it,
    // per view tree: two thirds of the module before the move (docs/performance.md).
    let hits = offending_lines(
        &root().join("src"),
        &[
            "view!",
            "#[component]",
            "impl IntoView",
            "leptos::mount",
            "leptos::html",
            "tachys",
        ],
    );
    assert!(
        hits.is_empty(),
        "the interface is built with src/dom.rs, not Leptos views:\n{}",
        hits.join("\n")
    );
}

/// The most lines a source file under `src/` or `core/src/` may have.
const MAX_FILE_LINES: usize = 900;
/// The most lines one function there may have, from its `fn` line to its closing brace.
const MAX_FN_LINES: usize = 250;

/// Whether a line begins an item `fn` (after its qualifiers), not a comment or a call.
fn starts_fn(line: &str) -> bool {
    let mut t = line.trim_start();
    loop {
        let before = t;
        for q in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
            "extern \"C\" ",
        ] {
            if let Some(rest) = t.strip_prefix(q) {
                t = rest;
            }
        }
        if t == before {
            return t.starts_with("fn ");
        }
    }
}

/// The index of the line (in `lines`, which start at a `fn` line) where the function's body
/// closes; `None` for a declaration without a body. Braces inside strings (plain and raw),
/// character literals and comments do not count.
fn body_end(lines: &[&str]) -> Option<usize> {
    let mut depth = 0usize;
    let mut opened = false;
    let mut block_comments = 0usize;
    // Inside a string: `Some(None)` a plain one, `Some(Some(n))` a raw one with n `#`s.
    let mut string: Option<Option<usize>> = None;
    for (n, line) in lines.iter().enumerate() {
        let c: Vec<char> = line.chars().collect();
        let at = |i: usize| c.get(i).copied().unwrap_or('\n');
        let mut i = 0;
        while i < c.len() {
            match string {
                Some(None) => {
                    match c[i] {
                        '\\' => i += 1,
                        '"' => string = None,
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                Some(Some(hashes)) => {
                    if c[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                        string = None;
                        i += hashes;
                    }
                    i += 1;
                    continue;
                }
                None => {}
            }
            if block_comments > 0 {
                if c[i] == '*' && at(i + 1) == '/' {
                    block_comments -= 1;
                    i += 1;
                } else if c[i] == '/' && at(i + 1) == '*' {
                    block_comments += 1;
                    i += 1;
                }
                i += 1;
                continue;
            }
            let ident_before = i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
            match c[i] {
                '/' if at(i + 1) == '/' => break,
                '/' if at(i + 1) == '*' => {
                    block_comments += 1;
                    i += 1;
                }
                '"' => string = Some(None),
                'r' if !ident_before && matches!(at(i + 1), '"' | '#') => {
                    let hashes = (i + 1..c.len()).take_while(|&k| c[k] == '#').count();
                    if at(i + 1 + hashes) == '"' {
                        string = Some(Some(hashes));
                        i += 1 + hashes;
                    }
                }
                '\'' if at(i + 1) == '\\' => {
                    // An escaped character: up to the closing quote.
                    i += 2;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                }
                '\'' if at(i + 2) == '\'' => i += 2,
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    if opened && depth == 0 {
                        return Some(n);
                    }
                }
                ';' if !opened => return None,
                _ => {}
            }
            i += 1;
        }
    }
    None
}

/// Every file over [`MAX_FILE_LINES`] and every function over [`MAX_FN_LINES`] in the `.rs`
/// files under `dir`, as `path:line: …`.
fn oversized(dir: &Path) -> Vec<String> {
    let root = root();
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let shown = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > MAX_FILE_LINES {
            out.push(format!(
                "{shown}:1: the file has {} lines (at most {MAX_FILE_LINES})",
                lines.len()
            ));
        }
        for i in (0..lines.len()).filter(|&i| starts_fn(lines[i])) {
            if let Some(end) = body_end(&lines[i..])
                && end + 1 > MAX_FN_LINES
            {
                out.push(format!(
                    "{shown}:{}: this function has {} lines (at most {MAX_FN_LINES}): {}",
                    i + 1,
                    end + 1,
                    lines[i].trim()
                ));
            }
        }
    }
    out
}

#[test]
fn the_size_scan_counts_only_real_braces() {
    let text = "fn a() {\n    let s = \"}}\";\n    let r = r#\"{\"#;\n    let c = '}';\n    let b = b'{';\n    // }\n    /* { */\n    let l: &'static str = \"\";\n    x\n}\nfn b();\n";
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(body_end(&lines), Some(9));
    assert_eq!(body_end(&lines[10..]), None);
    assert!(starts_fn("    pub(crate) const fn x() {"));
    assert!(!starts_fn("    // fn x() {"));
    assert!(!starts_fn("    let f = fn_x();"));
}

#[test]
fn no_file_over_900_lines_nor_function_over_250() {
    let root = root();
    let mut offenders = oversized(&root.join("core/src"));
    offenders.extend(oversized(&root.join("src")));
    assert!(
        offenders.is_empty(),
        "split these by job (one module per job, tests moving with the code):\n{}",
        offenders.join("\n")
    );
}
