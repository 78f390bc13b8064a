//! The base map (`data/basemap.geojson`): the exhibit's own file loads whole, shows the
//! Huangpu and Suzhou Creek where they are, names streets in three languages, and travels in
//! `checked.bin`; a bad feature is located and left out while the rest loads; no file, no
//! base map and no complaint.

use std::path::Path;

use lilong_core::basemap::{
    BaseGeometry, BaseKind, BaseLayer, BaseSource, Basemap, FILE, RoadClass, to_traditional,
};
use lilong_core::checked;
use lilong_core::geo::{Contains, Coord, Point};
use lilong_core::geometry::projection::project;
use lilong_core::load::{FILES, load};

fn data_file() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../data")
            .join(FILE),
    )
    .expect("data/basemap.geojson")
}

fn load_map(text: &[u8]) -> lilong_core::load::Loaded {
    load(&[(FILE, Some(text))])
}

fn water_at(map: &Basemap, lon: f64, lat: f64) -> Vec<BaseSource> {
    map.features
        .iter()
        .filter_map(|f| match &f.geometry {
            BaseGeometry::Polygons(m) if m.contains(&Point::new(lon, lat)) => Some(f.source),
            _ => None,
        })
        .collect()
}

#[test]
fn the_exhibit_base_map_loads_whole_with_both_rivers() {
    let bytes = data_file();
    let loaded = load_map(&bytes);
    let mine: Vec<_> = loaded.problems.iter().filter(|p| p.file == FILE).collect();
    assert!(mine.is_empty(), "{mine:?}");
    let map = &loaded.exhibit.basemap;
    let roads = map
        .features
        .iter()
        .filter(|f| f.kind == BaseKind::Road)
        .count();
    assert!(roads >= 1000, "{roads} streets");
    assert_eq!(
        map.attribution.as_deref(),
        Some("© OpenStreetMap contributors")
    );
    // The Huangpu between the Bund and Lujiazui (derived), at Yangpu (OSM), and on to the
    // Xuhui riverside in the south (derived); Suzhou Creek at Zhejiang Road bridge (OSM).
    assert_eq!(water_at(map, 121.4895, 31.2405), vec![BaseSource::Derived]);
    assert_eq!(water_at(map, 121.5300, 31.2530), vec![BaseSource::Osm]);
    assert_eq!(water_at(map, 121.4700, 31.1890), vec![BaseSource::Derived]);
    assert!(!water_at(map, 121.4790, 31.2444).is_empty(), "Suzhou Creek");
    // Not water: People's Square, and Lujiazui's towers east of the bend.
    assert!(water_at(map, 121.4737, 31.2317).is_empty());
    assert!(water_at(map, 121.5010, 31.2390).is_empty());
    // Streets in three languages.
    let fuxing = map
        .features
        .iter()
        .find(|f| {
            f.class == Some(RoadClass::Secondary)
                && f.name.as_ref().is_some_and(|n| n.zh_hans == "复兴东路")
        })
        .expect("East Fuxing Road, a secondary road");
    let name = fuxing.name.as_ref().unwrap();
    assert_eq!(name.zh_hant.as_deref(), Some("復興東路"));
    assert_eq!(name.en.as_deref(), Some("East Fuxing Road"));
}

#[test]
fn the_base_map_travels_in_the_checked_file() {
    let files: Vec<(&str, Option<Vec<u8>>)> = FILES
        .iter()
        .map(|&f| {
            let p = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../data")
                .join(f);
            (f, std::fs::read(p).ok())
        })
        .collect();
    let refs: Vec<(&str, Option<&[u8]>)> = files.iter().map(|(n, b)| (*n, b.as_deref())).collect();
    let bytes = checked::write(&refs);
    let c = checked::read(&bytes).expect("reads back");
    let layer = &c.basemap;
    assert_eq!(
        layer.shapes.len(),
        load(&refs).exhibit.basemap.features.len()
    );
    // The river off the Bund lies within a water shape's box, and the box of the whole layer
    // covers People's Square.
    let square = project(Coord {
        x: 121.4737,
        y: 31.2317,
    });
    let b = layer.bounds().unwrap();
    assert!(b.min().x < square.x && square.x < b.max().x);
    let bund = project(Coord {
        x: 121.4895,
        y: 31.2405,
    });
    let near = lilong_core::geo::Rect::new(
        Coord {
            x: bund.x - 10.0,
            y: bund.y - 10.0,
        },
        Coord {
            x: bund.x + 10.0,
            y: bund.y + 10.0,
        },
    );
    assert!(layer.in_rect(near).any(|s| s.kind == BaseKind::Water));
    // A street's label sits on the street, along it.
    let fuxing = layer
        .shapes
        .iter()
        .find(|s| {
            s.name
                .as_ref()
                .is_some_and(|n| n.en.as_deref() == Some("East Fuxing Road"))
        })
        .unwrap();
    let (at, _angle, len) = fuxing.label_run(layer.origin).unwrap();
    assert!(len > 50.0, "{len} m");
    assert!(fuxing.bbox.min().x <= at.x && at.x <= fuxing.bbox.max().x);
    // Damaged anywhere in the base map's bytes: an error, never a panic.
    for cut in (bytes.len() - 2000..bytes.len()).step_by(97) {
        assert!(checked::read(&bytes[..cut]).is_err());
    }
}

#[test]
fn without_the_file_there_is_no_base_map_and_no_complaint() {
    let loaded = load(&[]);
    assert!(loaded.exhibit.basemap.features.is_empty());
    assert!(!loaded.unusable.iter().any(|f| f == FILE));
    assert!(!loaded.problems.iter().any(|p| p.file == FILE));
    let bytes = checked::write(&[]);
    assert_eq!(checked::read(&bytes).unwrap().basemap, BaseLayer::default());
}

#[test]
fn a_bad_feature_is_located_and_left_out_the_rest_kept() {
    let text = r#"{ "$schema": "schema/basemap.schema.json", "type": "FeatureCollection",
  "features": [
    { "type": "Feature", "properties": { "kind": "road", "class": "primery", "name": "人民路", "source": "osm" },
      "geometry": { "type": "LineString", "coordinates": [[121.48, 31.23], [121.49, 31.23]] } },
    { "type": "Feature", "properties": { "kind": "road", "class": "primary", "name": "中华路", "source": "osm" },
      "geometry": { "type": "LineString", "coordinates": [[121.48, 31.22], [121.49, 31.22]] } },
    { "type": "Feature", "properties": { "kind": "water", "source": "derived" },
      "geometry": { "type": "LineString", "coordinates": [[121.48, 31.22], [121.49, 31.22]] } },
    { "type": "Feature", "properties": { "kind": "road", "class": "tertiary", "source": "osm" },
      "geometry": { "type": "LineString", "coordinates": [[31.22, 121.48], [121.49, 31.22]] } }
  ] }"#;
    let loaded = load_map(text.as_bytes());
    let errors: Vec<_> = loaded
        .problems
        .iter()
        .filter(|p| p.file == FILE && p.is_error())
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    // The misspelt class: on its line, naming the right one.
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0].message.contains("primary"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[1].line, 8);
    assert!(
        errors[1].message.contains("not a line"),
        "{}",
        errors[1].message
    );
    assert_eq!(errors[2].line, 10);
    assert!(
        errors[2].message.contains("swapped"),
        "{}",
        errors[2].message
    );
    let kept = &loaded.exhibit.basemap.features;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].name.as_ref().unwrap().zh_hant.as_deref(),
        Some("中華路")
    );
    assert_eq!(loaded.skipped.iter().filter(|s| s.file == FILE).count(), 3);
}

#[test]
fn a_file_that_is_not_json_is_an_error_and_nothing_else_is_lost() {
    let loaded = load_map(b"{ \"type\": \"FeatureCollection\", \"features\": [ ");
    let p = loaded.problems.iter().find(|p| p.file == FILE).unwrap();
    assert!(
        p.is_error() && p.message.contains("not valid JSON"),
        "{p:?}"
    );
    assert!(loaded.exhibit.basemap.features.is_empty());
}

#[test]
fn traditional_names_are_derived_character_by_character() {
    assert_eq!(to_traditional("光启南路"), "光啟南路");
    assert_eq!(to_traditional("巡道街"), "巡道街");
    assert_eq!(to_traditional("长阳路"), "長陽路");
    // Characters that are also traditional ones stay.
    assert_eq!(to_traditional("松江路"), "松江路");
}
