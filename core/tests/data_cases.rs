//! The corpus of data cases under `tests/data-cases/`.
//!
//! `base/` is a small, valid data set that must load without a single problem. Every other
//! folder is a case: the files in it replace (or add to) the base files at the same relative
//! paths, a `remove.txt` lists base files to take away (one a line), and `expected.txt` holds
//! the exact problems the checker must print, one a line, as `FILE:LINE:COL: severity: message`.
//!
//! To add a case: make a folder with the changed file(s) and an empty `expected.txt`, run
//! `UPDATE_EXPECTED=1 cargo test -p lilong-core --test data_cases`, and read what was written:
//! it must be exactly what a curator should be told.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lilong_core::load::{Loaded, load_precisely, load_with_media};

mod support;
use support::same;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data-cases")
}

/// Every file under `dir`, by `/`-separated relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .expect("readable case folder")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(
                    rel.join("/"),
                    std::fs::read(&p).expect("readable case file"),
                );
            }
        }
    }
    out
}

fn load_tree(tree: &BTreeMap<String, Vec<u8>>) -> Loaded {
    let files: Vec<(&str, Option<&[u8]>)> = tree
        .iter()
        .map(|(k, v)| (k.as_str(), Some(v.as_slice())))
        .collect();
    let media: Vec<&str> = tree.keys().map(String::as_str).collect();
    load_with_media(&files, &media)
}

fn load_tree_precisely(tree: &BTreeMap<String, Vec<u8>>) -> Loaded {
    let files: Vec<(&str, Option<&[u8]>)> = tree
        .iter()
        .map(|(k, v)| (k.as_str(), Some(v.as_slice())))
        .collect();
    let media: Vec<&str> = tree.keys().map(String::as_str).collect();
    load_precisely(&files, &media)
}

fn render(loaded: &Loaded) -> String {
    loaded.problems.iter().map(|p| format!("{p}\n")).collect()
}

#[test]
fn base_is_clean() {
    let base = read_tree(&cases_dir().join("base"));
    let loaded = load_tree(&base);
    assert_eq!(
        render(&loaded),
        "",
        "the base data set must load without problems"
    );
    let ex = &loaded.exhibit;
    assert_eq!(ex.areas.len(), 3);
    assert!(
        !ex.area("prov-310101023000-unlocated")
            .unwrap()
            .has_outline()
    );
    assert_eq!(ex.places.len(), 1);
    assert_eq!(ex.projects.len(), 1);
    assert_eq!(ex.stories.len(), 1);
    assert!(loaded.unusable.is_empty() && loaded.skipped.is_empty());
}

#[test]
fn every_case_gives_exactly_the_expected_problems() {
    let root = cases_dir();
    let base = read_tree(&root.join("base"));
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("tests/data-cases exists")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "base")
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no cases found");
    let mut failures = Vec::new();
    for name in &names {
        let dir = root.join(name);
        let mut tree = base.clone();
        let case = read_tree(&dir);
        for (path, bytes) in &case {
            if path != "expected.txt" && path != "remove.txt" {
                tree.insert(path.clone(), bytes.clone());
            }
        }
        if let Some(remove) = case.get("remove.txt") {
            for line in String::from_utf8_lossy(remove).lines() {
                tree.remove(line.trim());
            }
        }
        let loaded = load_tree(&tree);
        let got = render(&loaded);
        // The fast path must give exactly what reading every file as one value gives.
        let precise = load_tree_precisely(&tree);
        if same(&loaded) != same(&precise) {
            failures.push(format!(
                "{name}: the fast and the precise path disagree\n{got}\n{}",
                render(&precise)
            ));
        }
        let expected_path = dir.join("expected.txt");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            if update {
                std::fs::write(&expected_path, &got).expect("writable expected.txt");
            } else {
                failures.push(format!(
                    "--- {name}: expected\n{expected}+++ {name}: got\n{got}"
                ));
            }
        }
        if got.is_empty() {
            failures.push(format!("{name}: the case gives no problem at all"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_app_loads_without_a_media_list_and_images_are_not_checked() {
    let mut tree = read_tree(&cases_dir().join("image-missing"));
    let base = read_tree(&cases_dir().join("base"));
    for (k, v) in base {
        tree.entry(k).or_insert(v);
    }
    tree.remove("media/nanchang.png");
    let files: Vec<(&str, Option<&[u8]>)> = tree
        .iter()
        .map(|(k, v)| (k.as_str(), Some(v.as_slice())))
        .collect();
    let loaded = lilong_core::load::load(&files);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(
        loaded.exhibit.media_files(),
        ["media/nanchang.jpg", "media/nanchang.png"]
    );
}
