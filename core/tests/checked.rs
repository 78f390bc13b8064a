//! The checked exhibit (`checked.bin`) gives the app exactly what reading the JSON gives, says
//! when it is out of date, and never panics on a damaged file.

use std::path::{Path, PathBuf};

use lilong_core::checked::{self, Fingerprint, Stamp};
use lilong_core::geo::{BoundingRect, Coord, MultiPolygon};
use lilong_core::geometry::Scene;
use lilong_core::load::{FILES, Loaded, load};
use proptest::prelude::*;

mod support;

fn read_folder(dir: &Path) -> Vec<(&'static str, Option<Vec<u8>>)> {
    FILES
        .iter()
        .map(|&f| (f, std::fs::read(dir.join(f)).ok()))
        .collect()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
}

fn refs<'a>(files: &'a [(&'static str, Option<Vec<u8>>)]) -> Vec<(&'static str, Option<&'a [u8]>)> {
    files.iter().map(|(n, b)| (*n, b.as_deref())).collect()
}

fn stamps(files: &[(&'static str, Option<Vec<u8>>)]) -> Vec<(&'static str, Option<Stamp>)> {
    files
        .iter()
        .map(|(n, b)| (*n, b.as_deref().map(Fingerprint::of)))
        .collect()
}

/// The loaded exhibit with its outlines left out (the checked file keeps them in scenes).
fn without_outlines(mut l: Loaded) -> (Loaded, Vec<MultiPolygon<f64>>, Vec<MultiPolygon<f64>>) {
    let take = |g: &mut MultiPolygon<f64>| std::mem::replace(g, MultiPolygon::new(Vec::new()));
    let areas = l
        .exhibit
        .areas
        .iter_mut()
        .map(|a| take(&mut a.geometry))
        .collect();
    let districts = l
        .exhibit
        .districts
        .iter_mut()
        .map(|d| take(&mut d.geometry))
        .collect();
    (l, areas, districts)
}

/// Two scenes agree: same polygons, bands, boxes (to 1 cm) and the same polygon under each
/// polygon's centre and under points around it.
fn same_scene(a: &Scene, b: &Scene) {
    assert_eq!(a.len(), b.len());
    assert_eq!(a.lod().band_count(), b.lod().band_count());
    for band in 0..a.lod().band_count() {
        assert_eq!(a.lod().vertex_count(band), b.lod().vertex_count(band));
        for i in 0..a.len() {
            assert!(
                a.lod().rings(band, i).eq(b.lod().rings(band, i)),
                "band {band} polygon {i}"
            );
        }
    }
    let close = |p: Coord<f64>, q: Coord<f64>| (p.x - q.x).abs() < 0.01 && (p.y - q.y).abs() < 0.01;
    for i in 0..a.len() {
        match (a.bbox(i), b.bbox(i)) {
            (Some(x), Some(y)) => {
                assert!(
                    close(x.min(), y.min()) && close(x.max(), y.max()),
                    "box of {i}"
                );
                let c = x.center();
                for (dx, dy) in [(0.0, 0.0), (0.3, 0.1), (-0.2, 0.35), (0.1, -0.4)] {
                    let p = Coord {
                        x: c.x + dx * x.width(),
                        y: c.y + dy * x.height(),
                    };
                    assert_eq!(a.hit_world(p), b.hit_world(p), "hit near polygon {i}");
                }
            }
            (x, y) => assert_eq!(x.is_none(), y.is_none(), "box of {i}"),
        }
        match (a.anchor(i), b.anchor(i)) {
            (Some(x), Some(y)) => assert!(
                close(x.point, y.point) && (x.radius - y.radius).abs() < 0.01,
                "label anchor of {i}: {x:?} vs {y:?}"
            ),
            (x, y) => assert_eq!(x, y, "label anchor of {i}"),
        }
        let (wa, wb) = (a.world_polygon(i).unwrap(), b.world_polygon(i).unwrap());
        assert_eq!(wa.0.len(), wb.0.len(), "polygons of {i}");
        for (p, q) in wa.0.iter().zip(&wb.0) {
            assert_eq!(p.interiors().len(), q.interiors().len(), "holes of {i}");
        }
        assert_eq!(wa.bounding_rect().is_some(), wb.bounding_rect().is_some());
    }
}

fn round_trip(files: &[(&'static str, Option<Vec<u8>>)]) {
    let bytes = checked::write(&refs(files));
    let c = checked::read(&bytes).expect("a checked file reads back");
    let full = load(&refs(files));
    // The base map travels projected, and reads back exactly as it was projected.
    assert_eq!(
        c.basemap,
        lilong_core::basemap::BaseLayer::new(&full.exhibit.basemap)
    );
    let (json, areas, districts) = without_outlines(full);
    assert_eq!(support::same(&c.loaded), support::same(&json));
    same_scene(&c.areas, &Scene::from_lonlat(areas));
    same_scene(&c.districts, &Scene::from_lonlat(districts));
    assert!(
        c.stale(&stamps(files)).is_empty(),
        "made from these very files"
    );
    // Lookups work on the exhibit read back.
    for a in &c.loaded.exhibit.areas {
        assert_eq!(c.loaded.exhibit.area(&a.id).map(|x| &x.id), Some(&a.id));
    }
}

#[test]
fn the_exhibit_reads_back_as_the_json_loads() {
    let files = read_folder(&data_dir());
    assert!(files.iter().all(|(_, b)| b.is_some()), "data/ is complete");
    round_trip(&files);
}

#[test]
fn a_bad_record_and_a_missing_file_read_back_with_their_problems() {
    let mut files = read_folder(&data_dir());
    // An area with a misspelt field, and no stories file.
    let areas = files
        .iter_mut()
        .find(|(n, _)| *n == "areas.geojson")
        .unwrap();
    let text = String::from_utf8(areas.1.take().unwrap()).unwrap();
    let broken = text.replacen("\"households\"", "\"housholds\"", 1);
    assert_ne!(broken, text);
    areas.1 = Some(broken.into_bytes());
    files
        .iter_mut()
        .find(|(n, _)| *n == "stories.json")
        .unwrap()
        .1 = None;
    let c = checked::read(&checked::write(&refs(&files))).unwrap();
    assert!(c.loaded.unusable.contains(&"stories.json".to_string()));
    let p = c
        .loaded
        .problems
        .iter()
        .find(|p| p.file == "areas.geojson" && p.is_error())
        .expect("the misspelt field is an error");
    assert!(p.message.contains("housholds"), "{p}");
    assert!(p.line > 1);
    assert_eq!(c.loaded.skipped.len(), load(&refs(&files)).skipped.len());
    round_trip(&files);
}

#[test]
fn an_edited_missing_or_new_file_makes_it_stale() {
    let files = read_folder(&data_dir());
    let c = checked::read(&checked::write(&refs(&files))).unwrap();
    let mut now = stamps(&files);
    // One byte changed, same length.
    let mut edited = files[4].1.clone().unwrap();
    let k = edited.len() / 2;
    edited[k] = if edited[k] == b' ' { b'\t' } else { b' ' };
    now[4].1 = Some(Fingerprint::of(&edited));
    now[7].1 = None;
    assert_eq!(
        c.stale(&now),
        vec![FILES[4].to_string(), FILES[7].to_string()]
    );
    // A file it was made without now exists.
    let mut partial = refs(&files);
    partial[10].1 = None;
    let c = checked::read(&checked::write(&partial)).unwrap();
    assert_eq!(c.stale(&stamps(&files)), vec![FILES[10].to_string()]);
}

#[test]
fn a_damaged_file_is_an_error_never_a_panic() {
    let files = read_folder(&data_dir());
    let bytes = checked::write(&refs(&files));
    // Every cut is an error.
    for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
        assert!(checked::read(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    // Changed bytes: read or refused, never a panic, and anything read can be used.
    let mut s: u64 = 7;
    for _ in 0..600 {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut b = bytes.clone();
        let at = (s >> 33) as usize % b.len();
        b[at] ^= 1 << ((s >> 20) % 8);
        if let Ok(c) = checked::read(&b) {
            for i in 0..c.areas.len() {
                for band in 0..c.areas.lod().band_count() {
                    let _ = c.areas.lod().rings(band, i).count();
                }
            }
        }
    }
    assert_eq!(
        checked::read(b"not a checked exhibit").err(),
        Some(checked::ReadError::NotChecked)
    );
}

proptest! {
    #[test]
    fn a_fingerprint_does_not_depend_on_how_the_bytes_are_cut(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        cuts in proptest::collection::vec(0usize..200, 0..6),
    ) {
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
        cuts.sort_unstable();
        let mut f = Fingerprint::new();
        let mut from = 0;
        for c in cuts.into_iter().chain([bytes.len()]) {
            f.update(&bytes[from..c]);
            from = c;
        }
        prop_assert_eq!(f.finish(), Fingerprint::of(&bytes));
    }
}
