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

mod file;
mod layer;
mod names;
mod pack;
mod read;

use geo::{Coord, MultiLineString, MultiPolygon};

use crate::model::Localized;

pub use file::{
    BaseFeatureIn, BaseGeometryIn, BaseGeometryType, BaseKind, BaseProps, BaseSource, BasemapFile,
    RoadClass,
};
pub use layer::{BaseLayer, BaseShape};
pub use names::to_traditional;
pub(crate) use read::take;

/// The base map's file, relative to `data/`.
pub const FILE: &str = "basemap.geojson";

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

/// Number of positions in a loaded base map (for sizes in reports).
pub fn vertex_count(map: &Basemap) -> usize {
    map.features
        .iter()
        .map(|f| f.geometry.coords().count())
        .sum()
}
