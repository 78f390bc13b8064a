//! Loading the exhibit's files: one function, [`load`], used by the app and by the checker.
//!
//! The caller reads (or fetches) each file of [`FILES`] and passes its bytes, or `None` when
//! it could not be had. Whatever the bytes, `load` returns an [`Exhibit`] with every record
//! that is sound, and the list of [`Problem`]s found, each located by file, line, column and
//! JSON path. It never panics.
//!
//! A missing or unusable file is named in [`Loaded::unusable`] and everything else still
//! loads; a record (a feature, a project, a story…) with an error is left out, listed in
//! [`Loaded::skipped`], and every other record still loads.
//!
//! Limits: a file may have at most [`MAX_FILE_BYTES`] bytes, nest at most 128 levels deep
//! (serde_json's recursion limit), and hold at most [`MAX_VERTICES_PER_FEATURE`] positions in
//! one geometry and [`MAX_VERTICES_PER_FILE`] in one file.
//!
//! ```
//! use lilong_core::load::load;
//! let loaded = load(&[("exhibit.json", Some(b"{ \"title\": 1 }".as_slice()))]);
//! assert!(loaded.unusable.contains(&"exhibit.json".to_string()));
//! assert!(loaded.unusable.contains(&"areas.geojson".to_string())); // not given: missing
//! let first = loaded.problems.iter().find(|p| p.file == "exhibit.json").unwrap();
//! assert_eq!(first.line, 1);
//! ```

use serde_json::Value;

use crate::locate::JsonPath;

mod fast;
mod outline;
mod records;
pub(crate) mod report;
mod texts;
mod words;

use crate::model::Exhibit;
use crate::problem::Problem;
use fast::RawRecord;
pub(crate) use records::{Parsed, Rec, deserialize};
pub(crate) use report::{Reporter, at};
pub(crate) use words::closest;

/// The files of `data/` the exhibit reads, relative to `data/`, in load order.
pub const FILES: &[&str] = &[
    "exhibit.json",
    "sources.json",
    "districts.geojson",
    "subdistricts.json",
    "areas.geojson",
    "places.geojson",
    "projects.json",
    "stories.json",
    "i18n/zh-Hans.json",
    "i18n/zh-Hant.json",
    "i18n/en.json",
    // Optional: read by `crate::basemap`; without it the map has no base layer.
    crate::basemap::FILE,
];

/// The largest file the loader reads: 8 MiB. Larger files are refused whole.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// The most positions one geometry may have.
pub const MAX_VERTICES_PER_FEATURE: usize = 50_000;
/// The most positions one file may have.
pub const MAX_VERTICES_PER_FILE: usize = 500_000;

/// Where coordinates must lie: a box around Shanghai, `[west, south, east, north]`
/// (WGS84 degrees), with a margin for its outlying islands.
pub const SHANGHAI_BOX: [f64; 4] = [120.8, 30.6, 122.3, 31.95];

/// Whether a longitude/latitude lies in [`SHANGHAI_BOX`].
pub fn in_shanghai(lon: f64, lat: f64) -> bool {
    let [w, s, e, n] = SHANGHAI_BOX;
    (w..=e).contains(&lon) && (s..=n).contains(&lat)
}

/// What [`load`] returns.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Every sound record; every id in it resolves.
    pub exhibit: Exhibit,
    /// Every problem found, errors and warnings, in the order of [`FILES`], then by position.
    pub problems: Vec<Problem>,
    /// Files that could not be used at all (missing, not UTF-8, not JSON, wrong shape),
    /// relative to `data/`; the app names them on a calm screen.
    pub unusable: Vec<String>,
    /// The records skipped because of their errors.
    pub skipped: Vec<Skipped>,
}

/// A record left out of the exhibit because of its errors.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    pub file: String,
    /// e.g. `features[3]` or `projects[0]`.
    pub path: String,
    pub id: Option<String>,
}

impl Loaded {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Loads the exhibit from the files' bytes: `(path relative to data/, bytes or None)`.
/// Images are not checked for existence (the app cannot list a directory); see
/// [`load_with_media`].
pub fn load(files: &[(&str, Option<&[u8]>)]) -> Loaded {
    load_inner::<true>(files, None)
}

/// Like [`load`], and also checks that every referenced image is among `media` (paths
/// relative to `data/`, e.g. `media/nanchang.jpg`). Used by the checker.
pub fn load_with_media(files: &[(&str, Option<&[u8]>)], media: &[&str]) -> Loaded {
    load_inner::<true>(files, Some(media))
}

/// [`load_with_media`] reading every file as one `serde_json::Value` (the precise path the fast
/// path falls back to). For tests that check both paths give the same result.
#[doc(hidden)]
pub fn load_precisely(files: &[(&str, Option<&[u8]>)], media: &[&str]) -> Loaded {
    load_inner::<false>(files, Some(media))
}

/// `FAST`: read each file in one pass ([`fast::split`]), or the precise way (one `Value`, read
/// by the same visitor, [`fast::whole`], which notes members named twice). A constant, so that a build that only loads the
/// fast way carries no code of the other.
fn load_inner<const FAST: bool>(files: &[(&str, Option<&[u8]>)], media: Option<&[&str]>) -> Loaded {
    let mut rep = Reporter::default();
    let mut parsed = Parsed::default();
    let mut basemap = None;
    for &name in FILES {
        let bytes = files.iter().find(|(n, _)| *n == name).and_then(|(_, b)| *b);
        if name == crate::basemap::FILE {
            basemap = Some(crate::basemap::take(&mut rep, bytes));
            continue;
        }
        let Some(text) = rep.read(name, bytes) else {
            rep.unusable.push(name.to_string());
            continue;
        };
        let split = if FAST {
            fast::split(text, list_of(name))
        } else {
            None
        };
        let read = match split {
            Some(s) => {
                rep.duplicates(name, s.duplicates);
                Ok((s.top, s.items))
            }
            None => fast::whole(text).map(|(v, duplicates)| {
                rep.duplicates(name, duplicates);
                (v, None)
            }),
        };
        let (value, items) = match read {
            Ok(read) => read,
            Err(e) => {
                rep.syntax_error(name, text, &e);
                rep.unusable.push(name.to_string());
                continue;
            }
        };
        check_schema_member(&mut rep, name, &value);
        let doc = Doc {
            value: &value,
            items,
        };
        if !parsed.take(&mut rep, name, doc) {
            rep.unusable.push(name.to_string());
        }
    }
    let mut exhibit = crate::validate::validate(&mut rep, parsed, media);
    exhibit.basemap = basemap.unwrap_or_default();
    rep.finish(exhibit)
}

/// The member of a file that holds its records, and whether they are GeoJSON features.
fn list_of(file: &str) -> Option<(&'static str, bool)> {
    match file {
        "sources.json" => Some(("sources", false)),
        "subdistricts.json" => Some(("subdistricts", false)),
        "projects.json" => Some(("projects", false)),
        "stories.json" => Some(("stories", false)),
        "districts.geojson" | "areas.geojson" | "places.geojson" => Some(("features", true)),
        _ => None,
    }
}

/// A file's value, and its records when the fast path read them apart (its records list
/// then stands empty in the value).
pub(crate) struct Doc<'v, 't> {
    pub(crate) value: &'v Value,
    pub(crate) items: Option<Vec<RawRecord<'t>>>,
}

/// The JSON Schema file (under `data/schema/`) that describes a data file.
pub fn schema_for_file(file: &str) -> &'static str {
    match file {
        "exhibit.json" => "exhibit.schema.json",
        "sources.json" => "sources.schema.json",
        "districts.geojson" => "districts.schema.json",
        "subdistricts.json" => "subdistricts.schema.json",
        "areas.geojson" => "areas.schema.json",
        "places.geojson" => "places.schema.json",
        "projects.json" => "projects.schema.json",
        "stories.json" => "stories.schema.json",
        crate::basemap::FILE => "basemap.schema.json",
        _ => "strings.schema.json",
    }
}

/// A file's `$schema` member should name its schema, so editors check as the curator types.
fn check_schema_member(rep: &mut Reporter, file: &str, value: &Value) {
    let Some(obj) = value.as_object() else { return };
    let expected = schema_for_file(file);
    let up = if file.contains('/') { "../" } else { "" };
    match obj.get("$schema").and_then(Value::as_str) {
        Some(s) if s.rsplit('/').next() == Some(expected) => {}
        Some(s) => {
            let p = JsonPath::root().key("$schema");
            rep.warning(
                file,
                &p,
                format!(
                    "`$schema` names `{s}`, but this file's schema is `{up}schema/{expected}`: \
                     editors check it against the wrong rules"
                ),
            );
        }
        None => rep.warning(
            file,
            &JsonPath::root(),
            format!(
                "the file has no `$schema` member: add `\"$schema\": \"{up}schema/{expected}\"` \
                 so editors check it as you type"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_files_make_them_unusable_but_the_rest_loads() {
        let loaded = load(&[]);
        // Every file but the optional base map.
        assert_eq!(loaded.unusable.len(), FILES.len() - 1);
        assert_eq!(loaded.problems.len(), FILES.len() - 1);
        assert!(loaded.problems[0].message.contains("missing"));
    }

    #[test]
    fn oversized_files_are_refused_whole() {
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        let loaded = load(&[("areas.geojson", Some(big.as_slice()))]);
        assert!(loaded.unusable.contains(&"areas.geojson".to_string()));
        let p = loaded
            .problems
            .iter()
            .find(|p| p.file == "areas.geojson")
            .unwrap();
        assert!(p.message.contains("too large"), "{p}");
    }
}
