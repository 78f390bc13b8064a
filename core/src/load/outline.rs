//! A feature's geometry: a place's point, a district's or area's outline (rings closed, inside
//! Shanghai, valid, within the vertex limits), from the positions the fast path read or from
//! the geometry's `Value`.

use geo::{Coord, LineString, MultiPolygon, Point, Polygon, Winding};
use serde_json::Value;

use super::fast::{Typed, Xy};
use super::report::{Reporter, at};
use super::{MAX_VERTICES_PER_FEATURE, MAX_VERTICES_PER_FILE, SHANGHAI_BOX, in_shanghai};
use crate::locate::JsonPath;
use crate::model::{GeometryType, RawGeometry};

/// A `[lon, lat]` position (an optional third number, altitude, is allowed and ignored).
pub(crate) fn position(v: &Value) -> Option<(f64, f64)> {
    let a = v.as_array()?;
    if !(2..=3).contains(&a.len()) {
        return None;
    }
    let lon = a.first()?.as_f64()?;
    let lat = a.get(1)?.as_f64()?;
    (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
}

/// A value as JSON, shortened for a message.
pub(crate) fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= 40 {
        s
    } else {
        format!("{}…", s.chars().take(39).collect::<String>())
    }
}

/// Reports a position outside Shanghai; false if it was outside.
pub(crate) fn check_in_shanghai(
    rep: &mut Reporter,
    file: &str,
    path: &JsonPath,
    lon: f64,
    lat: f64,
) -> bool {
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

pub(crate) fn to_wgs(gcj: bool, lon: f64, lat: f64) -> Coord<f64> {
    let (x, y) = if gcj {
        crate::gcj02::to_wgs84(lon, lat)
    } else {
        (lon, lat)
    };
    Coord { x, y }
}

/// A Point feature's geometry.
pub(crate) fn point(
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
pub(crate) fn outline(
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
pub(crate) type PosIn<'v> = Result<(f64, f64), &'v Value>;

/// A polygon's rings as written (`None`: not a non-empty list; a ring `None`: not a list).
pub(crate) struct PolyIn<'v>(Option<Vec<Option<RingIn<'v>>>>);

/// A ring's positions: read as positions by the fast path, or as written in a `Value`.
pub(crate) enum RingIn<'v> {
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
pub(crate) fn polygons_of_value<'v>(
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
pub(crate) fn outline_rings(
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

pub(crate) fn ring_words(role: &geo::algorithm::validation::RingRole) -> (usize, String) {
    match role {
        geo::algorithm::validation::RingRole::Exterior => (0, "the outer ring".to_string()),
        geo::algorithm::validation::RingRole::Interior(k) => (k + 1, format!("hole {}", k + 1)),
    }
}

pub(crate) fn word_invalid(
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
    use crate::load::{MAX_VERTICES_PER_FEATURE, load};

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
