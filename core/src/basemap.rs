//! The base map: streets and water under the exhibit's areas (`data/basemap.geojson`).
//!
//! The file is a GeoJSON FeatureCollection in WGS84. Each feature is a street (`kind: "road"`,
//! a LineString or MultiLineString with its OpenStreetMap `class`) or water (`kind: "water"`,
//! a Polygon or MultiPolygon), with an optional Chinese `name`, its English `name_en`, and
//! `source`: `"osm"` (copied from OpenStreetMap) or `"derived"` (computed here, e.g. the
//! Huangpu's course through the centre from the district borders). See `data/README.md`.
//!
//! The file is optional: without it the exhibit has no base map and nothing is reported. It is
//! read by [`crate::load::load`] like every other file: a feature with an error is left out
//! (and listed in `skipped`), every other one kept, each problem located by line and column.
//! The loaded base map is [`Basemap`] (in [`crate::model::Exhibit::basemap`]); for the map it
//! is projected once into a [`BaseLayer`], which is what `checked.bin` carries.
//!
//! ```
//! use lilong_core::basemap::{BaseKind, BaseLayer, RoadClass};
//! let text = r#"{ "$schema": "schema/basemap.schema.json", "type": "FeatureCollection",
//!   "features": [ { "type": "Feature",
//!     "properties": { "kind": "road", "class": "primary", "name": "复兴东路",
//!                     "name_en": "East Fuxing Road", "source": "osm" },
//!     "geometry": { "type": "LineString",
//!                   "coordinates": [[121.4784, 31.2208], [121.4987, 31.2245]] } } ] }"#;
//! let loaded = lilong_core::load::load(&[("basemap.geojson", Some(text.as_bytes()))]);
//! let road = &loaded.exhibit.basemap.features[0];
//! assert_eq!(road.class, Some(RoadClass::Primary));
//! let name = road.name.as_ref().unwrap();
//! assert_eq!(name.zh_hant.as_deref(), Some("復興東路"), "traditional form derived");
//! let layer = BaseLayer::new(&loaded.exhibit.basemap);
//! assert_eq!(layer.shapes[0].kind, BaseKind::Road);
//! assert_eq!(layer.shapes[0].parts[0].len(), 4, "two points, x and y each");
//! ```

use std::collections::HashMap;

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon, Rect};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::geometry::projection::project;
use crate::load::{MAX_VERTICES_PER_FEATURE, MAX_VERTICES_PER_FILE, Reporter, in_shanghai};
use crate::locate::JsonPath;
use crate::model::{FeatureCollectionType, FeatureType, Localized};
use crate::wire::{Reader, WireError, put_bytes, put_f64, put_u8, put_u32, put_u32s};

/// The base map's file, relative to `data/`.
pub const FILE: &str = "basemap.geojson";

// ---------------------------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------------------------

/// `basemap.geojson` as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BasemapFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(rename = "type")]
    pub kind: FeatureCollectionType,
    /// The credit the data requires, e.g. "© OpenStreetMap contributors".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// The data's licence, e.g. `ODbL-1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Layer name (QGIS writes it; ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Coordinate reference (QGIS writes it; must be WGS84 / CRS84 if present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
    pub features: Vec<BaseFeatureIn>,
}

/// One feature of `basemap.geojson` as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BaseFeatureIn {
    #[serde(rename = "type")]
    pub kind: FeatureType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
    pub properties: BaseProps,
    pub geometry: BaseGeometryIn,
}

/// A base map feature's `properties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BaseProps {
    pub kind: BaseKind,
    /// The OpenStreetMap `highway` class of a road (required for roads, absent for water).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<RoadClass>,
    /// The Chinese (simplified) name, as on the street sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The traditional form of `name`; derived from `name` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh_hant: Option<String>,
    /// The English name (OpenStreetMap's `name:en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub source: BaseSource,
}

/// A base map geometry as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BaseGeometryIn {
    #[serde(rename = "type")]
    pub kind: BaseGeometryType,
    /// LineString: positions `[lon, lat]`; MultiLineString: lists of those; Polygon: rings of
    /// positions, closed; MultiPolygon: a list of polygons.
    #[cfg_attr(feature = "schema", schemars(schema_with = "coordinates_schema"))]
    pub coordinates: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
}

#[cfg(feature = "schema")]
fn coordinates_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let position = serde_json::json!({
        "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 3,
        "description": "[longitude, latitude] in WGS84 degrees"
    });
    let line = serde_json::json!({ "type": "array", "items": position, "minItems": 2 });
    let lines = serde_json::json!({ "type": "array", "items": line, "minItems": 1 });
    let polygons = serde_json::json!({ "type": "array", "items": lines });
    schemars::json_schema!({
        "description": "LineString: positions. MultiLineString or Polygon: lists of positions \
                        (a polygon's rings closed, the first outer). MultiPolygon: a list of \
                        polygons.",
        "anyOf": [ line, lines, polygons ]
    })
}

/// The geometry types of the base map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum BaseGeometryType {
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
}

/// What a base map feature is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BaseKind {
    /// A street: a LineString or MultiLineString.
    Road,
    /// A river or other water: a Polygon or MultiPolygon.
    Water,
}

/// Where a base map feature comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BaseSource {
    /// Copied from OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0).
    Osm,
    /// Computed from other data (e.g. a river's course from district borders), not surveyed.
    Derived,
}

/// A street's OpenStreetMap `highway` class, most important first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    Motorway,
    Trunk,
    Primary,
    Secondary,
    Tertiary,
    Unclassified,
    Residential,
    LivingStreet,
    Pedestrian,
    Service,
    MotorwayLink,
    TrunkLink,
    PrimaryLink,
    SecondaryLink,
    TertiaryLink,
}

impl RoadClass {
    /// Every class, in the order of [`RoadClass::code`].
    pub const ALL: [RoadClass; 15] = [
        RoadClass::Motorway,
        RoadClass::Trunk,
        RoadClass::Primary,
        RoadClass::Secondary,
        RoadClass::Tertiary,
        RoadClass::Unclassified,
        RoadClass::Residential,
        RoadClass::LivingStreet,
        RoadClass::Pedestrian,
        RoadClass::Service,
        RoadClass::MotorwayLink,
        RoadClass::TrunkLink,
        RoadClass::PrimaryLink,
        RoadClass::SecondaryLink,
        RoadClass::TertiaryLink,
    ];

    /// How prominent a street of this class is on the map: 0 for motorways and trunk roads,
    /// 1 primary, 2 secondary, 3 tertiary, 4 the rest (lanes: only close in). A link ranks
    /// with the road it links.
    pub fn rank(self) -> u8 {
        use RoadClass::*;
        match self {
            Motorway | Trunk | MotorwayLink | TrunkLink => 0,
            Primary | PrimaryLink => 1,
            Secondary | SecondaryLink => 2,
            Tertiary | TertiaryLink => 3,
            Unclassified | Residential | LivingStreet | Pedestrian | Service => 4,
        }
    }

    fn code(self) -> u8 {
        RoadClass::ALL.iter().position(|c| *c == self).unwrap_or(0) as u8
    }
}

// ---------------------------------------------------------------------------------------------
// The loaded base map (WGS84)
// ---------------------------------------------------------------------------------------------

/// The base map as loaded: every sound feature, in file order, in WGS84 lon/lat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Basemap {
    pub features: Vec<BaseFeature>,
    /// The file's `attribution`, when it has one.
    pub attribution: Option<String>,
}

/// One street or water feature.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseFeature {
    pub kind: BaseKind,
    /// Set for every road, `None` for water.
    pub class: Option<RoadClass>,
    pub source: BaseSource,
    /// The name in three languages (`zh_hant` written or derived; `en` when the file has it).
    pub name: Option<Localized>,
    pub geometry: BaseGeometry,
}

/// A street's lines or a water's polygons.
#[derive(Clone, Debug, PartialEq)]
pub enum BaseGeometry {
    Lines(MultiLineString<f64>),
    Polygons(MultiPolygon<f64>),
}

impl BaseGeometry {
    fn coords(&self) -> Box<dyn Iterator<Item = Coord<f64>> + '_> {
        match self {
            BaseGeometry::Lines(m) => Box::new(m.0.iter().flat_map(|l| l.0.iter().copied())),
            BaseGeometry::Polygons(m) => Box::new(m.0.iter().flat_map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .flat_map(|r| r.0.iter().copied())
            })),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Traditional names
// ---------------------------------------------------------------------------------------------

/// Simplified characters that are also ordinary traditional ones (or whose traditional form
/// depends on the word): left as they are.
const KEEP: &str = "松只面斗出才了表合板家克向别秋千回累志卷范致症困余郁系后征冲制干里并于闲咨";
/// The traditional form chosen where the table has two.
const PREFER: [(char, char); 8] = [
    ('启', '啟'),
    ('产', '產'),
    ('线', '線'),
    ('绣', '繡'),
    ('宁', '寧'),
    ('奖', '獎'),
    ('历', '歷'),
    ('发', '發'),
];

/// The traditional form of a simplified Chinese name, character by character, from the
/// exhibit's conversion table ([`crate::search`]); characters it does not know stay as they
/// are. A curator who finds a wrong character writes `name_zh_hant` in the file.
pub fn to_traditional(simplified: &str) -> String {
    thread_local! {
        static TABLE: HashMap<char, char> = traditional_table();
    }
    TABLE.with(|t| {
        simplified
            .chars()
            .map(|c| t.get(&c).copied().unwrap_or(c))
            .collect()
    })
}

fn traditional_table() -> HashMap<char, char> {
    let mut options: HashMap<char, Vec<char>> = HashMap::new();
    for (t, s) in crate::search::TRADITIONAL
        .iter()
        .zip(crate::search::SIMPLIFIED.iter())
    {
        for (tc, sc) in t.chars().zip(s.chars()) {
            if tc != sc {
                let o = options.entry(sc).or_default();
                if !o.contains(&tc) {
                    o.push(tc);
                }
            }
        }
    }
    let mut table: HashMap<char, char> = options
        .into_iter()
        .filter(|(s, o)| o.len() == 1 && !KEEP.contains(*s))
        .map(|(s, o)| (s, o[0]))
        .collect();
    table.extend(PREFER);
    table
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// The head of the file with its features left as text (the fast path: each feature is then
/// read straight into its typed form).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadFast<'a> {
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    #[serde(rename = "type")]
    _kind: FeatureCollectionType,
    #[serde(default)]
    attribution: Option<String>,
    #[serde(default, rename = "license")]
    _license: Option<String>,
    #[serde(default, rename = "name")]
    _name: Option<String>,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(default, rename = "bbox")]
    _bbox: Option<Vec<f64>>,
    #[serde(borrow)]
    features: Vec<&'a serde_json::value::RawValue>,
}

/// Reads `basemap.geojson` (hooked into [`crate::load::load`]). A missing file is no problem:
/// the exhibit simply has no base map. A file that cannot be read gives an error and an empty
/// base map; a feature with an error is left out.
pub(crate) fn take<'a>(rep: &mut Reporter<'a>, bytes: Option<&'a [u8]>) -> Basemap {
    let Some(bytes) = bytes else {
        return Basemap::default();
    };
    let Some(text) = rep.read(FILE, Some(bytes)) else {
        return Basemap::default();
    };
    let root = JsonPath::root();
    // The fast path; any problem in the head, and the precise path words and locates it.
    let head = match serde_json::from_str::<HeadFast>(text) {
        Ok(h) => h,
        Err(_) => {
            let value = match serde_json::from_str::<Value>(text) {
                Ok(v) => v,
                Err(e) => {
                    rep.syntax_error(FILE, text, &e);
                    return Basemap::default();
                }
            };
            let Some(obj) = value.as_object() else {
                rep.error(
                    FILE,
                    &root,
                    "the file must hold one GeoJSON FeatureCollection `{…}`".to_string(),
                );
                return Basemap::default();
            };
            let mut head = obj.clone();
            head.insert("features".into(), Value::Array(Vec::new()));
            if crate::load::deserialize::<BasemapFile>(rep, FILE, &root, &Value::Object(head))
                .is_none()
            {
                return Basemap::default();
            }
            // The head is sound: the features list is what the fast path could not read.
            let Some(Value::Array(_)) = obj.get("features") else {
                rep.error(
                    FILE,
                    &root.key("features"),
                    "expected a list `[…]` of features at `features`".to_string(),
                );
                return Basemap::default();
            };
            match serde_json::from_str::<HeadFast>(text) {
                Ok(h) => h,
                Err(e) => {
                    rep.error(FILE, &root, format!("the file could not be read: {e}"));
                    return Basemap::default();
                }
            }
        }
    };
    let expected = crate::load::schema_for_file(FILE);
    match head.schema.as_deref() {
        Some(s) if s.rsplit('/').next() == Some(expected) => {}
        Some(s) => rep.warning(
            FILE,
            &root.key("$schema"),
            format!(
                "`$schema` names `{s}`, but this file's schema is `schema/{expected}`: editors \
                 check it against the wrong rules"
            ),
        ),
        None => rep.warning(
            FILE,
            &root,
            format!(
                "the file has no `$schema` member: add `\"$schema\": \"schema/{expected}\"` so \
                 editors check it as you type"
            ),
        ),
    }
    if let Some(crs) = &head.crs {
        let name = crs
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !(name.contains("CRS84") || name.ends_with(":4326") || name.ends_with("::4326")) {
            rep.error(
                FILE,
                &root.key("crs"),
                format!(
                    "the file declares the coordinate system `{name}` at `crs`; coordinates \
                     must be WGS84 longitude/latitude (CRS84): export the layer again in \
                     EPSG:4326"
                ),
            );
            return Basemap::default();
        }
    }
    let mut out = Basemap {
        features: Vec::with_capacity(head.features.len()),
        attribution: head.attribution,
    };
    let mut budget = MAX_VERTICES_PER_FILE;
    for (i, raw) in head.features.iter().enumerate() {
        let path = root.key("features").index(i);
        let feature = match serde_json::from_str::<BaseFeatureIn>(raw.get()) {
            Ok(f) => Some(f),
            Err(_) => {
                let v = serde_json::from_str::<Value>(raw.get()).unwrap_or(Value::Null);
                crate::load::deserialize::<BaseFeatureIn>(rep, FILE, &path, &v)
            }
        };
        match feature.and_then(|f| feature_of(rep, &path, f, &mut budget)) {
            Some(f) => out.features.push(f),
            None => rep.skip(FILE, &path, None),
        }
    }
    out
}

/// Checks one feature and turns it into its loaded form; `None` (with the errors reported)
/// when it is to be left out.
fn feature_of(
    rep: &mut Reporter,
    path: &JsonPath,
    f: BaseFeatureIn,
    budget: &mut usize,
) -> Option<BaseFeature> {
    let p = f.properties;
    let props = path.key("properties");
    let gpath = path.key("geometry");
    let lines = matches!(
        f.geometry.kind,
        BaseGeometryType::LineString | BaseGeometryType::MultiLineString
    );
    let mut ok = true;
    match (p.kind, lines) {
        (BaseKind::Road, false) => {
            rep.error(
                FILE,
                &gpath.key("type"),
                "a road is a LineString or MultiLineString, not a polygon".to_string(),
            );
            ok = false;
        }
        (BaseKind::Water, true) => {
            rep.error(
                FILE,
                &gpath.key("type"),
                "water is a Polygon or MultiPolygon (its banks), not a line".to_string(),
            );
            ok = false;
        }
        _ => {}
    }
    let class = match (p.kind, p.class) {
        (BaseKind::Road, None) => {
            rep.error(
                FILE,
                &props,
                "a road needs its `class` (the OpenStreetMap highway class, e.g. \
                 \"residential\"): it decides how wide and from which zoom it is drawn"
                    .to_string(),
            );
            ok = false;
            None
        }
        (BaseKind::Water, Some(_)) => {
            rep.warning(
                FILE,
                &props.key("class"),
                "water has no road class: `class` is ignored".to_string(),
            );
            None
        }
        (_, c) => c,
    };
    let name = match p.name {
        Some(n) if !n.trim().is_empty() => Some(Localized {
            zh_hant: Some(p.name_zh_hant.unwrap_or_else(|| to_traditional(&n))),
            zh_hans: n,
            en: p.name_en.filter(|e| !e.trim().is_empty()),
        }),
        Some(_) => {
            rep.error(
                FILE,
                &props.key("name"),
                "the name is empty: write it, or leave `name` out".to_string(),
            );
            ok = false;
            None
        }
        None => {
            if p.name_en.is_some() || p.name_zh_hant.is_some() {
                rep.warning(
                    FILE,
                    &props,
                    "a translated name without the Chinese `name`: it is not shown".to_string(),
                );
            }
            None
        }
    };
    let cpath = gpath.key("coordinates");
    let c = &f.geometry.coordinates;
    let geometry = match f.geometry.kind {
        BaseGeometryType::LineString => {
            line(rep, &cpath, c, budget).map(|l| BaseGeometry::Lines(MultiLineString(vec![l])))
        }
        BaseGeometryType::MultiLineString => {
            list(rep, &cpath, c, |rep, p, v| line(rep, p, v, budget))
                .map(|ls| BaseGeometry::Lines(MultiLineString(ls)))
        }
        BaseGeometryType::Polygon => {
            polygon(rep, &cpath, c, budget).map(|p| BaseGeometry::Polygons(MultiPolygon(vec![p])))
        }
        BaseGeometryType::MultiPolygon => {
            list(rep, &cpath, c, |rep, p, v| polygon(rep, p, v, budget))
                .map(|ps| BaseGeometry::Polygons(MultiPolygon(ps)))
        }
    };
    let geometry = geometry?;
    if !ok {
        return None;
    }
    Some(BaseFeature {
        kind: p.kind,
        class,
        source: p.source,
        name,
        geometry,
    })
}

/// A non-empty list, each item read by `item`; `None` when any item fails.
fn list<T>(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    mut item: impl FnMut(&mut Reporter, &JsonPath, &Value) -> Option<T>,
) -> Option<Vec<T>> {
    let Some(a) = v.as_array().filter(|a| !a.is_empty()) else {
        rep.error(
            FILE,
            path,
            "expected a non-empty list `[…]` here".to_string(),
        );
        return None;
    };
    let mut out = Vec::with_capacity(a.len());
    let mut ok = true;
    for (i, x) in a.iter().enumerate() {
        match item(rep, &path.index(i), x) {
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Positions, at least `min` of them, each in Shanghai; counted against the budget.
fn positions(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    min: usize,
    budget: &mut usize,
) -> Option<LineString<f64>> {
    let Some(a) = v.as_array() else {
        rep.error(
            FILE,
            path,
            "expected a list of positions `[[lon, lat], …]`".to_string(),
        );
        return None;
    };
    if a.len() < min {
        rep.error(
            FILE,
            path,
            format!("{} position(s) here; at least {min} are needed", a.len()),
        );
        return None;
    }
    if a.len() > (*budget).min(MAX_VERTICES_PER_FEATURE) {
        rep.error(
            FILE,
            path,
            format!(
                "too many positions (the limits are {MAX_VERTICES_PER_FEATURE} per feature and \
                 {MAX_VERTICES_PER_FILE} per file): simplify the geometry"
            ),
        );
        return None;
    }
    *budget -= a.len();
    let mut out = Vec::with_capacity(a.len());
    for (i, p) in a.iter().enumerate() {
        let xy = p.as_array().and_then(|xy| {
            let lon = xy.first()?.as_f64()?;
            let lat = xy.get(1)?.as_f64()?;
            (xy.len() <= 3).then_some((lon, lat))
        });
        let Some((lon, lat)) = xy else {
            rep.error(
                FILE,
                &path.index(i),
                "expected a position `[longitude, latitude]` of two numbers".to_string(),
            );
            return None;
        };
        if !in_shanghai(lon, lat) {
            let swapped = in_shanghai(lat, lon);
            rep.error(
                FILE,
                &path.index(i),
                if swapped {
                    format!(
                        "the position [{lon}, {lat}] has latitude and longitude swapped: \
                         GeoJSON writes [longitude, latitude]"
                    )
                } else {
                    format!("the position [{lon}, {lat}] is not in Shanghai")
                },
            );
            return None;
        }
        out.push(Coord { x: lon, y: lat });
    }
    Some(LineString(out))
}

fn line(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    budget: &mut usize,
) -> Option<LineString<f64>> {
    positions(rep, path, v, 2, budget)
}

fn polygon(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    budget: &mut usize,
) -> Option<Polygon<f64>> {
    let rings = list(rep, path, v, |rep, p, r| {
        let ring = positions(rep, p, r, 4, budget)?;
        if ring.0.first() != ring.0.last() {
            rep.error(
                FILE,
                p,
                "the ring is not closed: its last position must repeat the first".to_string(),
            );
            return None;
        }
        Some(ring)
    })?;
    let mut rings = rings.into_iter();
    let outer = rings.next()?;
    let poly = Polygon::new(outer, rings.collect());
    let bad = crate::validity::validation_errors(&MultiPolygon(vec![poly.clone()]));
    if !bad.is_empty() {
        rep.error(
            FILE,
            path,
            "the polygon is not valid (a ring crosses itself or another): redraw its banks"
                .to_string(),
        );
        return None;
    }
    Some(poly)
}

// ---------------------------------------------------------------------------------------------
// The projected layer (what checked.bin carries)
// ---------------------------------------------------------------------------------------------

/// The base map prepared for painting: every feature projected to Web Mercator metres (as the
/// map's [`crate::geometry::Viewport`] uses), as `f32` offsets from [`BaseLayer::origin`],
/// kept to the decimetre (stored in `checked.bin` as varint differences).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseLayer {
    /// World position (Web Mercator metres) the coordinates are relative to.
    pub origin: Coord<f64>,
    /// In file order: water and roads as the file lists them. The importer writes water first,
    /// then roads from the least to the most important class (so painting in order puts main
    /// roads on top).
    pub shapes: Vec<BaseShape>,
    /// The file's `attribution`, to show on the map (e.g. "© OpenStreetMap contributors").
    pub attribution: Option<String>,
}

/// One feature of the [`BaseLayer`].
#[derive(Clone, Debug, PartialEq)]
pub struct BaseShape {
    pub kind: BaseKind,
    /// Every road has one; water has none.
    pub class: Option<RoadClass>,
    pub source: BaseSource,
    /// Chinese, traditional and English names (`zh_hant` always set when there is a name).
    pub name: Option<Localized>,
    /// Roads: each line; water: each ring (of every polygon; fill them together with the
    /// even-odd rule, so holes are holes). Each part is `x, y, x, y, …` in metres from
    /// [`BaseLayer::origin`] (y grows northwards, as in world coordinates).
    pub parts: Vec<Vec<f32>>,
    /// World bounds of the shape (Web Mercator metres).
    pub bbox: Rect<f64>,
}

impl BaseLayer {
    /// Projects a loaded base map.
    pub fn new(map: &Basemap) -> BaseLayer {
        let world: Vec<Vec<Vec<Coord<f64>>>> = map
            .features
            .iter()
            .map(|f| match &f.geometry {
                BaseGeometry::Lines(m) => {
                    m.0.iter()
                        .map(|l| l.0.iter().map(|c| project(*c)).collect())
                        .collect()
                }
                BaseGeometry::Polygons(m) => {
                    m.0.iter()
                        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                        .map(|r| r.0.iter().map(|c| project(*c)).collect())
                        .collect()
                }
            })
            .collect();
        let all = world.iter().flatten().flatten();
        let (mut lo, mut hi) = (
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        );
        for c in all {
            lo = Coord {
                x: lo.x.min(c.x),
                y: lo.y.min(c.y),
            };
            hi = Coord {
                x: hi.x.max(c.x),
                y: hi.y.max(c.y),
            };
        }
        let origin = if lo.x.is_finite() {
            Coord {
                x: ((lo.x + hi.x) / 2.0).round(),
                y: ((lo.y + hi.y) / 2.0).round(),
            }
        } else {
            Coord::zero()
        };
        let shapes = map
            .features
            .iter()
            .zip(world)
            .map(|(f, parts)| {
                let parts: Vec<Vec<f32>> = parts
                    .iter()
                    .map(|p| {
                        p.iter()
                            .flat_map(|c| [decimetres(c.x - origin.x), decimetres(c.y - origin.y)])
                            .map(from_decimetres)
                            .collect()
                    })
                    .collect();
                BaseShape {
                    kind: f.kind,
                    class: f.class,
                    source: f.source,
                    name: f.name.clone(),
                    bbox: bbox_of(origin, &parts),
                    parts,
                }
            })
            .collect();
        BaseLayer {
            origin,
            shapes,
            attribution: map.attribution.clone(),
        }
    }

    /// World bounds of the whole layer, `None` when it is empty.
    pub fn bounds(&self) -> Option<Rect<f64>> {
        let mut it = self.shapes.iter().map(|s| s.bbox);
        let first = it.next()?;
        Some(it.fold(first, |a, b| {
            Rect::new(
                Coord {
                    x: a.min().x.min(b.min().x),
                    y: a.min().y.min(b.min().y),
                },
                Coord {
                    x: a.max().x.max(b.max().x),
                    y: a.max().y.max(b.max().y),
                },
            )
        }))
    }

    /// The shapes whose bounds meet `world` (e.g. [`crate::geometry::Viewport::world_bounds`]),
    /// in layer order.
    pub fn in_rect(&self, world: Rect<f64>) -> impl Iterator<Item = &BaseShape> + '_ {
        self.shapes.iter().filter(move |s| {
            s.bbox.min().x <= world.max().x
                && s.bbox.max().x >= world.min().x
                && s.bbox.min().y <= world.max().y
                && s.bbox.max().y >= world.min().y
        })
    }

    /// Appends the layer to `out` (for `checked.bin`).
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_f64(out, self.origin.x);
        put_f64(out, self.origin.y);
        put_text(out, self.attribution.as_deref());
        put_u32(out, self.shapes.len() as u32);
        for s in &self.shapes {
            put_u8(
                out,
                match s.kind {
                    BaseKind::Road => 0,
                    BaseKind::Water => 1,
                },
            );
            put_u8(out, s.class.map_or(0xff, RoadClass::code));
            put_u8(
                out,
                match s.source {
                    BaseSource::Osm => 0,
                    BaseSource::Derived => 1,
                },
            );
            match &s.name {
                Some(n) => {
                    put_u8(out, 1);
                    put_bytes(out, n.zh_hans.as_bytes());
                    put_text(out, n.zh_hant.as_deref());
                    put_text(out, n.en.as_deref());
                }
                None => put_u8(out, 0),
            }
            let lens: Vec<u32> = s.parts.iter().map(|p| p.len() as u32).collect();
            put_u32s(out, &lens);
            // Decimetres, each x (and y) as the difference from the one before, zigzag
            // varints: about two bytes a number instead of four.
            let mut bytes = Vec::new();
            let mut last = [0i64; 2];
            for (k, v) in s.parts.iter().flatten().enumerate() {
                let d = decimetres(f64::from(*v));
                put_varint(&mut bytes, d - last[k % 2]);
                last[k % 2] = d;
            }
            put_bytes(out, &bytes);
        }
    }

    /// Reads what [`BaseLayer::encode`] wrote. Never panics: damage is an error.
    pub fn decode(r: &mut Reader) -> Result<BaseLayer, WireError> {
        let origin = Coord {
            x: r.f64()?,
            y: r.f64()?,
        };
        let attribution = get_text(r)?;
        let n = r.u32()? as usize;
        let mut shapes = Vec::with_capacity(n.min(r.left()));
        for _ in 0..n {
            let at = r.position();
            let bad = |what| WireError { at, what };
            let kind = match r.u8()? {
                0 => BaseKind::Road,
                1 => BaseKind::Water,
                _ => return Err(bad("an unknown base map kind")),
            };
            let class = match r.u8()? {
                0xff => None,
                k => Some(
                    *RoadClass::ALL
                        .get(usize::from(k))
                        .ok_or_else(|| bad("an unknown road class"))?,
                ),
            };
            let source = match r.u8()? {
                0 => BaseSource::Osm,
                1 => BaseSource::Derived,
                _ => return Err(bad("an unknown base map source")),
            };
            let name = match r.u8()? {
                0 => None,
                _ => {
                    let at = r.position();
                    let zh_hans = std::str::from_utf8(r.bytes()?)
                        .map_err(|_| WireError {
                            at,
                            what: "text that is not UTF-8",
                        })?
                        .to_string();
                    Some(Localized {
                        zh_hans,
                        zh_hant: get_text(r)?,
                        en: get_text(r)?,
                    })
                }
            };
            let lens = r.u32s()?;
            let bytes = r.bytes()?;
            let mut all = Vec::with_capacity(bytes.len());
            let (mut at_byte, mut last) = (0, [0i64; 2]);
            while at_byte < bytes.len() {
                let d = get_varint(bytes, &mut at_byte).ok_or_else(|| bad("a broken number"))?;
                let k = all.len() % 2;
                last[k] = last[k].saturating_add(d);
                all.push(from_decimetres(last[k]));
            }
            if lens.iter().map(|&l| l as usize).sum::<usize>() != all.len()
                || lens.iter().any(|l| l % 2 != 0)
            {
                return Err(bad("base map parts that do not add up"));
            }
            let mut parts = Vec::with_capacity(lens.len());
            let mut at = 0;
            for l in lens {
                parts.push(all[at..at + l as usize].to_vec());
                at += l as usize;
            }
            shapes.push(BaseShape {
                kind,
                class,
                source,
                name,
                bbox: bbox_of(origin, &parts),
                parts,
            });
        }
        Ok(BaseLayer {
            origin,
            shapes,
            attribution,
        })
    }
}

impl BaseShape {
    /// Where a street's name fits best: the middle of its longest part, as a world position,
    /// the direction of the street there (radians, counter-clockwise from east, in world
    /// coordinates) and the part's length in metres. `None` for a shape without parts.
    pub fn label_run(&self, origin: Coord<f64>) -> Option<(Coord<f64>, f64, f64)> {
        let len = |p: &[f32]| -> f64 {
            p.chunks_exact(2)
                .zip(p.chunks_exact(2).skip(1))
                .map(|(a, b)| f64::from(b[0] - a[0]).hypot(f64::from(b[1] - a[1])))
                .sum()
        };
        let part = self
            .parts
            .iter()
            .filter(|p| p.len() >= 4)
            .max_by(|a, b| len(a).total_cmp(&len(b)))?;
        let total = len(part);
        let mut left = total / 2.0;
        for (a, b) in part.chunks_exact(2).zip(part.chunks_exact(2).skip(1)) {
            let (dx, dy) = (f64::from(b[0] - a[0]), f64::from(b[1] - a[1]));
            let d = dx.hypot(dy);
            if d >= left && d > 0.0 {
                let t = left / d;
                let at = Coord {
                    x: origin.x + f64::from(a[0]) + dx * t,
                    y: origin.y + f64::from(a[1]) + dy * t,
                };
                return Some((at, dy.atan2(dx), total));
            }
            left -= d;
        }
        None
    }
}

fn bbox_of(origin: Coord<f64>, parts: &[Vec<f32>]) -> Rect<f64> {
    let (mut lo, mut hi) = (
        Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        },
        Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        },
    );
    for xy in parts.iter().flat_map(|p| p.chunks_exact(2)) {
        let (x, y) = (origin.x + f64::from(xy[0]), origin.y + f64::from(xy[1]));
        lo = Coord {
            x: lo.x.min(x),
            y: lo.y.min(y),
        };
        hi = Coord {
            x: hi.x.max(x),
            y: hi.y.max(y),
        };
    }
    if lo.x.is_finite() {
        Rect::new(lo, hi)
    } else {
        Rect::new(origin, origin)
    }
}

/// A length in metres as whole decimetres (the precision the layer keeps).
fn decimetres(m: f64) -> i64 {
    (m * 10.0).round() as i64
}

fn from_decimetres(d: i64) -> f32 {
    (d as f64 / 10.0) as f32
}

fn put_varint(out: &mut Vec<u8>, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<i64> {
    let mut z = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        z |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(((z >> 1) as i64) ^ -((z & 1) as i64));
        }
    }
    None
}

fn put_text(out: &mut Vec<u8>, t: Option<&str>) {
    match t {
        Some(t) => {
            put_u8(out, 1);
            put_bytes(out, t.as_bytes());
        }
        None => put_u8(out, 0),
    }
}

fn get_text(r: &mut Reader) -> Result<Option<String>, WireError> {
    if r.u8()? == 0 {
        return Ok(None);
    }
    let at = r.position();
    let b = r.bytes()?;
    match std::str::from_utf8(b) {
        Ok(s) => Ok(Some(s.to_string())),
        Err(_) => Err(WireError {
            at,
            what: "text that is not UTF-8",
        }),
    }
}

/// Number of positions in a loaded base map (for sizes in reports).
pub fn vertex_count(map: &Basemap) -> usize {
    map.features
        .iter()
        .map(|f| f.geometry.coords().count())
        .sum()
}
