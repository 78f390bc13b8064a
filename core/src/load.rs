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

use std::borrow::Cow;
use std::collections::HashMap;

use geo::{Coord, LineString, MultiPolygon, Point, Polygon, Winding};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::locate::{JsonPath, Seg, Target, TextIndex};

mod fast;
mod track;
use crate::model::{
    Area, AreaProps, CoordinateSystem, District, DistrictProps, Exhibit, Feature,
    FeatureCollection, GeometryType, Lang, Place, PlaceProps, Project, ProjectsFile, RawGeometry,
    Settings, Source, SourcesFile, StoriesFile, Story, StringsFile, Subdistrict, SubdistrictsFile,
};
use crate::problem::{Problem, Severity};
use fast::{RawRecord, Record, TextFinding, Typed, Xy};

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

/// `FAST`: read each file in one pass ([`fast::split`]), or the precise way (one `Value` and a
/// scan of the text for members named twice). A constant, so that a build that only loads the
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
            None => serde_json::from_str::<Value>(text).map(|v| {
                rep.duplicates(name, crate::locate::duplicate_members(text));
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
struct Doc<'v, 't> {
    value: &'v Value,
    items: Option<Vec<RawRecord<'t>>>,
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

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

/// Collects problems, locating each in its file's text when it is reported.
#[derive(Default)]
pub(crate) struct Reporter<'a> {
    /// Each file's text, borrowed from the caller's bytes (only the readable prefix of a file
    /// that is not UTF-8 is a copy).
    texts: HashMap<&'static str, Cow<'a, str>>,
    /// Each text's index, built when its first problem is located.
    indexes: HashMap<&'static str, TextIndex>,
    problems: Vec<Problem>,
    errors: usize,
    unusable: Vec<String>,
    skipped: Vec<Skipped>,
}

/// " at `path`", or nothing for the whole file.
pub(crate) fn at(path: &JsonPath) -> String {
    if path.is_root() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

impl<'a> Reporter<'a> {
    /// Records a problem located at `path` (its value, or its member name with `Target::Key`).
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        file: &str,
        path: &JsonPath,
        target: Target,
        message: String,
    ) {
        let (line, col) = self.locate(file, path, target);
        self.errors += usize::from(severity == Severity::Error);
        self.problems.push(Problem {
            file: file.to_string(),
            line,
            col,
            path: path.to_string(),
            severity,
            message,
        });
    }

    pub(crate) fn error(&mut self, file: &str, path: &JsonPath, message: String) {
        self.push(Severity::Error, file, path, Target::Value, message);
    }

    pub(crate) fn warning(&mut self, file: &str, path: &JsonPath, message: String) {
        self.push(Severity::Warning, file, path, Target::Value, message);
    }

    fn at_offset(&mut self, severity: Severity, file: &str, offset: usize, message: String) {
        let (line, col) = match self.texts.get_key_value(file) {
            Some((name, text)) => self
                .indexes
                .entry(name)
                .or_insert_with(|| TextIndex::new(text))
                .line_col(text, offset),
            None => (1, 1),
        };
        self.errors += usize::from(severity == Severity::Error);
        self.problems.push(Problem {
            file: file.to_string(),
            line,
            col,
            path: String::new(),
            severity,
            message,
        });
    }

    pub(crate) fn skip(&mut self, file: &str, path: &JsonPath, id: Option<&str>) {
        self.skipped.push(Skipped {
            file: file.to_string(),
            path: path.to_string(),
            id: id.map(str::to_string),
        });
    }

    pub(crate) fn unusable(&self) -> &[String] {
        &self.unusable
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    /// The line and column of `path` in `file`'s text (1:1 when there is no text).
    pub(crate) fn locate(&mut self, file: &str, path: &JsonPath, target: Target) -> (u32, u32) {
        match self.texts.get_key_value(file) {
            Some((name, text)) => self
                .indexes
                .entry(name)
                .or_insert_with(|| TextIndex::new(text))
                .locate(text, path, target),
            None => (1, 1),
        }
    }

    fn finish(mut self, exhibit: Exhibit) -> Loaded {
        let order = |f: &str| FILES.iter().position(|x| *x == f).unwrap_or(FILES.len());
        self.problems
            .sort_by_key(|a| (order(&a.file), a.line, a.col));
        Loaded {
            exhibit,
            problems: self.problems,
            unusable: self.unusable,
            skipped: self.skipped,
        }
    }

    /// Bytes → text, with a located problem when they cannot be read as text.
    pub(crate) fn read(&mut self, file: &'static str, bytes: Option<&'a [u8]>) -> Option<&'a str> {
        let root = JsonPath::root();
        let Some(mut bytes) = bytes else {
            self.error(
                file,
                &root,
                "the file is missing: the exhibit needs it".to_string(),
            );
            return None;
        };
        if bytes.len() > MAX_FILE_BYTES {
            self.error(
                file,
                &root,
                format!(
                    "the file is too large ({} bytes; the limit is {} MiB): simplify its geometry",
                    bytes.len(),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            );
            return None;
        }
        let mut bom = false;
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            bytes = rest;
            bom = true;
        }
        let text: &'a str = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let good = e.valid_up_to();
                let prefix = String::from_utf8_lossy(&bytes[..good]);
                self.texts.insert(file, Cow::Owned(prefix.into_owned()));
                let offset = good + usize::from(bom) * 3;
                self.at_offset(
                    Severity::Error,
                    file,
                    good,
                    format!(
                        "the file is not valid UTF-8 at byte {offset}: save it as UTF-8 \
                         (it may have been saved as GBK or another legacy encoding)"
                    ),
                );
                return None;
            }
        };
        self.texts.insert(file, Cow::Borrowed(text));
        if bom {
            self.warning(
                file,
                &root,
                "the file starts with a byte-order mark (BOM); it was ignored, but save the file \
                 as UTF-8 without BOM"
                    .to_string(),
            );
        }
        Some(text)
    }

    /// Members named twice in the file.
    fn duplicates(&mut self, file: &str, paths: Vec<JsonPath>) {
        for path in paths {
            let name = path.last_key().unwrap_or_default().to_string();
            let obj = JsonPath(path.0[..path.0.len().saturating_sub(1)].to_vec());
            let message = format!(
                "the field `{name}` appears twice{}; only the last one is used: \
                         remove the other",
                if obj.is_root() {
                    String::new()
                } else {
                    format!(" in `{obj}`")
                }
            );
            self.push(Severity::Warning, file, &path, Target::Key, message);
        }
    }

    /// The text is not JSON: a problem located at the parser's error.
    pub(crate) fn syntax_error(&mut self, file: &str, text: &str, e: &serde_json::Error) {
        let offset = syntax_offset(text, e.line(), e.column());
        let message = syntax_message(e, text.get(offset..).unwrap_or_default());
        self.at_offset(Severity::Error, file, offset, message);
    }
}

/// serde_json reports a 1-based line and a column counted in bytes; turn that into a byte
/// offset in the text.
fn syntax_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

fn syntax_message(e: &serde_json::Error, rest: &str) -> String {
    let full = e.to_string();
    let raw = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let said = if raw.starts_with("EOF while parsing") {
        "the file ends too early: a closing `}`, `]` or `\"` is missing".to_string()
    } else if raw == "trailing comma" {
        "a comma before a closing bracket: remove the last comma of the list or object".to_string()
    } else if raw == "expected `,` or `}`" {
        "expected a comma or `}` here: is a comma missing between two members?".to_string()
    } else if raw == "expected `,` or `]`" {
        "expected a comma or `]` here: is a comma missing between two elements?".to_string()
    } else if raw == "key must be a string" {
        "a member name must be written in double quotes, like \"name\"".to_string()
    } else if raw == "expected `:`" {
        "expected `:` between a member's name and its value".to_string()
    } else if raw == "expected value"
        && ["NaN", "Infinity", "-Infinity", "nan", "inf"]
            .iter()
            .any(|t| rest.starts_with(t))
    {
        "`NaN` and `Infinity` are not numbers JSON allows: write the figure, or leave the field \
         out"
        .to_string()
    } else if raw == "number out of range" {
        "this number is too large to be a figure: write an ordinary number like 121.46".to_string()
    } else if raw == "expected value" {
        "expected a value here (a text in double quotes, a number, an object, a list, true, \
         false or null)"
            .to_string()
    } else if raw.starts_with("control character") {
        "a line break or control character inside a text: write a line break as \\n".to_string()
    } else if raw == "recursion limit exceeded" {
        "the data nests more than 128 levels deep".to_string()
    } else if raw == "trailing characters" {
        "there is more after the end of the JSON value: the file must hold exactly one object"
            .to_string()
    } else if raw.starts_with("invalid escape") {
        "invalid escape in a text: a backslash must be written as \\\\".to_string()
    } else {
        raw.to_string()
    };
    format!("this is not valid JSON: {said}")
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/// A record and where it is in its file.
#[derive(Clone, Debug)]
pub(crate) struct Rec<T> {
    pub path: JsonPath,
    pub value: T,
}

/// What the files held, record by record, before the cross-checks.
#[derive(Default)]
pub(crate) struct Parsed {
    pub settings: Option<Settings>,
    pub sources: Vec<Rec<Source>>,
    pub districts: Vec<Rec<District>>,
    pub subdistricts: Vec<Rec<Subdistrict>>,
    pub areas: Vec<Rec<Area>>,
    pub places: Vec<Rec<Place>>,
    pub projects: Vec<Rec<Project>>,
    pub stories: Vec<Rec<Story>>,
    pub strings: Vec<(Lang, StringsFile)>,
    /// Every id declared in each file, including those of skipped records.
    pub declared: HashMap<&'static str, Vec<String>>,
}

fn record_id(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str).or_else(|| {
        v.get("properties")
            .and_then(|p| p.get("id"))
            .and_then(Value::as_str)
    })
}

impl Parsed {
    /// Takes in one file; false when the file is unusable.
    fn take(&mut self, rep: &mut Reporter, file: &'static str, doc: Doc<'_, '_>) -> bool {
        let value = doc.value;
        match file {
            "exhibit.json" => match single::<Settings>(rep, file, value) {
                Some(s) => {
                    self.settings = Some(s);
                    true
                }
                None => false,
            },
            "sources.json" => {
                let r = collection::<SourcesFile, Source>(rep, file, doc, "sources", self);
                r.map(|(_, v)| self.sources = records(v)).is_some()
            }
            "subdistricts.json" => {
                let r = collection::<SubdistrictsFile, Subdistrict>(
                    rep,
                    file,
                    doc,
                    "subdistricts",
                    self,
                );
                r.map(|(_, v)| self.subdistricts = records(v)).is_some()
            }
            "projects.json" => {
                let r = collection::<ProjectsFile, Project>(rep, file, doc, "projects", self);
                r.map(|(_, v)| self.projects = records(v)).is_some()
            }
            "stories.json" => {
                let r = collection::<StoriesFile, Story>(rep, file, doc, "stories", self);
                r.map(|(_, v)| self.stories = records(v)).is_some()
            }
            "districts.geojson" => {
                let r = features::<DistrictProps>(rep, file, doc, self);
                let Some((feats, gcj)) = r else { return false };
                self.districts.reserve_exact(feats.len());
                let mut budget = MAX_VERTICES_PER_FILE;
                for (rec, typed) in feats {
                    let gpath = rec.path.key("geometry");
                    let geom = outline(
                        rep,
                        file,
                        &gpath,
                        rec.value.geometry.as_ref(),
                        typed,
                        false,
                        gcj,
                        &mut budget,
                    );
                    match geom {
                        Some(g) => self.districts.push(Rec {
                            path: rec.path,
                            value: District {
                                props: rec.value.properties,
                                geometry: g,
                            },
                        }),
                        None => rep.skip(file, &rec.path, Some(&rec.value.properties.id)),
                    }
                }
                true
            }
            "areas.geojson" => {
                let r = features::<AreaProps>(rep, file, doc, self);
                let Some((feats, gcj)) = r else { return false };
                self.areas.reserve_exact(feats.len());
                let mut budget = MAX_VERTICES_PER_FILE;
                for (rec, typed) in feats {
                    let gpath = rec.path.key("geometry");
                    let geom = outline(
                        rep,
                        file,
                        &gpath,
                        rec.value.geometry.as_ref(),
                        typed,
                        true,
                        gcj,
                        &mut budget,
                    );
                    match geom {
                        Some(g) => self.areas.push(Rec {
                            path: rec.path,
                            value: Area {
                                props: rec.value.properties,
                                geometry: g,
                            },
                        }),
                        None => rep.skip(file, &rec.path, Some(&rec.value.properties.id)),
                    }
                }
                true
            }
            "places.geojson" => {
                let r = features::<PlaceProps>(rep, file, doc, self);
                let Some((feats, gcj)) = r else { return false };
                self.places.reserve_exact(feats.len());
                for (rec, _) in feats {
                    let gpath = rec.path.key("geometry");
                    match point(rep, file, &gpath, rec.value.geometry.as_ref(), gcj) {
                        Some(p) => self.places.push(Rec {
                            path: rec.path,
                            value: Place {
                                props: rec.value.properties,
                                point: p,
                            },
                        }),
                        None => rep.skip(file, &rec.path, Some(&rec.value.properties.id)),
                    }
                }
                true
            }
            _ => {
                let Some(lang) = Lang::ALL.into_iter().find(|l| l.strings_file() == file) else {
                    return false;
                };
                let Some(s) = single::<StringsFile>(rep, file, value) else {
                    return false;
                };
                if s.language != lang {
                    rep.error(
                        file,
                        &JsonPath::root().key("language"),
                        format!(
                            "this file is for `{}` but says `\"language\": \"{}\"` at `language`",
                            lang.tag(),
                            s.language.tag()
                        ),
                    );
                    return false;
                }
                self.strings.push((lang, s));
                true
            }
        }
    }
}

/// The records of a collection, without the coordinates read on the way (none but in
/// features).
fn records<T>(v: Vec<(Rec<T>, Option<Typed>)>) -> Vec<Rec<T>> {
    v.into_iter().map(|(r, _)| r).collect()
}

/// A file that is one record (exhibit.json, i18n/*.json).
fn single<T: DeserializeOwned>(rep: &mut Reporter, file: &str, value: &Value) -> Option<T> {
    if !value.is_object() {
        rep.error(
            file,
            &JsonPath::root(),
            format!(
                "the file must hold one JSON object `{{…}}`, found {}",
                kind_of(value)
            ),
        );
        return None;
    }
    let root = JsonPath::root();
    let t = deserialize::<T>(rep, file, &root, value)?;
    if !check_texts(rep, file, &root, value) {
        return None;
    }
    Some(t)
}

/// The top-level object of a file, checked with the records array emptied, then each record
/// on its own. `None` when the file as a whole is unusable. Features come with their outline's
/// coordinates when the fast path read them.
fn collection<H: DeserializeOwned, T: Record>(
    rep: &mut Reporter,
    file: &'static str,
    doc: Doc<'_, '_>,
    key: &str,
    parsed: &mut Parsed,
) -> Option<(H, Records<T>)> {
    let (head, items) = header::<H>(rep, file, doc, key)?;
    let list = JsonPath::root().key(key);
    let mut out = Vec::new();
    match items {
        Items::Values(v) => {
            for (i, v) in v.iter().enumerate() {
                record_of_value(rep, file, list.index(i), v, None, parsed, &mut out);
            }
        }
        Items::Split(v) => {
            out.reserve_exact(v.len());
            for (i, r) in v.into_iter().enumerate() {
                let path = list.index(i);
                let fast = if r.precise {
                    None
                } else {
                    serde_json::from_str::<T::Fast>(r.text).ok()
                };
                let Some(fast) = fast else {
                    // A problem to locate and word, or a member named twice: the precise way.
                    // (The text was read as JSON already, so it reads again.)
                    let v = serde_json::from_str::<Value>(r.text).unwrap_or(Value::Null);
                    record_of_value(rep, file, path, &v, None, parsed, &mut out);
                    continue;
                };
                if let Some(id) = r.id() {
                    parsed
                        .declared
                        .entry(file)
                        .or_default()
                        .push(id.to_string());
                }
                let mut texts_ok = true;
                for f in &r.texts {
                    texts_ok &= report_text(rep, file, f);
                }
                if texts_ok {
                    let value = T::from_fast(fast, r.coordinates);
                    out.push((Rec { path, value }, r.typed));
                } else {
                    rep.skip(file, &path, r.id());
                }
            }
        }
    }
    Some((head, out))
}

/// Records, each with its outline's coordinates when the fast path read them as positions.
type Records<T> = Vec<(Rec<T>, Option<Typed>)>;

/// One record read from its `Value` (the precise way).
fn record_of_value<T: DeserializeOwned>(
    rep: &mut Reporter,
    file: &'static str,
    path: JsonPath,
    v: &Value,
    typed: Option<Typed>,
    parsed: &mut Parsed,
    out: &mut Records<T>,
) {
    if let Some(id) = record_id(v) {
        parsed
            .declared
            .entry(file)
            .or_default()
            .push(id.to_string());
    }
    let before = rep.error_count();
    let t = deserialize::<T>(rep, file, &path, v);
    let texts_ok = t.is_some() && check_texts(rep, file, &path, v);
    match t {
        Some(t) if texts_ok && rep.error_count() == before => {
            out.push((Rec { path, value: t }, typed))
        }
        _ => rep.skip(file, &path, record_id(v)),
    }
}

/// The records of a file: in its value, or read apart by the fast path.
enum Items<'v, 't> {
    Values(&'v Vec<Value>),
    Split(Vec<RawRecord<'t>>),
}

/// Checks the file's top level (with the records list emptied) and returns it and the list.
fn header<'v, 't, H: DeserializeOwned>(
    rep: &mut Reporter,
    file: &str,
    doc: Doc<'v, 't>,
    key: &str,
) -> Option<(H, Items<'v, 't>)> {
    let root = JsonPath::root();
    let value = doc.value;
    let Some(obj) = value.as_object() else {
        rep.error(
            file,
            &root,
            format!(
                "the file must hold one JSON object `{{…}}`, found {}",
                kind_of(value)
            ),
        );
        return None;
    };
    let items = match (obj.get(key), doc.items) {
        (Some(Value::Array(_)), Some(split)) => Items::Split(split),
        (Some(Value::Array(a)), None) => Items::Values(a),
        (Some(other), _) => {
            rep.error(
                file,
                &root.key(key),
                format!("expected a list `[…]` at `{key}`, found {}", kind_of(other)),
            );
            return None;
        }
        (None, _) => {
            rep.error(file, &root, format!("the file has no `{key}` list"));
            return None;
        }
    };
    let head: Map<String, Value> = obj
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if k == key {
                    Value::Array(Vec::new())
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let head = Value::Object(head);
    let h = deserialize::<H>(rep, file, &root, &head)?;
    Some((h, items))
}

/// A GeoJSON FeatureCollection: its features with properties `P` (each with its outline's
/// coordinates when the fast path read them), and whether the file declares GCJ-02
/// coordinates.
#[allow(clippy::type_complexity)]
fn features<P: DeserializeOwned>(
    rep: &mut Reporter,
    file: &'static str,
    doc: Doc<'_, '_>,
    parsed: &mut Parsed,
) -> Option<(Vec<(Rec<Feature<P>>, Option<Typed>)>, bool)> {
    let (h, recs) =
        collection::<FeatureCollection<P>, Feature<P>>(rep, file, doc, "features", parsed)?;
    if let Some(crs) = &h.crs {
        let name = crs
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !(name.contains("CRS84") || name.ends_with(":4326") || name.ends_with("::4326")) {
            rep.error(
                file,
                &JsonPath::root().key("crs"),
                format!(
                    "the file declares the coordinate system `{name}` at `crs`; coordinates must \
                     be WGS84 longitude/latitude (CRS84): export the layer again in EPSG:4326"
                ),
            );
            return None;
        }
    }
    let gcj = h.coordinate_system == Some(CoordinateSystem::Gcj02);
    Some((recs, gcj))
}

/// Deserialization of one value, reporting a located, worded problem. The value is read once,
/// through `track` (serde's deserializer for `Value`, keeping where it is, which costs next to
/// nothing until an error happens): each record type's deserializer is compiled for the text
/// (the fast path) and for this one tracking deserializer only (docs/performance.md, code size).
pub(crate) fn deserialize<T: DeserializeOwned>(
    rep: &mut Reporter,
    file: &str,
    base: &JsonPath,
    value: &Value,
) -> Option<T> {
    match track::deserialize::<_, T>(value) {
        Ok(t) => Some(t),
        Err((segs, e)) => {
            let mut path = base.clone();
            path.0.extend(segs);
            let (target, path, message) = word_serde_error(&e.to_string(), path);
            rep.push(Severity::Error, file, &path, target, message);
            None
        }
    }
}

/// The backticked names in a serde message ("expected one of `a`, `b`").
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The known name closest to a misspelt one, if it is close enough to be the intended one.
pub(crate) fn closest<'a>(wrong: &str, known: &'a [String]) -> Option<&'a str> {
    let wrong_l = wrong.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&wrong_l, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.chars().count().max(wrong.chars().count()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn list_names(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words a serde error for a curator: (what to point at, the path, the message).
fn word_serde_error(msg: &str, path: JsonPath) -> (Target, JsonPath, String) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default().to_string();
        let expected = match rest.find("expected") {
            Some(i) => backticked(&rest[i..]),
            None => Vec::new(),
        };
        // The tracked path ends at the object; point at the member's name.
        let obj = if path.last_key() == Some(name.as_str()) {
            JsonPath(path.0[..path.0.len() - 1].to_vec())
        } else {
            path
        };
        let hint = match closest(&name, &expected) {
            Some(best) => format!(" — did you mean `{best}`?"),
            None if expected.is_empty() => " — this object takes no fields".to_string(),
            None => format!(" — the fields here are {}", list_names(&expected)),
        };
        let msg = format!("unknown field `{name}`{}{hint}", at(&obj));
        return (Target::Key, obj.key(name), msg);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let here = at(&path);
        let what = match name {
            "zh-Hans" => format!("the Simplified Chinese text (`zh-Hans`) is missing{here}"),
            "alt" => format!(
                "the image{here} has no alt text (`alt`): describe what it shows, for visitors \
                 who cannot see it"
            ),
            "sources" => format!("`sources` is missing{here}: name the article(s) this comes from"),
            _ => format!("`{name}` is missing{here}"),
        };
        return (Target::Value, path, what);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let name = rest.split('`').next().unwrap_or_default().to_string();
        let expected = match rest.find("expected") {
            Some(i) => backticked(&rest[i..]),
            None => Vec::new(),
        };
        let hint = match closest(&name, &expected) {
            Some(best) if expected.len() > 1 => format!(" (did you mean `{best}`?)"),
            _ => String::new(),
        };
        let choices = match expected.len() {
            1 => format!("write `{}`", expected[0]),
            _ => format!("write one of {}", list_names(&expected)),
        };
        return (
            Target::Value,
            path.clone(),
            format!("`{name}` is not allowed{} — {choices}{hint}", at(&path)),
        );
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            return (
                Target::Value,
                path.clone(),
                format!(
                    "expected {}{}, found {}",
                    word_expected(expected),
                    at(&path),
                    word_found(found)
                ),
            );
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid length ")
        && let Some((n, expected)) = rest.split_once(", expected ")
    {
        return (
            Target::Value,
            path.clone(),
            format!(
                "expected {}{}, found a list of {n}",
                word_expected(expected),
                at(&path)
            ),
        );
    }
    // Other messages (e.g. a date's): the path goes before the explanation.
    let here = at(&path);
    let message = match msg.split_once(": ") {
        Some((head, tail)) => format!("{head}{here}: {tail}"),
        None => format!("{msg}{here}"),
    };
    (Target::Value, path, message)
}

fn word_expected(e: &str) -> String {
    match e {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a string" => "a text in double quotes".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "a sequence" => "a list `[…]`".to_string(),
        "struct Localized" => {
            "a text in each language, like {\"zh-Hans\": \"…\", \"en\": \"…\"}".to_string()
        }
        "enum Focus" => "an object naming an area or a place, like {\"place\": \"…\"}".to_string(),
        "enum AttractStep" => {
            "an object naming a story, an area or a place, like {\"story\": \"…\"}".to_string()
        }
        "a map" => "an object `{…}`".to_string(),
        e if e.starts_with("struct ") => "an object `{…}`".to_string(),
        e if e.starts_with("an array of length ") => {
            format!("a list of {} items", &e["an array of length ".len()..])
        }
        e => e.to_string(),
    }
}

fn word_found(f: &str) -> String {
    if let Some(s) = f.strip_prefix("string ") {
        return format!("the text {s}");
    }
    for p in ["integer ", "floating point "] {
        if let Some(n) = f.strip_prefix(p) {
            return format!("the number {}", n.trim_matches('`'));
        }
    }
    if let Some(b) = f.strip_prefix("boolean ") {
        return b.trim_matches('`').to_string();
    }
    match f {
        "map" => "an object".to_string(),
        "sequence" => "a list".to_string(),
        "null" | "unit value" => "null".to_string(),
        other => other.to_string(),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reports a problem of a record's texts found by the fast path, worded as [`check_texts`]
/// words it. Returns false for an error.
fn report_text(rep: &mut Reporter, file: &str, f: &TextFinding) -> bool {
    match f {
        TextFinding::EmptyZh(zp) => {
            rep.error(
                file,
                zp,
                format!("the Simplified Chinese text is empty{}", at(zp)),
            );
            false
        }
        TextFinding::NoEn(path) => {
            rep.warning(
                file,
                path,
                format!(
                    "no English text (`en`){}: visitors reading English will see Chinese",
                    at(path)
                ),
            );
            true
        }
    }
}

/// Localized texts inside a record: `zh-Hans` must not be empty (error), `en` is expected
/// (warning). Returns false when an error was found.
fn check_texts(rep: &mut Reporter, file: &str, base: &JsonPath, value: &Value) -> bool {
    // Depth first, in the order written; one path, extended and shortened on the way.
    fn walk(rep: &mut Reporter, file: &str, path: &mut JsonPath, v: &Value, ok: &mut bool) {
        let nested = |c: &Value| c.is_object() || c.is_array();
        match v {
            Value::Object(m) => {
                if let Some(zh) = m.get("zh-Hans") {
                    if zh.as_str().is_some_and(|s| s.trim().is_empty()) {
                        let zp = path.key("zh-Hans");
                        rep.error(
                            file,
                            &zp,
                            format!("the Simplified Chinese text is empty{}", at(&zp)),
                        );
                        *ok = false;
                    }
                    let en_missing = match m.get("en") {
                        None => true,
                        Some(e) => e.as_str().is_some_and(|s| s.trim().is_empty()),
                    };
                    if en_missing {
                        rep.warning(
                            file,
                            path,
                            format!(
                                "no English text (`en`){}: visitors reading English will see \
                                 Chinese",
                                at(path)
                            ),
                        );
                    }
                    return;
                }
                for (k, child) in m.iter().filter(|(_, c)| nested(c)) {
                    path.0.push(Seg::Key(k.as_str().into()));
                    walk(rep, file, path, child, ok);
                    path.0.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate().filter(|(_, c)| nested(c)) {
                    path.0.push(Seg::Index(i));
                    walk(rep, file, path, child, ok);
                    path.0.pop();
                }
            }
            _ => {}
        }
    }
    let mut ok = true;
    walk(rep, file, &mut base.clone(), value, &mut ok);
    ok
}

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

/// A `[lon, lat]` position (an optional third number, altitude, is allowed and ignored).
fn position(v: &Value) -> Option<(f64, f64)> {
    let a = v.as_array()?;
    if !(2..=3).contains(&a.len()) {
        return None;
    }
    let lon = a.first()?.as_f64()?;
    let lat = a.get(1)?.as_f64()?;
    (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
}

/// A value as JSON, shortened for a message.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= 40 {
        s
    } else {
        format!("{}…", s.chars().take(39).collect::<String>())
    }
}

/// Reports a position outside Shanghai; false if it was outside.
fn check_in_shanghai(rep: &mut Reporter, file: &str, path: &JsonPath, lon: f64, lat: f64) -> bool {
    if in_shanghai(lon, lat) {
        return true;
    }
    let [w, s, e, n] = SHANGHAI_BOX;
    let msg = if in_shanghai(lat, lon) {
        format!(
            "latitude and longitude are swapped{}: GeoJSON writes [longitude, latitude], \
             so write [{lat}, {lon}]",
            at(path)
        )
    } else {
        format!(
            "the position [{lon}, {lat}]{} lies outside Shanghai (longitude {w}–{e}, \
             latitude {s}–{n})",
            at(path)
        )
    };
    rep.error(file, path, msg);
    false
}

fn to_wgs(gcj: bool, lon: f64, lat: f64) -> Coord<f64> {
    let (x, y) = if gcj {
        crate::gcj02::to_wgs84(lon, lat)
    } else {
        (lon, lat)
    };
    Coord { x, y }
}

/// A Point feature's geometry.
fn point(
    rep: &mut Reporter,
    file: &str,
    gpath: &JsonPath,
    g: Option<&RawGeometry>,
    gcj: bool,
) -> Option<Point<f64>> {
    let Some(g) = g else {
        rep.error(
            file,
            gpath,
            format!("a place needs a `Point` geometry{}", at(gpath)),
        );
        return None;
    };
    if g.kind != GeometryType::Point {
        rep.error(
            file,
            &gpath.key("type"),
            format!(
                "a place is a `Point`, found a `{:?}`{}",
                g.kind,
                at(&gpath.key("type"))
            ),
        );
        return None;
    }
    let cpath = gpath.key("coordinates");
    let Some((lon, lat)) = position(&g.coordinates) else {
        rep.error(
            file,
            &cpath,
            format!("expected a position [longitude, latitude]{}", at(&cpath)),
        );
        return None;
    };
    if !check_in_shanghai(rep, file, &cpath, lon, lat) {
        return None;
    }
    Some(Point(to_wgs(gcj, lon, lat)))
}

/// A district's or area's outline: Polygon or MultiPolygon, rings closed, inside Shanghai,
/// valid (no self-intersection), within the vertex limits.
#[allow(clippy::too_many_arguments)]
fn outline(
    rep: &mut Reporter,
    file: &str,
    gpath: &JsonPath,
    g: Option<&RawGeometry>,
    typed: Option<Typed>,
    may_be_empty: bool,
    gcj: bool,
    file_budget: &mut usize,
) -> Option<MultiPolygon<f64>> {
    let empty = match g {
        None => true,
        Some(g) => {
            g.kind == GeometryType::MultiPolygon
                && match &typed {
                    Some(Typed::Polygons(p)) => p.is_empty(),
                    _ => g.coordinates.as_array().is_some_and(|a| a.is_empty()),
                }
        }
    };
    if empty {
        if may_be_empty {
            return Some(MultiPolygon(Vec::new()));
        }
        rep.error(
            file,
            gpath,
            format!(
                "an outline (`Polygon` or `MultiPolygon`) is needed{}",
                at(gpath)
            ),
        );
        return None;
    }
    let g = g?;
    let cpath = gpath.key("coordinates");
    // (path of the polygon's coordinates, its rings)
    let polys: Vec<(JsonPath, PolyIn<'_>)> = match typed {
        Some(t) => match (g.kind, t) {
            (GeometryType::Polygon, Typed::Rings(r)) => vec![(cpath.clone(), PolyIn::typed(r))],
            (GeometryType::MultiPolygon, Typed::Polygons(p)) => p
                .into_iter()
                .enumerate()
                .map(|(i, r)| (cpath.index(i), PolyIn::typed(r)))
                .collect(),
            _ => return None, // never built for another kind
        },
        None => polygons_of_value(rep, file, g, gpath, &cpath)?,
    };
    outline_rings(rep, file, g.kind, &cpath, polys, gcj, file_budget)
}

/// A position as written: read, or the value that is not one.
type PosIn<'v> = Result<(f64, f64), &'v Value>;

/// A polygon's rings as written (`None`: not a non-empty list; a ring `None`: not a list).
struct PolyIn<'v>(Option<Vec<Option<RingIn<'v>>>>);

/// A ring's positions: read as positions by the fast path, or as written in a `Value`.
enum RingIn<'v> {
    Typed(Vec<Xy>),
    Value(Vec<PosIn<'v>>),
}

impl<'v> RingIn<'v> {
    fn len(&self) -> usize {
        match self {
            RingIn::Typed(v) => v.len(),
            RingIn::Value(v) => v.len(),
        }
    }
}

impl PolyIn<'_> {
    fn typed(rings: Vec<Vec<Xy>>) -> Self {
        PolyIn(
            Some(rings.into_iter().map(|r| Some(RingIn::Typed(r))).collect())
                .filter(|r: &Vec<_>| !r.is_empty()),
        )
    }
}

/// The polygons of a geometry's `coordinates` value, as written.
fn polygons_of_value<'v>(
    rep: &mut Reporter,
    file: &str,
    g: &'v RawGeometry,
    gpath: &JsonPath,
    cpath: &JsonPath,
) -> Option<Vec<(JsonPath, PolyIn<'v>)>> {
    let of_value = |p: &'v Value| {
        PolyIn(p.as_array().filter(|r| !r.is_empty()).map(|rings| {
            rings
                .iter()
                .map(|ring| {
                    ring.as_array().map(|ps| {
                        RingIn::Value(ps.iter().map(|pos| position(pos).ok_or(pos)).collect())
                    })
                })
                .collect()
        }))
    };
    let polys: Vec<(JsonPath, &Value)> = match g.kind {
        GeometryType::Point => {
            rep.error(
                file,
                &gpath.key("type"),
                format!(
                    "an outline must be a `Polygon` or `MultiPolygon`, found a `Point`{}",
                    at(&gpath.key("type"))
                ),
            );
            return None;
        }
        GeometryType::Polygon => vec![(cpath.clone(), &g.coordinates)],
        GeometryType::MultiPolygon => match g.coordinates.as_array() {
            Some(a) if !a.is_empty() => a
                .iter()
                .enumerate()
                .map(|(i, p)| (cpath.index(i), p))
                .collect(),
            _ => {
                rep.error(
                    file,
                    cpath,
                    format!("expected a non-empty list of polygons{}", at(cpath)),
                );
                return None;
            }
        },
    };
    Some(polys.into_iter().map(|(p, v)| (p, of_value(v))).collect())
}

/// The checks of an outline's rings once read: vertex limits, positions, rings closed and
/// long enough, and validity.
fn outline_rings(
    rep: &mut Reporter,
    file: &str,
    kind: GeometryType,
    cpath: &JsonPath,
    polys: Vec<(JsonPath, PolyIn<'_>)>,
    gcj: bool,
    file_budget: &mut usize,
) -> Option<MultiPolygon<f64>> {
    let cpath = cpath.clone();
    let total: usize = polys
        .iter()
        .filter_map(|(_, p)| p.0.as_ref())
        .flatten()
        .filter_map(Option::as_ref)
        .map(RingIn::len)
        .sum();
    if total > MAX_VERTICES_PER_FEATURE {
        rep.error(
            file,
            &cpath,
            format!(
                "this outline has {total} positions, more than the {MAX_VERTICES_PER_FEATURE} \
                 allowed{}: simplify it",
                at(&cpath)
            ),
        );
        return None;
    }
    if total > *file_budget {
        rep.error(
            file,
            &cpath,
            format!(
                "the file has more than {MAX_VERTICES_PER_FILE} positions in all; this outline{} \
                 and the ones after it were not read: simplify the outlines",
                at(&cpath)
            ),
        );
        *file_budget = 0;
        return None;
    }
    *file_budget -= total;

    let mut ok = true;
    let mut out: Vec<Polygon<f64>> = Vec::new();
    for (ppath, p) in polys {
        let Some(rings) = p.0 else {
            rep.error(
                file,
                &ppath,
                format!(
                    "expected a polygon: a list of rings of positions{}",
                    at(&ppath)
                ),
            );
            ok = false;
            continue;
        };
        let mut line_strings: Vec<LineString<f64>> = Vec::new();
        for (ri, ring) in rings.into_iter().enumerate() {
            let rpath = ppath.index(ri);
            let Some(positions) = ring else {
                rep.error(
                    file,
                    &rpath,
                    format!("expected a ring: a list of positions{}", at(&rpath)),
                );
                ok = false;
                continue;
            };
            // Positions read by the fast path become the ring as they are; others are copied.
            let (mut coords, written) = match positions {
                RingIn::Typed(v) => (v, None),
                RingIn::Value(v) => (Vec::with_capacity(v.len()), Some(v)),
            };
            let n = written.as_ref().map_or(coords.len(), Vec::len);
            let mut outside = 0usize;
            let mut ring_ok = true;
            for pi in 0..n {
                let pos = match &written {
                    None => Ok((coords[pi].x, coords[pi].y)),
                    Some(w) => w[pi],
                };
                match pos {
                    Ok((lon, lat)) => {
                        if !in_shanghai(lon, lat) {
                            if outside == 0 {
                                check_in_shanghai(rep, file, &rpath.index(pi), lon, lat);
                            }
                            outside += 1;
                        }
                        if written.is_some() {
                            coords.push(Coord { x: lon, y: lat });
                        }
                    }
                    Err(bad) => {
                        let pp = rpath.index(pi);
                        rep.error(
                            file,
                            &pp,
                            format!(
                                "expected a position [longitude, latitude]{}, found {}",
                                at(&pp),
                                shown(bad)
                            ),
                        );
                        ring_ok = false;
                        break;
                    }
                }
            }
            if outside > 1 {
                rep.error(
                    file,
                    &rpath,
                    format!(
                        "{} more positions of this ring{} lie outside Shanghai",
                        outside - 1,
                        at(&rpath)
                    ),
                );
            }
            if !ring_ok || outside > 0 {
                ok = false;
                continue;
            }
            if coords.len() < 4 {
                rep.error(
                    file,
                    &rpath,
                    format!(
                        "a ring needs at least 4 positions (3 corners, then the first again), \
                         found {}{}",
                        coords.len(),
                        at(&rpath)
                    ),
                );
                ok = false;
                continue;
            }
            if coords.first() != coords.last() {
                let last = rpath.index(coords.len() - 1);
                let Coord { x, y } = coords[0];
                rep.error(
                    file,
                    &last,
                    format!(
                        "the ring is not closed: its last position must repeat the first, \
                         [{x}, {y}]{}",
                        at(&last)
                    ),
                );
                ok = false;
                continue;
            }
            if gcj {
                for c in &mut coords {
                    *c = to_wgs(gcj, c.x, c.y);
                }
            }
            // RFC 7946 winding: exterior rings counter-clockwise, holes clockwise (what
            // `Orient::orient(Direction::Default)` gives, without copying the rings).
            let mut ring = LineString(coords);
            if line_strings.is_empty() {
                ring.make_ccw_winding();
            } else {
                ring.make_cw_winding();
            }
            line_strings.push(ring);
        }
        if ok && !line_strings.is_empty() {
            let exterior = line_strings.remove(0);
            out.push(Polygon::new(exterior, line_strings));
        }
    }
    if !ok {
        return None;
    }
    let mp = MultiPolygon(out);
    let mut valid = true;
    for err in crate::validity::validation_errors(&mp) {
        valid = false;
        let (path, msg) = word_invalid(&err, kind, &cpath);
        rep.error(file, &path, msg);
    }
    valid.then_some(mp)
}

fn ring_words(role: &geo::algorithm::validation::RingRole) -> (usize, String) {
    match role {
        geo::algorithm::validation::RingRole::Exterior => (0, "the outer ring".to_string()),
        geo::algorithm::validation::RingRole::Interior(k) => (k + 1, format!("hole {}", k + 1)),
    }
}

fn word_invalid(
    err: &geo::algorithm::validation::InvalidMultiPolygon,
    kind: GeometryType,
    cpath: &JsonPath,
) -> (JsonPath, String) {
    use geo::algorithm::validation::{InvalidMultiPolygon as M, InvalidPolygon as P};
    let poly_path = |i: usize| {
        if kind == GeometryType::Polygon {
            cpath.clone()
        } else {
            cpath.index(i)
        }
    };
    let poly_words = |i: usize| {
        if kind == GeometryType::Polygon {
            String::new()
        } else {
            format!(" of polygon {}", i + 1)
        }
    };
    match err {
        M::InvalidPolygon(idx, e) => {
            let i = idx.0;
            let pp = poly_path(i);
            match e {
                P::TooFewPointsInRing(r) => {
                    let (n, w) = ring_words(r);
                    let path = pp.index(n);
                    (
                        path.clone(),
                        format!(
                            "{w}{} has fewer than 3 distinct corners{}",
                            poly_words(i),
                            at(&path)
                        ),
                    )
                }
                P::SelfIntersection(r) => {
                    let (n, w) = ring_words(r);
                    let path = pp.index(n);
                    (
                        path.clone(),
                        format!(
                            "the outline crosses itself: {w}{} has edges that cross or touch{} — \
                             check the order of its positions",
                            poly_words(i),
                            at(&path)
                        ),
                    )
                }
                P::NonFiniteCoord(r, _) => {
                    let (n, w) = ring_words(r);
                    let path = pp.index(n);
                    (
                        path.clone(),
                        format!(
                            "{w}{} has a position that is not a number{}",
                            poly_words(i),
                            at(&path)
                        ),
                    )
                }
                P::InteriorRingNotContainedInExteriorRing(r) => {
                    let (n, w) = ring_words(r);
                    let path = pp.index(n);
                    (
                        path.clone(),
                        format!(
                            "{w}{} is not inside the outer ring{}",
                            poly_words(i),
                            at(&path)
                        ),
                    )
                }
                P::IntersectingRingsOnALine(a, b) | P::IntersectingRingsOnAnArea(a, b) => {
                    let (_, wa) = ring_words(a);
                    let (n, wb) = ring_words(b);
                    let path = pp.index(n);
                    (
                        path.clone(),
                        format!("{wa} and {wb}{} overlap{}", poly_words(i), at(&path)),
                    )
                }
            }
        }
        M::ElementsOverlaps(a, b) => {
            let path = poly_path(b.0);
            (
                path.clone(),
                format!(
                    "polygons {} and {} of the MultiPolygon overlap{}",
                    a.0 + 1,
                    b.0 + 1,
                    at(&path)
                ),
            )
        }
        M::ElementsTouchOnALine(a, b) => {
            let path = poly_path(b.0);
            (
                path.clone(),
                format!(
                    "polygons {} and {} of the MultiPolygon share an edge{}: merge them into one polygon",
                    a.0 + 1,
                    b.0 + 1,
                    at(&path)
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_suggest_typos_only() {
        let known: Vec<String> = ["id", "name", "subdistrict", "households"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("nmae", &known), Some("name"));
        assert_eq!(closest("houshold", &known), Some("households"));
        assert_eq!(closest("colour", &known), None);
    }

    #[test]
    fn serde_errors_are_worded_for_curators() {
        let p = JsonPath::root().key("features").index(3).key("properties");
        let (t, path, m) = word_serde_error(
            "unknown field `nmae`, expected one of `id`, `name`, `kind`",
            p.clone(),
        );
        assert_eq!(t, Target::Key);
        assert_eq!(path.to_string(), "features[3].properties.nmae");
        assert_eq!(
            m,
            "unknown field `nmae` at `features[3].properties` — did you mean `name`?"
        );
        let (_, _, m) = word_serde_error(
            "invalid type: string \"1101\", expected u32",
            p.key("households"),
        );
        assert_eq!(
            m,
            "expected a whole number (0 or more) at `features[3].properties.households`, found the text \"1101\""
        );
        let (_, _, m) = word_serde_error(
            "unknown variant `lanee`, expected one of `building`, `site`, `lane`",
            p.key("kind"),
        );
        assert_eq!(
            m,
            "`lanee` is not allowed at `features[3].properties.kind` — write one of `building`, `site`, `lane` (did you mean `lane`?)"
        );
    }

    #[test]
    fn syntax_errors_point_at_the_character() {
        let text = "{\n  \"a\": 1,\n  \"b\": \"南昌\" \"c\": 2\n}";
        let e = serde_json::from_str::<Value>(text).unwrap_err();
        let off = syntax_offset(text, e.line(), e.column());
        assert_eq!(crate::locate::line_col(text, off), (3, 13));
        assert!(syntax_message(&e, "").contains("comma"));
    }

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

    #[test]
    fn outlines_over_the_vertex_limit_are_refused() {
        let n = MAX_VERTICES_PER_FEATURE + 1;
        let mut ring: Vec<String> = (0..n - 1)
            .map(|i| {
                let a = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
                format!(
                    "[{:.7}, {:.7}]",
                    121.47 + 0.01 * a.cos(),
                    31.22 + 0.01 * a.sin()
                )
            })
            .collect();
        ring.push(ring[0].clone());
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature",
            "properties":{{"id":"310101000000","name":{{"zh-Hans":"黄浦区","en":"Huangpu"}}}},
            "geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
            ring.join(",")
        );
        let loaded = load(&[("districts.geojson", Some(text.as_bytes()))]);
        let p = loaded
            .problems
            .iter()
            .find(|p| p.file == "districts.geojson" && p.is_error());
        assert!(p.unwrap().message.contains("50000 allowed"), "{p:?}");
        assert_eq!(loaded.skipped.len(), 1);
        assert!(loaded.exhibit.districts.is_empty());
    }

    #[test]
    fn gcj02_files_are_converted_and_oriented_counter_clockwise() {
        let text = r#"{"type":"FeatureCollection","coordinate_system":"GCJ-02","features":[
            {"type":"Feature","properties":{"id":"310101000000","name":{"zh-Hans":"黄浦区","en":"Huangpu"}},
             "geometry":{"type":"Polygon","coordinates":[[[121.47,31.22],[121.47,31.23],[121.48,31.23],[121.48,31.22],[121.47,31.22]]]}}]}"#;
        let loaded = load(&[("districts.geojson", Some(text.as_bytes()))]);
        let d = &loaded.exhibit.districts[0];
        let first = d.geometry.0[0].exterior().0[0];
        let (wlon, wlat) = crate::gcj02::to_wgs84(121.47, 31.22);
        assert!((first.x - wlon).abs() < 1e-9 && (first.y - wlat).abs() < 1e-9);
        use geo::Area;
        assert!(
            d.geometry.0[0].signed_area() > 0.0,
            "exterior ring counter-clockwise"
        );
    }
}
