//! Each file's records read into their typed form, each located by its path: a file that is
//! one record, or a collection (records read apart by the fast path, or from the file's
//! `Value`), and GeoJSON features.

use std::collections::HashMap;

use geo::MultiPolygon;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::fast::{RawRecord, Record, Typed};
use super::outline::{outline, point};
use super::report::Reporter;
use super::texts;
use super::words::{kind_of, word_serde_error};
use super::{Doc, MAX_VERTICES_PER_FILE};
use crate::locate::{JsonPath, Seg};
use crate::model::{
    Area, AreaProps, CoordinateSystem, District, DistrictProps, Feature, FeatureCollection, Lang,
    Place, PlaceProps, Project, ProjectsFile, Settings, Source, SourcesFile, StoriesFile, Story,
    StringsFile, Subdistrict, SubdistrictsFile,
};
use crate::problem::Severity;

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

pub(crate) fn record_id(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str).or_else(|| {
        v.get("properties")
            .and_then(|p| p.get("id"))
            .and_then(Value::as_str)
    })
}

impl Parsed {
    /// Takes in one file; false when the file is unusable.
    pub(crate) fn take(
        &mut self,
        rep: &mut Reporter,
        file: &'static str,
        doc: Doc<'_, '_>,
    ) -> bool {
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
                let make = |props, geometry| District { props, geometry };
                let id: fn(&DistrictProps) -> &str = |p| &p.id;
                let r = outlined(rep, file, doc, self, false, id, make);
                r.map(|v| self.districts = v).is_some()
            }
            "areas.geojson" => {
                let make = |props, geometry| Area { props, geometry };
                let id: fn(&AreaProps) -> &str = |p| &p.id;
                let r = outlined(rep, file, doc, self, true, id, make);
                r.map(|v| self.areas = v).is_some()
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

/// The features of a file of outlines (districts or areas) whose outline is sound, each made
/// a record by `make`; the others are skipped. `None` when the file is unusable.
fn outlined<P: DeserializeOwned, T>(
    rep: &mut Reporter,
    file: &'static str,
    doc: Doc<'_, '_>,
    parsed: &mut Parsed,
    may_be_empty: bool,
    id_of: fn(&P) -> &str,
    make: impl Fn(P, MultiPolygon<f64>) -> T,
) -> Option<Vec<Rec<T>>> {
    let (feats, gcj) = features::<P>(rep, file, doc, parsed)?;
    let mut out = Vec::with_capacity(feats.len());
    let mut budget = MAX_VERTICES_PER_FILE;
    for (rec, typed) in feats {
        let gpath = rec.path.key("geometry");
        let geometry = rec.value.geometry.as_ref();
        match outline(
            rep,
            file,
            &gpath,
            geometry,
            typed,
            may_be_empty,
            gcj,
            &mut budget,
        ) {
            Some(g) => out.push(Rec {
                path: rec.path,
                value: make(rec.value.properties, g),
            }),
            None => rep.skip(file, &rec.path, Some(id_of(&rec.value.properties))),
        }
    }
    Some(out)
}

/// The records of a collection, without the coordinates read on the way (none but in
/// features).
pub(crate) fn records<T>(v: Vec<(Rec<T>, Option<Typed>)>) -> Vec<Rec<T>> {
    v.into_iter().map(|(r, _)| r).collect()
}

/// A file that is one record (exhibit.json, i18n/*.json).
pub(crate) fn single<T: DeserializeOwned>(
    rep: &mut Reporter,
    file: &str,
    value: &Value,
) -> Option<T> {
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
    if !texts::report(rep, file, &texts::of_value(&root, value)) {
        return None;
    }
    Some(t)
}

/// The top-level object of a file, checked with the records array emptied, then each record
/// on its own. `None` when the file as a whole is unusable. Features come with their outline's
/// coordinates when the fast path read them.
pub(crate) fn collection<H: DeserializeOwned, T: Record>(
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
                if texts::report(rep, file, &r.texts) {
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
pub(crate) type Records<T> = Vec<(Rec<T>, Option<Typed>)>;

/// One record read from its `Value` (the precise way).
pub(crate) fn record_of_value<T: DeserializeOwned>(
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
    let texts_ok = t.is_some() && texts::report(rep, file, &texts::of_value(&path, v));
    match t {
        Some(t) if texts_ok && rep.error_count() == before => {
            out.push((Rec { path, value: t }, typed))
        }
        _ => rep.skip(file, &path, record_id(v)),
    }
}

/// The records of a file: in its value, or read apart by the fast path.
pub(crate) enum Items<'v, 't> {
    Values(&'v Vec<Value>),
    Split(Vec<RawRecord<'t>>),
}

/// Checks the file's top level (with the records list emptied) and returns it and the list.
pub(crate) fn header<'v, 't, H: DeserializeOwned>(
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
pub(crate) fn features<P: DeserializeOwned>(
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

/// Deserialization of one value, reporting a located, worded problem. The value is read plainly;
/// only when that fails is it read again through `serde_path_to_error`, for the path to the
/// value that failed (a record that fails is rare, and only the checker reads `Value`s).
pub(crate) fn deserialize<T: DeserializeOwned>(
    rep: &mut Reporter,
    file: &str,
    base: &JsonPath,
    value: &Value,
) -> Option<T> {
    let plain = match T::deserialize(value) {
        Ok(t) => return Some(t),
        Err(e) => e,
    };
    let (segs, e) = match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => (Vec::new(), plain),
        Err(e) => {
            let segs = path_segments(e.path());
            (segs, e.into_inner())
        }
    };
    let mut path = base.clone();
    path.0.extend(segs);
    let (target, path, message) = word_serde_error(&e.to_string(), path);
    rep.push(Severity::Error, file, &path, target, message);
    None
}

/// serde_path_to_error's path as ours (a member name that is not a text adds no segment).
pub(crate) fn path_segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                Some(Seg::Key(key.as_str().into()))
            }
            Segment::Unknown => None,
        })
        .collect()
}
