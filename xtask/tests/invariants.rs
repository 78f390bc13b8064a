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
fn the_key_scan_reads_a_lookup_in_a_given_language() {
    let text = "let a = e.t(*l, \"attract.stories\");\nlet b = s.t(lang, \"x.y\");\nlet c = e.t(lang, key);\nlet d = f(x, \"not.key\");\n";
    let calls: Vec<String> = string_literals(text)
        .into_iter()
        .filter(|(_, before, _)| {
            in_a_language(before.trim_end()).is_some_and(|b| b.ends_with(".t("))
        })
        .map(|(_, _, lit)| lit)
        .collect();
    assert_eq!(calls, ["attract.stories", "x.y"]);
    assert!(language_then_key("*l, \"attract.stories\")"));
    assert!(!language_then_key("lang, key)"));
    assert!(!language_then_key("if x { \"a.b\" } else { \"c.d\" })"));
    assert!(literal_arms("if x {\n \"a.b\"\n } else { \"c.d\" })"));
    assert!(literal_arms(
        "if a.get() { \"a.b\" } else if b { \"c.d\" } else { \"e.f\" })"
    ));
    assert!(!literal_arms("if x { key } else { \"c.d\" })"));
    assert!(!literal_arms("if x { \"a\" } else { k(\"c.d\") })"));
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

#[test]
fn dependencies_are_used_from_their_releases_never_copied_in() {
    // The project holds only code written for it: a third-party crate is a dependency in
    // Cargo.toml, taken as released, never a copy patched over the release or adapted into ours.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let patch: Vec<&str> = manifest
        .lines()
        .filter(|l| l.trim_start().starts_with("[patch"))
        .collect();
    assert!(
        patch.is_empty(),
        "the root Cargo.toml replaces a released crate: {patch:?}"
    );
    assert!(
        !root().join("patches").exists(),
        "patches/ holds a copy of another crate"
    );

    // Said in any file of ours, in a comment or not. Built here so this file does not say it.
    let phrases = ["adapted", "vendored"].map(|w| format!("{w} from"));
    // Files known to say it, each to be removed from this list with the copy it describes; an
    // entry that no longer applies fails the test, so the list cannot outlive them.
    let known: [&str; 0] = [];
    let mut hits = Vec::new();
    let mut files = Vec::new();
    for dir in ["src", "core", "xtask", "tests", "public"] {
        all_files(&root().join(dir), &mut files);
    }
    for f in &files {
        // Binary files (icons, fixtures) cannot say it.
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let rel = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            if phrases.iter().any(|p| lower.contains(p.as_str())) {
                hits.push((rel.clone(), format!("{rel}:{}: {}", i + 1, line.trim())));
            }
        }
    }
    let stale: Vec<&&str> = known
        .iter()
        .filter(|k| !hits.iter().any(|(f, _)| f == *k))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer says it: remove {stale:?} from `known` in this test"
    );
    let copied: Vec<&String> = hits
        .iter()
        .filter(|(f, _)| !known.contains(&f.as_str()))
        .map(|(_, hit)| hit)
        .collect();
    assert!(
        copied.is_empty(),
        "third-party code belongs in Cargo.toml as a dependency, not in the tree:\n{}",
        copied
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_reactive_graph_tested_natively_is_the_apps() {
    // tests/reactive_graph.rs checks that the app's reactive graph forgets dropped effects. It
    // names `reactive_graph` itself while the app gets it through `leptos`: one version in the
    // lock file means both are the same crate (bump the test's pin with Leptos).
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let versions: Vec<&str> = lock
        .split("[[package]]")
        .filter(|p| p.contains("\nname = \"reactive_graph\"\n"))
        .filter_map(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .collect();
    assert_eq!(
        versions.len(),
        1,
        "Cargo.lock should hold one reactive_graph (the app's), holds {versions:?}: give \
         xtask's dev-dependency the version leptos uses"
    );
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The string literals of a Rust source, with the line each starts on and the text just before
/// it (plain and raw strings; escapes are kept as written, which no key contains).
fn string_literals(text: &str) -> Vec<(usize, String, String)> {
    let b = text.as_bytes();
    let (mut i, mut line) = (0, 1);
    let mut out = Vec::new();
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            // A character literal ('"', '\'') or a lifetime: never the start of a string.
            b'\'' => {
                if b.get(i + 2) == Some(&b'\'') {
                    i += 3;
                    continue;
                }
                if b.get(i + 1) == Some(&b'\\') {
                    i += 3;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                }
            }
            b'r' if b.get(i + 1).is_some_and(|c| *c == b'#' || *c == b'"')
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let start = i + 2 + hashes;
                    let close = format!("\"{}", "#".repeat(hashes));
                    let end = text[start..].find(&close).map_or(b.len(), |e| start + e);
                    out.push((line, text[..i].to_string(), text[start..end].to_string()));
                    line += text[start..end].matches('\n').count();
                    i = end + close.len();
                    continue;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push((line, text[..i].to_string(), text[start..j].to_string()));
                line += text[start..j].matches('\n').count();
                i = j + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The interface strings of one language (`data/i18n/<lang>.json`): their keys.
fn interface_keys(lang: &str) -> std::collections::BTreeSet<String> {
    let path = root().join(format!("data/i18n/{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["strings"]
        .as_object()
        .unwrap_or_else(|| panic!("{} has no `strings`", path.display()))
        .keys()
        .cloned()
        .collect()
}

/// Whether `s` has the shape of an interface key: `word.word`, lower case.
fn key_shaped(s: &str) -> bool {
    s.split('.').count() >= 2
        && s.split('.').all(|w| {
            w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// A lookup in a given language, `e.t(lang, "key")`, names its key second: for the text just
/// before a literal, the text before that call's first argument when the literal is its second
/// (`…e.t(*l, ` gives `…e.t(`).
fn in_a_language(before: &str) -> Option<&str> {
    let b = before.strip_suffix(',')?;
    let lang = b.trim_end_matches(|c: char| c.is_alphanumeric() || "_*&. ".contains(c));
    (lang.len() < b.len()).then_some(lang)
}

/// Whether the arguments of a `.t(` call are a language and then a key literal.
fn language_then_key(args: &str) -> bool {
    args.split_once(',').is_some_and(|(lang, key)| {
        !lang.trim().is_empty()
            && lang
                .chars()
                .all(|c| c.is_alphanumeric() || "_*&. ".contains(c))
            && key.trim_start().starts_with('"')
    })
}

/// Whether the argument at the start of `args`, up to the call's closing parenthesis, is an
/// `if … { "a.b" } else { "c.d" }` whose every arm is one string literal (each then found as
/// a key-shaped literal).
fn literal_arms(args: &str) -> bool {
    let (mut depth, mut arm, mut arms) = (0i32, String::new(), 0);
    let mut chars = args.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => return arms > 1,
            ')' => depth -= 1,
            '{' if depth == 0 => {
                arm.clear();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    arm.push(c);
                }
                let a = arm.trim();
                let one_literal = a.len() >= 2
                    && a.starts_with('"')
                    && a.ends_with('"')
                    && a.matches('"').count() == 2;
                if !one_literal {
                    return false;
                }
                arms += 1;
            }
            '"' | '{' | '}' | ';' => return false,
            _ => {}
        }
    }
    false
}

/// Lookups whose key is not a literal at the call, and why each may stay.
const KEYS_NOT_AT_THE_CALL: &[(&str, &str)] = &[
    // The two lookups themselves (src/state.rs).
    ("src/state.rs", "move || c.t(key)"),
    ("src/state.rs", "self.with(|e| e.t(lang, key).to_string())"),
    // The map's zoom buttons; their keys are literals at the calls (`control("map.zoom_in")`),
    // found by the second rule below.
    (
        "src/components/map/mod.rs",
        ".dyn_attr(\"aria-label\", tr(key))",
    ),
];

/// Every interface key the app's source asks for, and the lookups that name no literal.
/// A key is what a call to `tr(…)` or `.t(…)` names, and any literal shaped like a key in a
/// namespace the strings use (`"kind.building"` in a `match`, `"map.zoom_in"` handed to a
/// helper); a lookup is `tr(` or `.t(` followed by anything but a literal.
fn keys_asked_for(
    namespaces: &std::collections::BTreeSet<String>,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let (mut keys, mut unscanned) = (Vec::new(), Vec::new());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let rel = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (line, before, lit) in string_literals(&text) {
            let at = format!("{rel}:{line}");
            let before = before.trim_end();
            let call = before.ends_with(".t(")
                || in_a_language(before).is_some_and(|b| b.ends_with(".t("))
                || before
                    .strip_suffix("tr(")
                    .is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric() || c == '_'));
            let namespaced =
                key_shaped(&lit) && namespaces.contains(lit.split('.').next().unwrap_or_default());
            if call || namespaced {
                keys.push((lit, at));
            }
        }
        let mut line_start = 0;
        for (i, line) in text.lines().enumerate() {
            let here = line_start;
            line_start += line.len() + 1;
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(p) = [rest.find(".t("), rest.find("tr(")]
                .into_iter()
                .flatten()
                .min()
            {
                let is_tr = rest[p..].starts_with("tr(");
                let before = &rest[..p];
                let ident_before = before
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
                let arg = rest[p + 3..].trim_start();
                let definition = before.trim_end().ends_with("fn");
                let literal = arg.starts_with('"')
                    || (!is_tr && language_then_key(arg))
                    || (arg.starts_with("if ")
                        && literal_arms(&text[here + (code.len() - rest.len()) + p + 3..]));
                if !(is_tr && ident_before) && !definition && !literal {
                    let allowed = KEYS_NOT_AT_THE_CALL
                        .iter()
                        .any(|(file, l)| *file == rel && line.trim() == *l);
                    if !allowed {
                        unscanned.push(format!("{rel}:{}: {}", i + 1, line.trim()));
                    }
                }
                rest = &rest[p + 3..];
            }
        }
    }
    (keys, unscanned)
}

#[test]
fn every_interface_key_the_app_asks_for_has_a_string() {
    // `Exhibit::t` falls back from the language to zh-Hans, then to the key itself: a key
    // missing from zh-Hans shows on screen as `search.none`.
    let zh = interface_keys("zh-Hans");
    let namespaces = zh
        .iter()
        .filter_map(|k| k.split('.').next())
        .map(str::to_string)
        .collect();
    let (asked, unscanned) = keys_asked_for(&namespaces);
    assert!(
        unscanned.is_empty(),
        "an interface string is looked up with a key that is not a literal at the call, so the \
         source cannot be checked for it: write `tr(\"…\")` / `c.t(\"…\")` with the key there:\n{}",
        unscanned.join("\n")
    );
    // The scan finds the keys of every part of the interface (a scan that found nothing
    // would pass whatever the strings said).
    for sure in [
        "search.none",
        "story.exit",
        "year.prev",
        "kind.building",
        "map.zoom_in",
    ] {
        assert!(
            asked.iter().any(|(k, _)| k == sure),
            "the scan of src/ did not find the key {sure}"
        );
    }
    let missing: Vec<String> = asked
        .iter()
        .filter(|(k, _)| !zh.contains(k))
        .map(|(k, at)| format!("{at}: {k}"))
        .collect();
    assert!(
        missing.is_empty(),
        "keys the interface asks for that data/i18n/zh-Hans.json lacks (they would show as \
         the key itself):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_language_has_the_same_interface_keys() {
    // A key missing in en or zh-Hant shows in simplified Chinese in that language's view.
    let zh = interface_keys("zh-Hans");
    for lang in ["zh-Hant", "en"] {
        let other = interface_keys(lang);
        let missing: Vec<&String> = zh.difference(&other).collect();
        let extra: Vec<&String> = other.difference(&zh).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "data/i18n/{lang}.json must have the keys of zh-Hans.json: missing {missing:?}, \
             not in zh-Hans {extra:?}"
        );
    }
}
