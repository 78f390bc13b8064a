//! `cargo xtask import-basemap [--preview FILE.png]`: writes `data/basemap.geojson` from the
//! OpenStreetMap extract in `../shared/data/basemap/` (see its `SOURCE.md`), adding the
//! Huangpu's course through the centre, derived from the district borders.
//!
//! - Streets: every feature of the extract, with `kind`, `class` (the OSM highway class),
//!   `name`, `name_en` and `source: "osm"`; written water first, then roads from the least to
//!   the most important class, so that painting in file order puts main roads on top.
//! - Water: Suzhou Creek and the Yangpu stretch of the Huangpu as the extract has them
//!   (`source: "osm"`), and the Huangpu from the Xuhui/Expo stretch (31.175° N) to the Lujiazui
//!   bend, and on past the extract's eastern edge, as `source: "derived"`: the border of Pudong
//!   New Area with the districts west of it (in `data/districts.geojson`, which follows the
//!   river's middle), smoothed and widened to [`RIVER_WIDTH_M`], less what the OSM polygon
//!   already covers. Not surveyed: the banks are within about 100 m.
//!
//! `--preview FILE.png` also draws the whole base layer (water blue, streets grey by class,
//! district outlines) into a PNG, to look at.

use std::path::{Path, PathBuf};

use lilong_core::geo::{Area as _, BooleanOps, Buffer, Coord, LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value, json};

use crate::root;

/// The extract, relative to the folder holding the shared data.
const EXTRACT: &str = "data/basemap/shanghai_central_basemap.geojson";
/// The Huangpu's width through the centre (it is 300–400 m between the Bund and Lujiazui).
pub const RIVER_WIDTH_M: f64 = 400.0;
/// Pudong New Area and the districts across the river from it.
const PUDONG: &str = "310115";
const WEST_BANK: [&str; 4] = ["310101", "310104", "310109", "310110"];
/// The derived river starts here in the south (the Xuhui/Expo stretch)…
const SOUTH_LAT: f64 = 31.175;
/// …runs until it is well inside the OSM polygon (which starts at 121.5087 E)…
const JOIN_WEST_LON: f64 = 121.514;
/// …and resumes where the OSM polygon ends at the extract's edge (121.56 E), up to here.
const RESUME_LON: f64 = 121.552;
const NORTH_LAT: f64 = 31.33;

pub fn import_basemap(args: &[String]) -> Result<(), String> {
    let mut preview = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--preview" => preview = Some(PathBuf::from(it.next().ok_or("--preview FILE.png")?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let src = find_shared(EXTRACT)?;
    let extract: Value = read_json(&src)?;
    let districts: Value = read_json(&root().join("data/districts.geojson"))?;
    let text = basemap_text(&extract, &districts)?;
    let out = root().join("data/basemap.geojson");
    std::fs::write(&out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), text.len());
    if let Some(png) = preview {
        let map: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let areas: Value = read_json(&root().join("data/areas.geojson"))?;
        let bund = png.with_extension("bund.png");
        let old_city = png.with_extension("old-city.png");
        for (file, bbox) in [(&png, CITY), (&bund, BUND), (&old_city, OLD_CITY)] {
            let bytes = preview_png(&map, &districts, &areas, bbox, 1400);
            std::fs::write(file, bytes).map_err(|e| format!("{}: {e}", file.display()))?;
            println!("drew {}", file.display());
        }
    }
    Ok(())
}

/// The shared data folder: `../shared` beside the workspace, or beside one of its parents.
fn find_shared(rel: &str) -> Result<PathBuf, String> {
    let root = root();
    for dir in root.ancestors().skip(1) {
        let p = dir.join("shared").join(rel);
        if p.exists() {
            return Ok(p);
        }
    }
    Err(format!(
        "{rel} not found in a `shared` folder beside the workspace"
    ))
}

fn read_json(p: &Path) -> Result<Value, String> {
    let t = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    serde_json::from_str(&t).map_err(|e| format!("{}: {e}", p.display()))
}

/// The text of `data/basemap.geojson`.
pub fn basemap_text(extract: &Value, districts: &Value) -> Result<String, String> {
    let feats = extract["features"]
        .as_array()
        .ok_or("the extract has no features")?;
    let mut water = Vec::new();
    let mut roads = Vec::new();
    let mut osm_huangpu = None;
    let mut osm_creek = None;
    for f in feats {
        let p = &f["properties"];
        let kind = p["kind"].as_str().unwrap_or("");
        let mut props = Map::new();
        props.insert("kind".into(), json!(kind));
        if let Some(c) = p["highway"].as_str() {
            props.insert("class".into(), json!(c));
        }
        // A street with only an English name in OSM keeps no name: labels are Chinese first.
        if let Some(n) = p["name"].as_str().filter(|n| !n.is_empty()) {
            props.insert("name".into(), json!(n));
            if let Some(en) = p["name_en"].as_str().filter(|n| !n.is_empty()) {
                props.insert("name_en".into(), json!(en));
            }
        }
        props.insert("source".into(), json!("osm"));
        let feature = json!({ "type": "Feature", "properties": props, "geometry": f["geometry"] });
        if kind == "water" {
            if p["name"] == "黄浦江" {
                osm_huangpu = Some(polygon_of(&f["geometry"]));
            } else if p["name"] == "苏州河" {
                osm_creek = Some(polygon_of(&f["geometry"]));
            }
            water.push(feature);
        } else {
            roads.push((rank(p["highway"].as_str().unwrap_or("")), feature));
        }
    }
    let osm_huangpu = osm_huangpu.ok_or("the extract has no Huangpu water")?;
    let osm_creek = osm_creek.ok_or("the extract has no Suzhou Creek")?;
    let river = derived_huangpu(districts, &osm_huangpu, &osm_creek)?;
    water.push(json!({
        "type": "Feature",
        "properties": { "kind": "water", "name": "黄浦江", "name_en": "Huangpu River",
                        "source": "derived" },
        "geometry": { "type": "MultiPolygon", "coordinates": multipolygon_coords(&river) }
    }));
    // Least important first: painted in order, main roads end on top.
    roads.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
    let mut all = water;
    all.extend(roads.into_iter().map(|(_, f)| f));
    let doc = json!({
        "$schema": "schema/basemap.schema.json",
        "type": "FeatureCollection",
        "attribution": "© OpenStreetMap contributors",
        "license": "ODbL-1.0",
        "features": all,
    });
    // One feature per line: a curator can find and edit a street in any text editor.
    let mut text = String::from("{\n");
    for k in ["$schema", "type", "attribution", "license"] {
        text.push_str(&format!("  {}: {},\n", json!(k), doc[k]));
    }
    text.push_str("  \"features\": [\n");
    let n = all.len();
    for (i, f) in doc["features"].as_array().into_iter().flatten().enumerate() {
        text.push_str("    ");
        text.push_str(&f.to_string());
        text.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    text.push_str("  ]\n}\n");
    Ok(text)
}

/// As `lilong_core::basemap::RoadClass::rank`: 0 motorways … 4 lanes.
fn rank(class: &str) -> u8 {
    match class.trim_end_matches("_link") {
        "motorway" | "trunk" => 0,
        "primary" => 1,
        "secondary" => 2,
        "tertiary" => 3,
        _ => 4,
    }
}

// ---------------------------------------------------------------------------------------------
// The Huangpu from the district borders
// ---------------------------------------------------------------------------------------------

/// A local equirectangular metre frame around central Shanghai (exact enough over 30 km for
/// a river drawn within 100 m).
const LAT0: f64 = 31.23;
const LON0: f64 = 121.48;
fn to_m(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: (c.x - LON0) * 111_320.0 * LAT0.to_radians().cos(),
        y: (c.y - LAT0) * 110_574.0,
    }
}
fn to_deg(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: LON0 + c.x / (111_320.0 * LAT0.to_radians().cos()),
        y: LAT0 + c.y / 110_574.0,
    }
}

fn polygon_of(g: &Value) -> MultiPolygon<f64> {
    let ring = |r: &Value| -> LineString<f64> {
        r.as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some(Coord {
                    x: p[0].as_f64()?,
                    y: p[1].as_f64()?,
                })
            })
            .collect()
    };
    let poly = |p: &Value| -> Polygon<f64> {
        let rings: Vec<LineString<f64>> = p.as_array().into_iter().flatten().map(ring).collect();
        let mut rings = rings.into_iter();
        Polygon::new(
            rings.next().unwrap_or(LineString(Vec::new())),
            rings.collect(),
        )
    };
    match g["type"].as_str() {
        Some("Polygon") => MultiPolygon(vec![poly(&g["coordinates"])]),
        _ => MultiPolygon(
            g["coordinates"]
                .as_array()
                .into_iter()
                .flatten()
                .map(poly)
                .collect(),
        ),
    }
}

/// The border of Pudong with the districts west of it: the longest run of Pudong's outer ring
/// whose points are also points of those districts (the outlines share their border points),
/// south to north.
pub fn pudong_west_border(districts: &Value) -> Result<Vec<Coord<f64>>, String> {
    let feats = districts["features"]
        .as_array()
        .ok_or("districts: no features")?;
    let code = |f: &Value| {
        f["properties"]["id"]
            .as_str()
            .unwrap_or("")
            .get(..6)
            .map(str::to_string)
    };
    let key = |p: &Value| (p[0].to_string(), p[1].to_string());
    let mut west = std::collections::HashSet::new();
    let mut pudong = None;
    for f in feats {
        let c = code(f).unwrap_or_default();
        let polys = polygon_of(&f["geometry"]);
        if c == PUDONG {
            pudong = Some(f["geometry"].clone());
        } else if WEST_BANK.contains(&c.as_str()) {
            let _ = polys;
            for p in f["geometry"]["coordinates"]
                .as_array()
                .into_iter()
                .flatten()
            {
                for r in p.as_array().into_iter().flatten() {
                    for pt in r.as_array().into_iter().flatten() {
                        west.insert(key(pt));
                    }
                }
            }
        }
    }
    let pudong = pudong.ok_or("districts: no Pudong New Area (310115)")?;
    let mut best: Vec<Coord<f64>> = Vec::new();
    for p in pudong["coordinates"].as_array().into_iter().flatten() {
        let Some(ring) = p.get(0).and_then(Value::as_array) else {
            continue;
        };
        // Open the ring, then walk it twice round so a run across the start is whole.
        let n = ring.len().saturating_sub(1);
        let mut run: Vec<Coord<f64>> = Vec::new();
        for i in 0..2 * n {
            let pt = &ring[i % n];
            if west.contains(&key(pt)) && run.len() < n {
                run.push(Coord {
                    x: pt[0].as_f64().unwrap_or(0.0),
                    y: pt[1].as_f64().unwrap_or(0.0),
                });
                if run.len() > best.len() {
                    best = run.clone();
                }
            } else {
                run.clear();
            }
        }
    }
    if best.len() < 2 {
        return Err("districts: Pudong shares no border with the districts west of it".into());
    }
    if best[0].y > best[best.len() - 1].y {
        best.reverse();
    }
    Ok(best)
}

/// The part of `line` between the first crossing of `from` and the first crossing of `to`
/// (each a test that is false before and true after), cut exactly at the crossings.
fn between(
    line: &[Coord<f64>],
    from: impl Fn(Coord<f64>) -> f64,
    to: impl Fn(Coord<f64>) -> f64,
) -> Vec<Coord<f64>> {
    // `f(c) >= 0` is "past": interpolate where it changes sign.
    let cut = |a: Coord<f64>, b: Coord<f64>, fa: f64, fb: f64| {
        let t = fa / (fa - fb);
        Coord {
            x: a.x + (b.x - a.x) * t,
            y: a.y + (b.y - a.y) * t,
        }
    };
    let mut out = Vec::new();
    let mut on = from(line[0]) >= 0.0;
    if on {
        out.push(line[0]);
    }
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !on {
            let (fa, fb) = (from(a), from(b));
            if fa < 0.0 && fb >= 0.0 {
                out.push(cut(a, b, fa, fb));
                on = true;
            } else {
                continue;
            }
        }
        let (ta, tb) = (to(a), to(b));
        if ta < 0.0 && tb >= 0.0 {
            out.push(cut(a, b, ta, tb));
            return out;
        }
        out.push(b);
    }
    out
}

/// Chaikin's corner cutting, `n` times, keeping the ends: a smooth course through the
/// border's corners.
fn smooth(line: &[Coord<f64>], n: usize) -> Vec<Coord<f64>> {
    let mut l = line.to_vec();
    for _ in 0..n {
        if l.len() < 3 {
            break;
        }
        let mut o = vec![l[0]];
        for w in l.windows(2) {
            let (a, b) = (w[0], w[1]);
            o.push(Coord {
                x: 0.75 * a.x + 0.25 * b.x,
                y: 0.75 * a.y + 0.25 * b.y,
            });
            o.push(Coord {
                x: 0.25 * a.x + 0.75 * b.x,
                y: 0.25 * a.y + 0.75 * b.y,
            });
        }
        o.push(l[l.len() - 1]);
        l = o;
    }
    l
}

/// The derived river (WGS84): the border, smoothed and widened, with Suzhou Creek's mouth
/// carried on to it (the creek's OSM polygon stops at Waibaidu Bridge, short of the derived
/// bank), less the OSM polygons.
pub fn derived_huangpu(
    districts: &Value,
    osm: &MultiPolygon<f64>,
    creek: &MultiPolygon<f64>,
) -> Result<MultiPolygon<f64>, String> {
    let border = pudong_west_border(districts)?;
    let south = between(&border, |c| c.y - SOUTH_LAT, |c| c.x - JOIN_WEST_LON);
    let north = between(&border, |c| c.x - RESUME_LON, |c| c.y - NORTH_LAT);
    if south.len() < 2 {
        return Err("the border does not reach from the south to Lujiazui".into());
    }
    let mut river = MultiPolygon::<f64>(Vec::new());
    for part in [south, north] {
        if part.len() < 2 {
            continue;
        }
        let m: Vec<Coord<f64>> = part.iter().map(|c| to_m(*c)).collect();
        let line = LineString(smooth(&m, 3));
        river = river.union(&line.buffer(RIVER_WIDTH_M / 2.0));
    }
    // The creek's mouth: the middle of its easternmost points, carried straight to the
    // river's middle line at the creek's width there.
    let creek_m = map_coords(creek, to_m);
    let pts: Vec<Coord<f64>> = creek_m
        .0
        .iter()
        .flat_map(|p| p.exterior().0.iter().copied())
        .collect();
    let east = pts.iter().map(|c| c.x).fold(f64::NEG_INFINITY, f64::max);
    let mouth: Vec<Coord<f64>> = pts.iter().copied().filter(|c| c.x > east - 60.0).collect();
    if !mouth.is_empty() {
        let n = mouth.len() as f64;
        let centre = Coord {
            x: mouth.iter().map(|c| c.x).sum::<f64>() / n,
            y: mouth.iter().map(|c| c.y).sum::<f64>() / n,
        };
        let (lo, hi) = mouth
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| {
                (lo.min(c.y), hi.max(c.y))
            });
        let mid: Vec<Coord<f64>> = border.iter().map(|c| to_m(*c)).collect();
        let nearest = mid
            .iter()
            .copied()
            .min_by(|a, b| {
                let d = |c: &Coord<f64>| (c.x - centre.x).hypot(c.y - centre.y);
                d(a).total_cmp(&d(b))
            })
            .unwrap_or(centre);
        let half = ((hi - lo) / 2.0).clamp(30.0, 60.0);
        river = river.union(&LineString(vec![centre, nearest]).buffer(half));
    }
    // Less the OSM Huangpu (the creek's end is overlapped, not cut: cutting it would leave
    // slivers along its banks).
    let osm_m = map_coords(osm, to_m);
    let rest = river.difference(&osm_m);
    // Slivers along the OSM banks are no river: keep pieces of a hectare or more.
    let kept: Vec<Polygon<f64>> = rest
        .0
        .into_iter()
        .filter(|p| p.unsigned_area() >= 10_000.0)
        .collect();
    // In degrees, rounded to 1e-7° as written (about 1 cm), and checked as the loader will.
    // Points closer than about a metre are dropped first: rounding them could fold an edge.
    let thin = |r: &LineString<f64>| {
        let mut pts: Vec<Coord<f64>> = Vec::with_capacity(r.0.len());
        for c in &r.0 {
            if pts
                .last()
                .is_none_or(|l: &Coord<f64>| (l.x - c.x).hypot(l.y - c.y) >= 1.0)
            {
                pts.push(*c);
            }
        }
        if let (Some(f), Some(l)) = (pts.first().copied(), pts.last().copied())
            && f != l
        {
            pts.push(f);
        }
        LineString(pts)
    };
    let kept: Vec<Polygon<f64>> = kept
        .iter()
        .map(|p| Polygon::new(thin(p.exterior()), p.interiors().iter().map(thin).collect()))
        .collect();
    let out = map_coords(&map_coords(&MultiPolygon(kept), to_deg), round7);
    let errors = lilong_core::validity::validation_errors(&out);
    if !errors.is_empty() {
        return Err(format!(
            "the derived river is not a valid polygon: {errors:?}"
        ));
    }
    Ok(out)
}

fn map_coords(m: &MultiPolygon<f64>, f: fn(Coord<f64>) -> Coord<f64>) -> MultiPolygon<f64> {
    let ring = |r: &LineString<f64>| LineString(r.0.iter().map(|c| f(*c)).collect());
    MultiPolygon(
        m.0.iter()
            .map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect()))
            .collect(),
    )
}

fn round7(c: Coord<f64>) -> Coord<f64> {
    let r7 = |v: f64| (v * 1e7).round() / 1e7;
    Coord {
        x: r7(c.x),
        y: r7(c.y),
    }
}

fn multipolygon_coords(m: &MultiPolygon<f64>) -> Value {
    let ring = |r: &LineString<f64>| -> Value {
        let mut pts: Vec<Value> = r.0.iter().map(|c| json!([c.x, c.y])).collect();
        if pts.first() != pts.last() {
            pts.push(pts[0].clone());
        }
        Value::Array(pts)
    };
    Value::Array(
        m.0.iter()
            .map(|p| {
                Value::Array(
                    std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(ring)
                        .collect(),
                )
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Preview
// ---------------------------------------------------------------------------------------------

/// The previews' boxes `[west, east, south, north]`: central Shanghai, and the Bund with the
/// mouth of Suzhou Creek and Lujiazui.
const CITY: [f64; 4] = [121.40, 121.58, 31.16, 31.32];
const BUND: [f64; 4] = [121.475, 121.52, 31.225, 31.26];
/// Xiaodongmen: the old city's ring road and Jintan Road.
const OLD_CITY: [f64; 4] = [121.484, 121.500, 31.214, 31.228];

/// A PNG of the base layer in `bbox` (`[west, east, south, north]`): water blue (derived water
/// a little darker), streets grey (darker and wider by class), district outlines brown, the
/// exhibit's areas red (traced ones) or pink.
pub fn preview_png(
    map: &Value,
    districts: &Value,
    areas: &Value,
    bbox: [f64; 4],
    width: usize,
) -> Vec<u8> {
    let [w0, e0, s0, n0] = bbox;
    let kx = LAT0.to_radians().cos();
    let height = ((n0 - s0) / ((e0 - w0) * kx) * width as f64) as usize;
    let mut img = Canvas::new(width, height, [245, 240, 228]);
    let px = |c: &Value| -> (f64, f64) {
        let (x, y) = (c[0].as_f64().unwrap_or(0.0), c[1].as_f64().unwrap_or(0.0));
        (
            (x - w0) / (e0 - w0) * width as f64,
            (n0 - y) / (n0 - s0) * height as f64,
        )
    };
    let rings_of = |g: &Value| -> Vec<Vec<(f64, f64)>> {
        let polys: Vec<&Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            _ => g["coordinates"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
        };
        polys
            .into_iter()
            .flat_map(|p| p.as_array().cloned().unwrap_or_default())
            .map(|r| r.as_array().into_iter().flatten().map(px).collect())
            .collect()
    };
    for f in map["features"].as_array().into_iter().flatten() {
        let g = &f["geometry"];
        if f["properties"]["kind"] == "water" {
            let colour = if f["properties"]["source"] == "derived" {
                [120, 170, 215]
            } else {
                [150, 190, 225]
            };
            img.fill(&rings_of(g), colour);
        }
    }
    for f in map["features"].as_array().into_iter().flatten() {
        let g = &f["geometry"];
        if f["properties"]["kind"] != "road" {
            continue;
        }
        let r = rank(f["properties"]["class"].as_str().unwrap_or(""));
        let (colour, w) = match r {
            0 | 1 => ([110, 110, 110], 2),
            2 => ([140, 140, 140], 2),
            3 => ([165, 165, 165], 1),
            _ => ([195, 195, 195], 1),
        };
        let lines: Vec<&Value> = match g["type"].as_str() {
            Some("LineString") => vec![&g["coordinates"]],
            _ => g["coordinates"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
        };
        for l in lines {
            let pts: Vec<(f64, f64)> = l.as_array().into_iter().flatten().map(px).collect();
            img.polyline(&pts, colour, w);
        }
    }
    for f in districts["features"].as_array().into_iter().flatten() {
        for r in rings_of(&f["geometry"]) {
            img.polyline(&r, [150, 90, 60], 1);
        }
    }
    for f in areas["features"].as_array().into_iter().flatten() {
        let colour = if f["properties"]["boundary"] == "traced" {
            [200, 30, 30]
        } else {
            [230, 150, 160]
        };
        for r in rings_of(&f["geometry"]) {
            img.polyline(&r, colour, 2);
        }
    }
    img.png()
}

struct Canvas {
    w: usize,
    h: usize,
    px: Vec<[u8; 3]>,
}

impl Canvas {
    fn new(w: usize, h: usize, bg: [u8; 3]) -> Canvas {
        Canvas {
            w,
            h,
            px: vec![bg; w * h],
        }
    }

    fn dot(&mut self, x: i64, y: i64, c: [u8; 3]) {
        if x >= 0 && y >= 0 && (x as usize) < self.w && (y as usize) < self.h {
            self.px[y as usize * self.w + x as usize] = c;
        }
    }

    fn polyline(&mut self, pts: &[(f64, f64)], c: [u8; 3], width: i64) {
        for s in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (s[0], s[1]);
            let n = ((x1 - x0).abs().max((y1 - y0).abs()).ceil() as usize).max(1);
            for i in 0..=n {
                let t = i as f64 / n as f64;
                let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
                for dx in 0..width {
                    for dy in 0..width {
                        self.dot(x as i64 + dx, y as i64 + dy, c);
                    }
                }
            }
        }
    }

    /// Even-odd scanline fill of the rings together.
    fn fill(&mut self, rings: &[Vec<(f64, f64)>], c: [u8; 3]) {
        for y in 0..self.h {
            let fy = y as f64 + 0.5;
            let mut xs = Vec::new();
            for r in rings {
                for s in r.windows(2) {
                    let ((x0, y0), (x1, y1)) = (s[0], s[1]);
                    if (y0 <= fy) != (y1 <= fy) {
                        xs.push(x0 + (fy - y0) / (y1 - y0) * (x1 - x0));
                    }
                }
            }
            xs.sort_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                for x in pair[0].round() as i64..pair[1].round() as i64 {
                    self.dot(x, y as i64, c);
                }
            }
        }
    }

    fn png(&self) -> Vec<u8> {
        use std::io::Write;
        let mut raw = Vec::with_capacity((self.w * 3 + 1) * self.h);
        for row in self.px.chunks(self.w) {
            raw.push(0);
            for p in row {
                raw.extend_from_slice(p);
            }
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = z.write_all(&raw);
        let data = z.finish().unwrap_or_default();
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&(self.w as u32).to_be_bytes());
        ihdr.extend_from_slice(&(self.h as u32).to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &data);
        chunk(&mut out, b"IEND", &[]);
        out
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;
    use lilong_core::geo::{Contains, Point};

    fn districts() -> Value {
        read_json(&root().join("data/districts.geojson")).unwrap()
    }

    #[test]
    fn the_pudong_border_runs_down_the_huangpu_from_south_to_north() {
        let b = pudong_west_border(&districts()).unwrap();
        assert!(b.len() > 40, "{} points", b.len());
        // From south of the Expo stretch to past Yangpu, through the Bund's longitude.
        assert!(b[0].y < 31.15 && b[b.len() - 1].y > 31.3);
        assert!(
            b.iter()
                .any(|c| (c.y - 31.24).abs() < 0.003 && (c.x - 121.489).abs() < 0.002)
        );
    }

    #[test]
    fn the_derived_river_is_valid_wide_and_meets_the_osm_water() {
        let Ok(src) = find_shared(EXTRACT) else {
            eprintln!("no shared extract here: skipped");
            return;
        };
        let text = basemap_text(&read_json(&src).unwrap(), &districts()).unwrap();
        let map: Value = serde_json::from_str(&text).unwrap();
        let feats = map["features"].as_array().unwrap();
        let derived = feats
            .iter()
            .find(|f| f["properties"]["source"] == "derived")
            .unwrap();
        let osm = feats
            .iter()
            .find(|f| f["properties"]["name"] == "黄浦江" && f["properties"]["source"] == "osm")
            .unwrap();
        let river = polygon_of(&derived["geometry"]);
        assert!(lilong_core::validity::validation_errors(&river).is_empty());
        // Across the river off the Bund (east-west at 31.2405 N): about 400 m of water.
        let across = (0..200)
            .map(|i| 121.484 + i as f64 * 0.0001)
            .filter(|&x| river.contains(&Point::new(x, 31.2405)))
            .count();
        let metres = across as f64 * 0.0001 * 111_320.0 * 31.24f64.to_radians().cos();
        assert!((330.0..=470.0).contains(&metres), "{metres} m");
        // The derived and the OSM water meet: some point a few metres from both.
        let osm = polygon_of(&osm["geometry"]);
        let meets = osm.0.iter().flat_map(|p| p.exterior().0.iter()).any(|c| {
            [
                (0.00005, 0.0),
                (-0.00005, 0.0),
                (0.0, 0.00005),
                (0.0, -0.00005),
            ]
            .iter()
            .any(|(dx, dy)| river.contains(&Point::new(c.x + dx, c.y + dy)))
        });
        assert!(meets, "the derived river does not touch the OSM Huangpu");
        // Water first, then roads from the least to the most important class.
        let ranks: Vec<u8> = feats
            .iter()
            .filter(|f| f["properties"]["kind"] == "road")
            .map(|f| rank(f["properties"]["class"].as_str().unwrap()))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] >= w[1]));
        assert!(
            feats[..3]
                .iter()
                .all(|f| f["properties"]["kind"] == "water")
        );
    }
}
