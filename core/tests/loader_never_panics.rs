//! Whatever the bytes of any data file, `load` returns (never panics), every problem it
//! reports is located inside the file, and a file it cannot use is named.
//!
//! Each file of `FILES` is replaced in turn, the others being the valid base data set of
//! `tests/data-cases/base`, by: arbitrary bytes; the valid file with bytes flipped, cut or
//! inserted; and arbitrary JSON values.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use lilong_core::load::{FILES, Loaded, load_with_media};
use proptest::prelude::*;
use serde_json::Value;

fn base() -> &'static BTreeMap<String, Vec<u8>> {
    static BASE: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data-cases/base");
        FILES
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    std::fs::read(dir.join(f)).expect("base file"),
                )
            })
            .collect()
    })
}

/// Loads the base set with `file` replaced by `bytes`, and checks what must always hold.
fn load_replacing(file: &str, bytes: &[u8]) -> Result<Loaded, TestCaseError> {
    let files: Vec<(&str, Option<&[u8]>)> = base()
        .iter()
        .map(|(k, v)| {
            let b = if k == file { bytes } else { v.as_slice() };
            (k.as_str(), Some(b))
        })
        .collect();
    let loaded = load_with_media(&files, &["media/nanchang.png"]);
    let text = String::from_utf8_lossy(bytes);
    let lines = text.lines().count().max(1) as u32 + 1;
    for p in &loaded.problems {
        prop_assert!(p.line >= 1 && p.col >= 1, "unlocated problem: {p}");
        prop_assert!(!p.message.is_empty());
        if p.file == file {
            prop_assert!(p.line <= lines, "problem past the end of the file: {p}");
        } else {
            // The other files are valid: only links into the broken file may be reported.
            prop_assert!(
                [
                    "left out",
                    "there is no",
                    "not in i18n/zh-Hans.json",
                    "is not the district",
                    "lies outside the outline"
                ]
                .iter()
                .any(|m| p.message.contains(m)),
                "a valid file got a problem of its own: {p}"
            );
        }
    }
    let errors_in_file = loaded
        .problems
        .iter()
        .any(|p| p.file == file && p.is_error());
    if loaded.unusable.iter().any(|u| u == file) {
        prop_assert!(
            errors_in_file,
            "{file} unusable without an error saying why"
        );
    }
    Ok(loaded)
}

fn file_index() -> impl Strategy<Value = usize> {
    0..FILES.len()
}

/// Arbitrary JSON values, a few levels deep, with the names the data files use as keys.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "id",
        "name",
        "type",
        "features",
        "properties",
        "geometry",
        "coordinates",
        "zh-Hans",
        "en",
        "sources",
        "area",
        "date",
        "milestones",
        "chapters",
        "image",
        "alt",
        "file",
        "focus",
        "place",
        "story",
        "kind",
        "location",
        "strings",
        "language",
        "title",
        "x",
    ])
    .prop_map(str::to_string);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-200.0f64..200.0).prop_map(Value::from),
        "[a-z0-9 -]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "Feature",
            "FeatureCollection",
            "Point",
            "Polygon",
            "2019-02-30",
            "zh-Hans"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The valid file with some bytes changed, cut or inserted.
fn mutated() -> impl Strategy<Value = (usize, Vec<u8>)> {
    (
        file_index(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    )
        .prop_map(|(i, edits)| {
            let mut bytes = base()[FILES[i]].clone();
            for (at, b, op) in edits {
                if bytes.is_empty() {
                    bytes.push(b);
                    continue;
                }
                let pos = at.index(bytes.len());
                match op {
                    0 => bytes[pos] = b,
                    1 => bytes.truncate(pos),
                    _ => bytes.insert(pos, b),
                }
            }
            (i, bytes)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(i in file_index(), bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        load_replacing(FILES[i], &bytes)?;
    }

    #[test]
    fn mutated_valid_files((i, bytes) in mutated()) {
        load_replacing(FILES[i], &bytes)?;
    }

    #[test]
    fn arbitrary_json(i in file_index(), v in json_value()) {
        let text = serde_json::to_string_pretty(&v).unwrap_or_default();
        load_replacing(FILES[i], text.as_bytes())?;
    }
}

#[test]
fn the_base_set_loads_whole() {
    let loaded = load_replacing("none", b"").expect("base loads");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
}
