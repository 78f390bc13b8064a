//! The data model: the records of every file in `data/` as curators write them (the `*File`
//! and `*Props` types, which also generate the JSON Schemas), and the resolved [`Exhibit`]
//! that [`crate::load::load`] returns to the app, with geometry in WGS84 lon/lat.
//!
//! See `docs/data-format.md` for the format in prose.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;

mod exhibit;
pub use exhibit::{Area, District, Exhibit, Place};

/// An id: a lower-case slug (`nanchang-building`), a 12-digit division code
/// (`310101023005`) or a provisional area id (`prov-310101023000-yuyangli`).
pub type Id = String;

// ---------------------------------------------------------------------------------------------
// Languages and localized text
// ---------------------------------------------------------------------------------------------

/// A language of the exhibit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Lang {
    /// Simplified Chinese, the reference language: every text has it.
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// Traditional Chinese; falls back to Simplified Chinese.
    #[serde(rename = "zh-Hant")]
    ZhHant,
    /// English; falls back to Simplified Chinese.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    /// The BCP 47 tag used in the files and in URLs (`zh-Hans`, `zh-Hant`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The relative path of this language's interface strings.
    pub fn strings_file(self) -> &'static str {
        match self {
            Lang::ZhHans => "i18n/zh-Hans.json",
            Lang::ZhHant => "i18n/zh-Hant.json",
            Lang::En => "i18n/en.json",
        }
    }
}

/// A text a visitor reads, in each language. `zh-Hans` is required, `en` expected.
///
/// ```
/// use lilong_core::model::{Lang, Localized};
/// let t = Localized::new("南昌大楼").with_en("Nanchang Building");
/// assert_eq!(t.get(Lang::En), "Nanchang Building");
/// assert_eq!(t.get(Lang::ZhHant), "南昌大楼"); // falls back to zh-Hans
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Localized {
    #[serde(rename = "zh-Hans")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub zh_hans: String,
    #[serde(rename = "zh-Hant", default, skip_serializing_if = "Option::is_none")]
    pub zh_hant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Localized {
    pub fn new(zh_hans: impl Into<String>) -> Self {
        Localized {
            zh_hans: zh_hans.into(),
            zh_hant: None,
            en: None,
        }
    }

    pub fn with_en(mut self, en: impl Into<String>) -> Self {
        self.en = Some(en.into());
        self
    }

    pub fn with_zh_hant(mut self, t: impl Into<String>) -> Self {
        self.zh_hant = Some(t.into());
        self
    }

    /// The text in `lang`, falling back to Simplified Chinese when that language is missing
    /// or empty.
    pub fn get(&self, lang: Lang) -> &str {
        let own = match lang {
            Lang::ZhHans => None,
            Lang::ZhHant => self.zh_hant.as_deref(),
            Lang::En => self.en.as_deref(),
        };
        match own {
            Some(s) if !s.trim().is_empty() => s,
            _ => &self.zh_hans,
        }
    }

    /// Whether the text exists in `lang` itself (no fallback).
    pub fn has(&self, lang: Lang) -> bool {
        let own = match lang {
            Lang::ZhHans => Some(self.zh_hans.as_str()),
            Lang::ZhHant => self.zh_hant.as_deref(),
            Lang::En => self.en.as_deref(),
        };
        own.is_some_and(|s| !s.trim().is_empty())
    }
}

// ---------------------------------------------------------------------------------------------
// Small shared shapes
// ---------------------------------------------------------------------------------------------

/// Where a map view or a story chapter points: a residential area or a place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Focus {
    Area(Id),
    Place(Id),
}

/// One step of the kiosk's attract tour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AttractStep {
    Story(Id),
    Area(Id),
    Place(Id),
}

/// An image under `data/` with its alt text (required) and credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Path relative to `data/`, e.g. `media/nanchang.jpg`.
    pub file: String,
    /// What the image shows, for visitors who cannot see it.
    pub alt: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Localized>,
}

/// A dated statement (a place's fact, a project's milestone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dated {
    /// `2014`, `2018-06` or `2019-03-05`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// True when the source is vague ("nearly three years", "in recent years").
    #[serde(default)]
    pub approximate: bool,
    /// The end of a span (2019–2020).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    pub text: Localized,
    #[serde(default)]
    pub sources: Vec<Id>,
}

impl Dated {
    /// The date for a visitor ("约2022年", "June 2018", "2019–2020"); `None` when undated.
    pub fn date_label(&self, lang: Lang) -> Option<String> {
        self.date
            .map(|d| d.display_range(self.end.as_ref(), lang, self.approximate))
    }
}

// ---------------------------------------------------------------------------------------------
// exhibit.json
// ---------------------------------------------------------------------------------------------

/// `exhibit.json`: the exhibit's settings.
pub type ExhibitFile = Settings;

/// The exhibit's settings (the contents of `exhibit.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub title: Localized,
    pub intro: Localized,
    /// The languages offered, in the order of the language switch.
    pub languages: Vec<Lang>,
    pub default_language: Lang,
    pub view: View,
    pub kiosk: Kiosk,
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub credits: Vec<Localized>,
    /// `https://…`, used for hand-off QR codes.
    #[serde(default)]
    pub public_base_url: Option<String>,
    #[serde(default)]
    pub tiles: Option<Tiles>,
    #[serde(default)]
    pub sources: Vec<Id>,
    /// The stories every start screen offers first, in this order (the shelf of stories
    /// follows them with the rest). Empty: the first two stories of `stories.json`.
    #[serde(default)]
    pub featured_stories: Vec<Id>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            schema: None,
            title: Localized::new("上海里弄").with_en("Shanghai neighbourhoods"),
            intro: Localized::default(),
            languages: Lang::ALL.to_vec(),
            default_language: Lang::ZhHans,
            view: View {
                bounds: SHANGHAI_CENTRE_BOUNDS,
            },
            kiosk: Kiosk::default(),
            themes: Vec::new(),
            credits: Vec::new(),
            public_base_url: None,
            tiles: None,
            sources: Vec::new(),
            featured_stories: Vec::new(),
        }
    }
}

/// Central Shanghai, `[west, south, east, north]`.
pub const SHANGHAI_CENTRE_BOUNDS: [f64; 4] = [121.40, 31.17, 121.56, 31.30];

/// The map's default view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct View {
    /// `[west, south, east, north]` in WGS84 degrees.
    pub bounds: [f64; 4],
}

/// Kiosk mode: after `idle_seconds` without a touch, a countdown, then the attract tour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Kiosk {
    #[serde(default)]
    pub enabled: bool,
    pub idle_seconds: u32,
    pub countdown_seconds: u32,
    #[serde(default)]
    pub attract: Vec<AttractStep>,
}

impl Default for Kiosk {
    fn default() -> Self {
        Kiosk {
            enabled: false,
            idle_seconds: 90,
            countdown_seconds: 15,
            attract: Vec::new(),
        }
    }
}

/// A theme projects belong to, with its map colour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: Id,
    pub name: Localized,
    /// `#rrggbb`.
    pub color: String,
}

/// An optional raster base map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tiles {
    /// `https://…/{z}/{x}/{y}.png`
    pub url: String,
    pub attribution: String,
}

// ---------------------------------------------------------------------------------------------
// sources.json, subdistricts.json, projects.json, stories.json
// ---------------------------------------------------------------------------------------------

/// `sources.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub sources: Vec<Source>,
}

/// An article or other source the content comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Id,
    /// The seed article's file name, e.g. `000_f36067a815dee84f.txt`.
    #[serde(default)]
    pub file: Option<String>,
    pub title: Localized,
    #[serde(default)]
    pub publisher: Option<Localized>,
    /// `http(s)://…` for outside sources.
    #[serde(default)]
    pub url: Option<String>,
}

/// `subdistricts.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SubdistrictsFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub subdistricts: Vec<Subdistrict>,
}

/// A subdistrict (街道).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Subdistrict {
    /// 12-digit division code, e.g. `310101023000`.
    pub id: Id,
    /// The district's 12-digit code, e.g. `310101000000`.
    pub district: Id,
    pub name: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Localized>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `projects.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectsFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub projects: Vec<Project>,
}

/// A neighbourhood's self-governance project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: Id,
    /// The residential area's id.
    pub area: Id,
    /// A theme id from `exhibit.json`.
    pub theme: Id,
    pub title: Localized,
    pub summary: Localized,
    /// In date order.
    #[serde(default)]
    pub milestones: Vec<Dated>,
    /// Places the project concerns (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Id>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `stories.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StoriesFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub stories: Vec<Story>,
}

/// A guided story, in chapters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub id: Id,
    pub title: Localized,
    #[serde(default)]
    pub summary: Option<Localized>,
    /// The place the story is about (optional).
    #[serde(default)]
    pub place: Option<Id>,
    /// The residential area the story is about (optional).
    #[serde(default)]
    pub area: Option<Id>,
    pub chapters: Vec<Chapter>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// One chapter of a story.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub heading: Localized,
    pub paragraphs: Vec<Localized>,
    #[serde(default)]
    pub image: Option<Image>,
    /// Where the map goes while this chapter is read.
    #[serde(default)]
    pub focus: Option<Focus>,
    /// A resident's (or another speaker's) own words from the source, shown as the chapter's
    /// pull quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// Words quoted from a source, and who said them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The words, without quotation marks.
    pub text: Localized,
    /// Who said them, e.g. "Ye Li, Party secretary".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Localized>,
}

// ---------------------------------------------------------------------------------------------
// i18n/<lang>.json
// ---------------------------------------------------------------------------------------------

/// `i18n/<lang>.json`: interface strings of one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StringsFile {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub language: Lang,
    pub strings: BTreeMap<String, String>,
}

// ---------------------------------------------------------------------------------------------
// GeoJSON files
// ---------------------------------------------------------------------------------------------

/// `"FeatureCollection"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FeatureCollectionType {
    FeatureCollection,
}

/// `"Feature"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FeatureType {
    Feature,
}

/// The coordinate system a GeoJSON file declares (`coordinate_system`, a foreign member).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CoordinateSystem {
    /// The offset coordinates of Chinese web maps: converted to WGS84 on load.
    #[serde(rename = "GCJ-02")]
    Gcj02,
    /// Plain WGS84 (the default).
    #[serde(rename = "WGS84")]
    Wgs84,
}

/// A GeoJSON (RFC 7946) FeatureCollection whose features carry properties `P`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FeatureCollection<P> {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(rename = "type")]
    pub kind: FeatureCollectionType,
    /// `"GCJ-02"` when the coordinates were copied from a Chinese web map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinate_system: Option<CoordinateSystem>,
    /// Layer name (QGIS writes it; ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Coordinate reference (QGIS writes it; must be WGS84 / CRS84 if present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
    pub features: Vec<Feature<P>>,
}

/// A GeoJSON Feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Feature<P> {
    #[serde(rename = "type")]
    pub kind: FeatureType,
    /// A feature id some editors write; the record's id is `properties.id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
    pub properties: P,
    /// `null` only for a residential area whose location no source gives: it is listed but
    /// not drawn.
    pub geometry: Option<RawGeometry>,
}

/// A GeoJSON geometry as written; its coordinates are checked and converted by the loader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawGeometry {
    #[serde(rename = "type")]
    pub kind: GeometryType,
    /// `[lon, lat]` for a Point; rings of `[lon, lat]` for a Polygon; a list of those for a
    /// MultiPolygon. Rings are closed (the last position repeats the first).
    #[cfg_attr(feature = "schema", schemars(schema_with = "coordinates_schema"))]
    pub coordinates: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
}

/// The JSON Schema of `coordinates`: a position, a polygon's rings or a MultiPolygon's polygons.
#[cfg(feature = "schema")]
fn coordinates_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let position = serde_json::json!({
        "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 3,
        "description": "[longitude, latitude] in WGS84 degrees"
    });
    let ring = serde_json::json!({ "type": "array", "items": position, "minItems": 4 });
    let polygon = serde_json::json!({ "type": "array", "items": ring, "minItems": 1 });
    schemars::json_schema!({
        "description": "Point: [longitude, latitude]. Polygon: rings of positions, the first outer, \
                        each closed (last position = first). MultiPolygon: a list of polygons.",
        "anyOf": [ position, polygon, { "type": "array", "items": polygon } ]
    })
}

/// The geometry types the exhibit uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum GeometryType {
    Point,
    Polygon,
    MultiPolygon,
}

/// `properties` of a district in `districts.geojson`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DistrictProps {
    /// 12-digit code, e.g. `310101000000`.
    pub id: Id,
    pub name: Localized,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// How a residential area's boundary was drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// From an official survey.
    Surveyed,
    /// Traced from a map along real streets.
    Traced,
    /// Drawn by hand as an approximation: the app says so wherever it shows it.
    Schematic,
}

/// `properties` of a residential area in `areas.geojson`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AreaProps {
    /// 12-digit division code, or `prov-<subdistrict code>-<slug>`.
    pub id: Id,
    pub name: Localized,
    pub subdistrict: Id,
    pub district: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residents: Option<u32>,
    /// Declared area in km², where a source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_km2: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Localized>,
    pub boundary: Boundary,
    /// What is known of the boundary, e.g. the streets a source names as edges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary_note: Option<Localized>,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// What kind of place a place is. `building` and `site` mean heritage: use them only for what
/// a source calls a protected or historic building or site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A historic building (heritage, as a source calls it).
    Building,
    /// A historic site (heritage, as a source calls it).
    Site,
    Garden,
    /// A lane (弄) as a passage.
    Lane,
    /// A business or creative-industry park (园区).
    Park,
    /// A housing estate (小区).
    Estate,
    /// A lane estate (里弄小区): lane houses lived in as one estate.
    LaneEstate,
    /// A residential building, or one building group (楼组) of an estate.
    ResidentialBuilding,
    /// A room or space residents share: an activity room, a meeting pavilion, a classroom.
    CommunitySpace,
    /// A street or road.
    Street,
}

/// How precisely a place's point is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationAccuracy {
    Surveyed,
    Approximate,
}

/// `properties` of a place in `places.geojson`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlaceProps {
    pub id: Id,
    pub name: Localized,
    pub kind: PlaceKind,
    /// The residential area it stands in.
    pub area: Id,
    pub summary: Localized,
    #[serde(default)]
    pub facts: Vec<Dated>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    pub location: LocationAccuracy,
    #[serde(default)]
    pub sources: Vec<Id>,
}

/// `districts.geojson`.
pub type DistrictsFile = FeatureCollection<DistrictProps>;
/// `areas.geojson`.
pub type AreasFile = FeatureCollection<AreaProps>;
/// `places.geojson`.
pub type PlacesFile = FeatureCollection<PlaceProps>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_falls_back_to_simplified_chinese() {
        let t = Localized::new("南昌大楼").with_en("  ");
        assert_eq!(t.get(Lang::En), "南昌大楼");
        assert!(!t.has(Lang::En));
        let t = t.with_zh_hant("南昌大樓");
        assert_eq!(t.get(Lang::ZhHant), "南昌大樓");
        assert_eq!(t.get(Lang::ZhHans), "南昌大楼");
    }

    #[test]
    fn localized_refuses_unknown_language_keys() {
        let e = serde_json::from_str::<Localized>(r#"{"zh-Hans":"a","fr":"b"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `fr`"), "{e}");
        let e = serde_json::from_str::<Localized>(r#"{"en":"b"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `zh-Hans`"), "{e}");
    }

    #[test]
    fn focus_is_an_object_with_one_member() {
        let f: Focus = serde_json::from_str(r#"{"place":"nanchang-building"}"#).unwrap();
        assert_eq!(f, Focus::Place("nanchang-building".into()));
        assert!(serde_json::from_str::<Focus>(r#"{"street":"x"}"#).is_err());
    }

    #[test]
    fn exhibit_file_refuses_typos() {
        let text = r#"{"title":{"zh-Hans":"t"},"intro":{"zh-Hans":"i"},"languages":["zh-Hans"],
            "default_language":"zh-Hans","view":{"bounds":[121.4,31.1,121.5,31.3]},
            "kiosk":{"idle_seconds":90,"countdown_seconds":15},"titel":{"zh-Hans":"x"}}"#;
        let e = serde_json::from_str::<ExhibitFile>(text).unwrap_err();
        assert!(e.to_string().contains("titel"), "{e}");
    }

    #[test]
    fn strings_fall_back_to_simplified_chinese_then_key() {
        let mut ex = Exhibit::default();
        ex.strings.insert(
            Lang::ZhHans,
            BTreeMap::from([("a".to_string(), "甲".to_string())]),
        );
        ex.strings.insert(
            Lang::En,
            BTreeMap::from([("b".to_string(), "B".to_string())]),
        );
        assert_eq!(ex.t(Lang::En, "a"), "甲");
        assert_eq!(ex.t(Lang::En, "b"), "B");
        assert_eq!(ex.t(Lang::En, "c"), "c");
    }
}
