//! `basemap.geojson` as written: the types serde reads and the JSON Schema is generated from.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{FeatureCollectionType, FeatureType};

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

    pub(super) fn code(self) -> u8 {
        RoadClass::ALL.iter().position(|c| *c == self).unwrap_or(0) as u8
    }
}
