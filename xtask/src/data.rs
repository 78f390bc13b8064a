//! Data chores: check-data, import-gcj02, schemas.

use std::path::{Path, PathBuf};

use lilong_core::load::{FILES, load_with_media};
use lilong_core::problem::summary;
use serde_json::Value;

/// `check-data [DIR] [--write-checked]`: loads DIR (default `data/`) exactly as the app does and
/// prints every problem as `DIR/FILE:LINE:COL: error|warning: message`, then a summary. Fails on
/// any error. With `--write-checked`, also writes `DIR/checked.bin`, the checked exhibit the app
/// reads instead of the JSON while the files stay as they are (problems included, so the app
/// shows the same thing either way).
pub fn check_data(args: &[String]) -> Result<(), String> {
    let mut dir = None;
    let mut write = false;
    for a in args {
        match a.as_str() {
            "--write-checked" => write = true,
            other if other.starts_with("--") => {
                return Err(format!(
                    "unknown option `{other}` (check-data [DIR] [--write-checked])"
                ));
            }
            d if dir.is_none() => dir = Some(PathBuf::from(d)),
            extra => return Err(format!("`check-data` takes one folder (got `{extra}` too)")),
        }
    }
    let dir = dir.unwrap_or_else(|| crate::root().join("data"));
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let (report, errors) = check_dir(&dir, &display_prefix(&dir));
    print!("{report}");
    if write {
        let bytes = write_checked(&dir)?;
        println!(
            "wrote {}{} ({:.1} KB)",
            display_prefix(&dir),
            lilong_core::checked::FILE,
            bytes as f64 / 1024.0
        );
    }
    if errors > 0 {
        Err(String::new())
    } else {
        Ok(())
    }
}

/// The files of `dir` the loader reads (`None`: missing).
fn read_data_files(dir: &Path) -> Vec<(&'static str, Option<Vec<u8>>)> {
    FILES
        .iter()
        .map(|f| (*f, std::fs::read(dir.join(f)).ok()))
        .collect()
}

/// Writes `dir/checked.bin` from the data files in `dir`; returns its size in bytes.
pub fn write_checked(dir: &Path) -> Result<u64, String> {
    let contents = read_data_files(dir);
    let files: Vec<(&str, Option<&[u8]>)> =
        contents.iter().map(|(f, b)| (*f, b.as_deref())).collect();
    let bytes = lilong_core::checked::write(&files);
    let path = dir.join(lilong_core::checked::FILE);
    std::fs::write(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(bytes.len() as u64)
}

/// Whether `dir/checked.bin` reads and was made from the data files in `dir` as they are now.
pub fn checked_is_fresh(dir: &Path) -> bool {
    let Ok(bytes) = std::fs::read(dir.join(lilong_core::checked::FILE)) else {
        return false;
    };
    let Ok(c) = lilong_core::checked::read(&bytes) else {
        return false;
    };
    let contents = read_data_files(dir);
    let stamps: Vec<(&str, Option<lilong_core::checked::Stamp>)> = contents
        .iter()
        .map(|(f, b)| (*f, b.as_deref().map(lilong_core::checked::Fingerprint::of)))
        .collect();
    c.stale(&stamps).is_empty()
}

/// How to show DIR before file names: relative to the current directory when possible.
fn display_prefix(dir: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = dir.strip_prefix(&cwd).unwrap_or(dir);
    let s = shown.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        String::new()
    } else {
        format!("{}/", s.trim_end_matches('/'))
    }
}

/// Checks a data directory: (the lines to print, the number of errors).
pub fn check_dir(dir: &Path, prefix: &str) -> (String, usize) {
    let contents = read_data_files(dir);
    let files: Vec<(&str, Option<&[u8]>)> =
        contents.iter().map(|(f, b)| (*f, b.as_deref())).collect();
    let media = list_files(dir);
    let media: Vec<&str> = media.iter().map(String::as_str).collect();
    let loaded = load_with_media(&files, &media);
    let mut out = String::new();
    for p in &loaded.problems {
        out.push_str(prefix);
        out.push_str(&p.to_string());
        out.push('\n');
    }
    let ex = &loaded.exhibit;
    out.push_str(&format!(
        "loaded {} districts, {} subdistricts, {} areas, {} places, {} projects, {} stories, {} sources",
        ex.districts.len(),
        ex.subdistricts.len(),
        ex.areas.len(),
        ex.places.len(),
        ex.projects.len(),
        ex.stories.len(),
        ex.sources.len()
    ));
    if !loaded.skipped.is_empty() {
        out.push_str(&format!("; left out {} with errors", loaded.skipped.len()));
    }
    if !loaded.unusable.is_empty() {
        out.push_str(&format!("; unusable: {}", loaded.unusable.join(", ")));
    }
    out.push('\n');
    out.push_str(&summary(&loaded.problems, FILES.len()));
    out.push('\n');
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    (out, errors)
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    out
}

/// `import-gcj02 FILE`: converts a GeoJSON file's coordinates from GCJ-02 to WGS84 in place
/// (6 decimals, about 0.1 m) and drops its `coordinate_system` member.
pub fn import_gcj02(args: &[String]) -> Result<(), String> {
    let [file] = args else {
        return Err("usage: cargo xtask import-gcj02 FILE".into());
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let out = convert_gcj02_text(&text).map_err(|e| format!("{file}: {e}"))?;
    std::fs::write(file, out.text).map_err(|e| format!("cannot write {file}: {e}"))?;
    println!(
        "{file}: {} positions converted from GCJ-02 to WGS84",
        out.positions
    );
    Ok(())
}

pub struct Converted {
    pub text: String,
    pub positions: usize,
}

/// Converts a GeoJSON text from GCJ-02 to WGS84, keeping its members in order.
pub fn convert_gcj02_text(text: &str) -> Result<Converted, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut v: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let obj = v
        .as_object_mut()
        .ok_or("the file must hold a GeoJSON object")?;
    match obj.get("coordinate_system").and_then(Value::as_str) {
        Some("WGS84") => return Err("the file says its coordinates are WGS84 already".into()),
        Some("GCJ-02") | None => {}
        Some(other) => return Err(format!("unknown coordinate_system `{other}`")),
    }
    obj.remove("coordinate_system");
    let mut positions = 0;
    convert_geojson(&mut v, &mut positions);
    if positions == 0 {
        return Err("no coordinates found".into());
    }
    let mut out = String::new();
    write_json(&v, 0, &mut out);
    out.push('\n');
    Ok(Converted {
        text: out,
        positions,
    })
}

fn convert_geojson(v: &mut Value, n: &mut usize) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if k == "coordinates" {
                    convert_positions(child, n);
                } else if k != "properties" {
                    convert_geojson(child, n);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| convert_geojson(c, n)),
        _ => {}
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn convert_positions(v: &mut Value, n: &mut usize) {
    let Value::Array(a) = v else { return };
    let is_position = a.len() >= 2 && a.iter().all(Value::is_number);
    if !is_position {
        a.iter_mut().for_each(|c| convert_positions(c, n));
        return;
    }
    let (Some(lon), Some(lat)) = (a[0].as_f64(), a[1].as_f64()) else {
        return;
    };
    let (x, y) = lilong_core::gcj02::to_wgs84(lon, lat);
    if let (Some(x), Some(y)) = (
        serde_json::Number::from_f64(round6(x)),
        serde_json::Number::from_f64(round6(y)),
    ) {
        a[0] = Value::Number(x);
        a[1] = Value::Number(y);
        *n += 1;
    }
}

/// Pretty JSON with two-space indent, members in their original order, and lists of
/// numbers (positions, bounds) on one line.
pub fn write_json(v: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) if a.iter().all(|x| x.is_number()) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&x.to_string());
            }
            out.push(']');
        }
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_json(x, indent + 1, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            out.push_str("{\n");
            for (i, (k, x)) in m.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                write_json(x, indent + 1, out);
                if i + 1 < m.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The JSON Schema of each data file, generated from the core types:
/// (file name under `data/schema/`, schema text).
pub fn generated_schemas() -> Vec<(&'static str, String)> {
    use lilong_core::model::*;
    use lilong_core::schemars::schema_for;
    let all = [
        (
            "exhibit",
            "exhibit.json: the exhibit's settings",
            schema_for!(ExhibitFile),
        ),
        (
            "sources",
            "sources.json: the articles the content comes from",
            schema_for!(SourcesFile),
        ),
        (
            "districts",
            "districts.geojson: district outlines (GeoJSON, WGS84)",
            schema_for!(DistrictsFile),
        ),
        (
            "subdistricts",
            "subdistricts.json: the subdistricts (街道) areas belong to",
            schema_for!(SubdistrictsFile),
        ),
        (
            "areas",
            "areas.geojson: residential areas (GeoJSON, WGS84)",
            schema_for!(AreasFile),
        ),
        (
            "places",
            "places.geojson: historical buildings and places (GeoJSON Points, WGS84)",
            schema_for!(PlacesFile),
        ),
        (
            "projects",
            "projects.json: self-governance projects with milestones",
            schema_for!(ProjectsFile),
        ),
        (
            "stories",
            "stories.json: guided stories in chapters",
            schema_for!(StoriesFile),
        ),
        (
            "basemap",
            "basemap.geojson: streets and water under the areas (GeoJSON, WGS84; \
             © OpenStreetMap contributors, ODbL 1.0)",
            schema_for!(lilong_core::basemap::BasemapFile),
        ),
        (
            "strings",
            "i18n/<language>.json: interface strings of one language",
            schema_for!(StringsFile),
        ),
    ];
    all.into_iter()
        .map(|(name, title, mut schema)| {
            schema.insert("title".into(), Value::String(format!("lilong {name}")));
            schema.insert(
                "description".into(),
                Value::String(format!(
                    "{title}. See docs/data-format.md and docs/curating.md."
                )),
            );
            let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            text.push('\n');
            (schema_file(name), text)
        })
        .collect()
}

fn schema_file(name: &str) -> &'static str {
    match name {
        "exhibit" => "exhibit.schema.json",
        "sources" => "sources.schema.json",
        "districts" => "districts.schema.json",
        "subdistricts" => "subdistricts.schema.json",
        "areas" => "areas.schema.json",
        "places" => "places.schema.json",
        "projects" => "projects.schema.json",
        "stories" => "stories.schema.json",
        "basemap" => "basemap.schema.json",
        _ => "strings.schema.json",
    }
}

/// The checked-in schemas that differ from the generated ones.
pub fn drifted_schemas(schema_dir: &Path) -> Vec<String> {
    generated_schemas()
        .into_iter()
        .filter(|(name, text)| {
            std::fs::read_to_string(schema_dir.join(name))
                .ok()
                .as_deref()
                != Some(text.as_str())
        })
        .map(|(name, _)| name.to_string())
        .collect()
}

/// `schemas [--check]`: writes `data/schema/*.schema.json` from the core types; with
/// `--check`, fails listing the files that differ.
pub fn schemas(args: &[String]) -> Result<(), String> {
    let dir = crate::root().join("data").join("schema");
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask schemas [--check]".into()),
    };
    if check {
        let drift = drifted_schemas(&dir);
        if drift.is_empty() {
            println!("schemas: data/schema/ matches the core types");
            return Ok(());
        }
        return Err(format!(
            "these schemas differ from the core types: {} — run `cargo xtask schemas`",
            drift.join(", ")
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in generated_schemas() {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote data/schema/{name}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_schemas_match_the_types() {
        let drift = drifted_schemas(&crate::root().join("data").join("schema"));
        assert!(
            drift.is_empty(),
            "run `cargo xtask schemas`; these drifted: {drift:?}"
        );
    }

    #[test]
    fn import_gcj02_converts_and_drops_the_declaration() {
        let text = r#"{"type":"FeatureCollection","coordinate_system":"GCJ-02","features":[
            {"type":"Feature","properties":{"id":"x","note":[121.5,31.2]},
             "geometry":{"type":"Point","coordinates":[121.4737,31.2304]}}]}"#;
        let out = convert_gcj02_text(text).unwrap();
        assert_eq!(out.positions, 1);
        assert!(!out.text.contains("coordinate_system"));
        let v: Value = serde_json::from_str(&out.text).unwrap();
        let c = &v["features"][0]["geometry"]["coordinates"];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        let (glon, glat) = lilong_core::gcj02::from_wgs84(lon, lat);
        assert!((glon - 121.4737).abs() < 2e-6 && (glat - 31.2304).abs() < 2e-6);
        // Properties are left alone, members keep their order.
        assert_eq!(
            v["features"][0]["properties"]["note"][0].as_f64(),
            Some(121.5)
        );
        assert!(out.text.find("\"type\"").unwrap() < out.text.find("\"features\"").unwrap());
        assert!(convert_gcj02_text(r#"{"coordinate_system":"WGS84","features":[]}"#).is_err());
    }

    #[test]
    fn the_base_case_checks_clean() {
        let base = crate::root().join("tests").join("data-cases").join("base");
        let (report, errors) = check_dir(&base, "");
        assert_eq!(errors, 0, "{report}");
    }
    /// Interface keys the app asks for with `.t("…")`, found in `src/`.
    fn keys_used_by_the_app() -> Vec<(String, String)> {
        let mut out = Vec::new();
        let src = crate::root().join("src");
        for file in list_files(&src).into_iter().filter(|f| f.ends_with(".rs")) {
            let text = std::fs::read_to_string(src.join(&file)).unwrap_or_default();
            for (i, _) in text.match_indices(".t(\"") {
                let rest = &text[i + 4..];
                if let Some(end) = rest.find('"') {
                    if rest[end..].starts_with("\")") {
                        out.push((rest[..end].to_string(), format!("src/{file}")));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn zh_hans_strings_define_every_key_the_app_uses() {
        let text = std::fs::read_to_string(crate::root().join("data/i18n/zh-Hans.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let strings = v["strings"].as_object().unwrap();
        let used = keys_used_by_the_app();
        assert!(
            !used.is_empty(),
            "the scan found no `.t(\"…\")` call in src/"
        );
        let missing: Vec<String> = used
            .iter()
            .filter(|(k, _)| !strings.contains_key(k))
            .map(|(k, f)| format!("{k} (used in {f})"))
            .collect();
        assert!(
            missing.is_empty(),
            "keys missing from data/i18n/zh-Hans.json: {missing:?}"
        );
    }
}
