//! `cargo xtask gen-city DIR`: a synthetic but realistic city-scale data set for performance work.
//!
//! Every residential and village committee of the official division list
//! (`../shared/data/shanghai-divisions.csv`: real names and 12-digit codes) gets an outline. The
//! outlines tile each district: seed points are scattered inside the district's outline, grouped
//! around a centre per subdistrict so that neighbours share a colour as on the real map; each seed's
//! Voronoi cell is clipped to the district and its edges are densified to tens to a hundred-odd
//! vertices. Buildings, projects and milestones are added in proportion. The output is
//! deterministic (a fixed-seed generator, no clock, no hash map order) and passes
//! `cargo xtask check-data DIR`.
//!
//! The names and codes are real; the outlines, buildings, projects and milestones are not, and
//! every generated text says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lilong_core::geo::{BooleanOps, Contains, Coord, LineString, MultiPolygon, Polygon};
use serde_json::{Value, json};

/// Latitude and longitude of the local plane's origin (central Shanghai).
const LAT0: f64 = 31.2;
const LON0: f64 = 121.45;
/// Metres per degree of latitude.
const M_PER_DEG: f64 = 111_320.0;
/// One building per this many areas, one project per this many areas.
const AREAS_PER_PLACE: usize = 8;
const AREAS_PER_PROJECT: usize = 4;
/// The one source every generated record names.
const SOURCE: &str = "divisions-2023";

pub fn gen_city(args: &[String]) -> Result<(), String> {
    let [dir] = args else {
        return Err("usage: cargo xtask gen-city DIR".into());
    };
    let started = Instant::now();
    let root = crate::root();
    let csv = root.join("../shared/data/shanghai-divisions.csv");
    let out = PathBuf::from(dir);
    let stats = generate(&root, &csv, &out)?;
    print!("{}", stats.report(&out));
    let checked = crate::data::write_checked(&out)?;
    println!(
        "checked exhibit: {} ({:.1} MB)",
        out.join(lilong_core::checked::FILE).display(),
        checked as f64 / 1048576.0
    );
    println!("generated in {:.1?}", started.elapsed());
    Ok(())
}

/// What was written: record counts, vertices and bytes per file.
pub struct Stats {
    pub districts: usize,
    pub subdistricts: usize,
    pub areas: usize,
    pub vertices: usize,
    pub min_vertices: usize,
    pub max_vertices: usize,
    pub places: usize,
    pub projects: usize,
    pub milestones: usize,
    pub files: Vec<(String, u64)>,
}

impl Stats {
    pub fn report(&self, out: &Path) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "city data set in {}", out.display());
        let _ = writeln!(
            s,
            "  {} districts, {} subdistricts, {} areas ({} vertices: {}–{} per area, mean {:.0})",
            self.districts,
            self.subdistricts,
            self.areas,
            self.vertices,
            self.min_vertices,
            self.max_vertices,
            self.vertices as f64 / self.areas.max(1) as f64
        );
        let _ = writeln!(
            s,
            "  {} buildings, {} projects, {} milestones",
            self.places, self.projects, self.milestones
        );
        let total: u64 = self.files.iter().map(|f| f.1).sum();
        for (name, bytes) in &self.files {
            let _ = writeln!(s, "  {name:<22} {:>10} bytes", bytes);
        }
        let _ = writeln!(s, "  {:<22} {:>10} bytes", "total", total);
        s
    }
}

/// A committee from the division list.
struct Committee {
    code: String,
    name: String,
    subdistrict: String,
}

/// The division list: subdistricts (code, name, district code) and committees, in file order.
struct Divisions {
    subdistricts: Vec<(String, String, String)>,
    committees: Vec<Committee>,
}

fn read_divisions(csv: &Path) -> Result<Divisions, String> {
    let text =
        std::fs::read_to_string(csv).map_err(|e| format!("cannot read {}: {e}", csv.display()))?;
    let mut subdistricts = Vec::new();
    let mut committees = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.trim().split(',').collect();
        let [code, name, level, parent] = cols[..] else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(format!("{}:{}: expected 4 columns", csv.display(), n + 1));
        };
        match level {
            "subdistrict" => subdistricts.push((code.into(), name.into(), parent.into())),
            "committee" => committees.push(Committee {
                code: code.into(),
                name: name.into(),
                subdistrict: parent.into(),
            }),
            _ => {}
        }
    }
    Ok(Divisions {
        subdistricts,
        committees,
    })
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.f().max(1e-12);
        let v = self.f();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn to_local(lon: f64, lat: f64) -> Coord<f64> {
    Coord {
        x: (lon - LON0) * LAT0.to_radians().cos() * M_PER_DEG,
        y: (lat - LAT0) * M_PER_DEG,
    }
}

fn to_lonlat(c: Coord<f64>) -> [f64; 2] {
    let lon = LON0 + c.x / (LAT0.to_radians().cos() * M_PER_DEG);
    let lat = LAT0 + c.y / M_PER_DEG;
    [round5(lon), round5(lat)]
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// A district outline from `districts.geojson` (Polygon or MultiPolygon), in the local plane.
fn district_geometry(feature: &Value) -> Option<MultiPolygon<f64>> {
    let g = feature.get("geometry")?;
    let coords = g.get("coordinates")?;
    let polys: Vec<&Value> = match g.get("type")?.as_str()? {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords.as_array()?.iter().collect(),
        _ => return None,
    };
    let ring = |r: &Value| -> Option<LineString<f64>> {
        let pts = r.as_array()?;
        let mut out = Vec::with_capacity(pts.len());
        for p in pts {
            let p = p.as_array()?;
            out.push(to_local(p.first()?.as_f64()?, p.get(1)?.as_f64()?));
        }
        Some(LineString::new(out))
    };
    let mut out = Vec::new();
    for p in polys {
        let rings = p.as_array()?;
        let exterior = ring(rings.first()?)?;
        let holes = rings.iter().skip(1).filter_map(ring).collect();
        out.push(Polygon::new(exterior, holes));
    }
    Some(MultiPolygon::new(out))
}

fn area_of(mp: &MultiPolygon<f64>) -> f64 {
    use lilong_core::geo::Area;
    mp.unsigned_area()
}

fn bbox(mp: &MultiPolygon<f64>) -> Option<(Coord<f64>, Coord<f64>)> {
    use lilong_core::geo::BoundingRect;
    mp.bounding_rect().map(|r| (r.min(), r.max()))
}

/// Seed points for `groups` (committees per subdistrict) inside `shape`: grouped around one
/// centre per subdistrict, kept apart from one another.
fn seeds(shape: &MultiPolygon<f64>, groups: &[usize], rng: &mut Rng) -> Vec<Coord<f64>> {
    let Some((lo, hi)) = bbox(shape) else {
        return Vec::new();
    };
    let total: usize = groups.iter().sum();
    let area = area_of(shape).max(1.0);
    let uniform = |rng: &mut Rng| -> Coord<f64> {
        for _ in 0..10_000 {
            let c = Coord {
                x: lo.x + rng.f() * (hi.x - lo.x),
                y: lo.y + rng.f() * (hi.y - lo.y),
            };
            if shape.contains(&c) {
                return c;
            }
        }
        lo
    };
    // Subdistrict centres, apart from one another.
    let sub_spacing = (area / groups.len().max(1) as f64).sqrt();
    let mut centres: Vec<Coord<f64>> = Vec::new();
    for _ in groups {
        let mut min_d = sub_spacing * 0.6;
        let mut c = uniform(rng);
        for attempt in 0..200 {
            if centres.iter().all(|o| dist(*o, c) >= min_d) {
                break;
            }
            if attempt % 20 == 19 {
                min_d *= 0.8;
            }
            c = uniform(rng);
        }
        centres.push(c);
    }
    let spacing = (area / total.max(1) as f64).sqrt();
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(total);
    for (g, &n) in groups.iter().enumerate() {
        let sigma = (area * n as f64 / total.max(1) as f64).sqrt() * 0.45;
        for _ in 0..n {
            let mut min_d = spacing * 0.45;
            let mut chosen = None;
            for attempt in 0..400 {
                let c = if attempt < 300 {
                    Coord {
                        x: centres[g].x + rng.normal() * sigma,
                        y: centres[g].y + rng.normal() * sigma,
                    }
                } else {
                    uniform(rng)
                };
                if shape.contains(&c) && out.iter().all(|o| dist(*o, c) >= min_d) {
                    chosen = Some(c);
                    break;
                }
                if attempt % 40 == 39 {
                    min_d *= 0.8;
                }
            }
            out.push(chosen.unwrap_or_else(|| uniform(rng)));
        }
    }
    out
}

fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// The Voronoi cell of `seeds[i]` within the rectangle `lo..hi`: the rectangle clipped by the
/// half-plane of each neighbour, nearest first, until no farther seed can cut it.
fn voronoi_cell(i: usize, seeds: &[Coord<f64>], lo: Coord<f64>, hi: Coord<f64>) -> Vec<Coord<f64>> {
    let s = seeds[i];
    let mut others: Vec<(f64, usize)> = seeds
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(j, o)| (dist(s, *o), j))
        .collect();
    others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut cell = vec![
        Coord { x: lo.x, y: lo.y },
        Coord { x: hi.x, y: lo.y },
        Coord { x: hi.x, y: hi.y },
        Coord { x: lo.x, y: hi.y },
    ];
    for (d, j) in others {
        let reach = cell.iter().map(|c| dist(s, *c)).fold(0.0, f64::max);
        if d / 2.0 > reach {
            break;
        }
        if d < 1e-9 {
            continue;
        }
        let o = seeds[j];
        let m = Coord {
            x: (s.x + o.x) / 2.0,
            y: (s.y + o.y) / 2.0,
        };
        let n = Coord {
            x: o.x - s.x,
            y: o.y - s.y,
        };
        let side = |c: Coord<f64>| (c.x - m.x) * n.x + (c.y - m.y) * n.y;
        let mut next = Vec::with_capacity(cell.len() + 1);
        for k in 0..cell.len() {
            let a = cell[k];
            let b = cell[(k + 1) % cell.len()];
            let (sa, sb) = (side(a), side(b));
            if sa <= 0.0 {
                next.push(a);
            }
            if (sa <= 0.0) != (sb <= 0.0) {
                let t = sa / (sa - sb);
                next.push(Coord {
                    x: a.x + (b.x - a.x) * t,
                    y: a.y + (b.y - a.y) * t,
                });
            }
        }
        cell = next;
        if cell.len() < 3 {
            break;
        }
    }
    cell
}

/// A closed ring with extra points on every edge longer than `step`.
fn densify(ring: &[Coord<f64>], step: f64) -> Vec<Coord<f64>> {
    let mut out = Vec::new();
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(a);
        let n = (dist(a, b) / step).floor() as usize;
        for k in 1..=n {
            let t = k as f64 / (n + 1) as f64;
            out.push(Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            });
        }
    }
    if let Some(last) = ring.last() {
        out.push(*last);
    }
    out
}

/// A ring in WGS84 degrees, rounded to 5 decimals (about 1 m), repeated positions dropped.
fn ring_lonlat(ring: &[Coord<f64>]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len());
    for c in ring {
        let p = to_lonlat(*c);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    if let (Some(first), Some(last)) = (out.first().copied(), out.last().copied())
        && first != last
    {
        out.push(first);
    }
    out
}

/// Each area's outline: its cell clipped to the district (the part holding its seed), densified
/// to `target` vertices.
fn outline(
    cell: &[Coord<f64>],
    district: &MultiPolygon<f64>,
    seed: Coord<f64>,
    target: usize,
) -> Option<Vec<[f64; 2]>> {
    let mut ring = cell.to_vec();
    ring.push(*cell.first()?);
    let poly = Polygon::new(LineString::new(ring), vec![]);
    let clipped = poly.intersection(district);
    let part = clipped.0.iter().find(|p| p.contains(&seed)).or_else(|| {
        clipped.0.iter().max_by(|a, b| {
            use lilong_core::geo::Area;
            a.unsigned_area().total_cmp(&b.unsigned_area())
        })
    })?;
    let ext: Vec<Coord<f64>> = part.exterior().0.clone();
    let perimeter: f64 = ext.windows(2).map(|w| dist(w[0], w[1])).sum();
    let dense = densify(&ext, perimeter / target.max(4) as f64);
    let out = ring_lonlat(&dense);
    (out.len() >= 4).then_some(out)
}

fn localized(zh: &str, en: &str) -> Value {
    json!({ "zh-Hans": zh, "en": en })
}

/// Writes the data set; returns what was written.
pub fn generate(root: &Path, csv: &Path, out: &Path) -> Result<Stats, String> {
    let div = read_divisions(csv)?;
    let districts_path = root.join("data/districts.geojson");
    let districts_text = std::fs::read_to_string(&districts_path)
        .map_err(|e| format!("cannot read {}: {e}", districts_path.display()))?;
    let districts_json: Value = serde_json::from_str(&districts_text)
        .map_err(|e| format!("{}: {e}", districts_path.display()))?;
    let features = districts_json
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{}: no features", districts_path.display()))?;
    let mut district_shapes: BTreeMap<String, MultiPolygon<f64>> = BTreeMap::new();
    for f in features {
        let id = f.pointer("/properties/id").and_then(Value::as_str);
        if let (Some(id), Some(g)) = (id, district_geometry(f)) {
            district_shapes.insert(id.to_string(), g);
        }
    }
    let sub_district: BTreeMap<&str, &str> = div
        .subdistricts
        .iter()
        .map(|(c, _, d)| (c.as_str(), d.as_str()))
        .collect();
    let exhibit_path = root.join("data/exhibit.json");
    let exhibit: Value = serde_json::from_str(
        &std::fs::read_to_string(&exhibit_path)
            .map_err(|e| format!("cannot read {}: {e}", exhibit_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", exhibit_path.display()))?;
    let themes: Vec<String> = exhibit
        .get("themes")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(|t| t.get("id")?.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if themes.is_empty() {
        return Err(format!(
            "{}: no themes to give the projects",
            exhibit_path.display()
        ));
    }

    let mut rng = Rng(0x6c69_6c6f_6e67_2021);
    let mut area_features = Vec::new();
    let mut place_features = Vec::new();
    let mut projects = Vec::new();
    let (mut vertices, mut min_v, mut max_v, mut milestones) = (0usize, usize::MAX, 0usize, 0usize);
    let kinds = ["building", "lane", "garden", "site", "park"];
    let mut skipped = Vec::new();

    for (district, shape) in &district_shapes {
        // This district's subdistricts and their committees, in file order.
        let subs: Vec<&(String, String, String)> = div
            .subdistricts
            .iter()
            .filter(|s| s.2 == *district)
            .collect();
        let groups: Vec<Vec<&Committee>> = subs
            .iter()
            .map(|s| {
                div.committees
                    .iter()
                    .filter(|c| c.subdistrict == s.0)
                    .collect()
            })
            .collect();
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        let pts = seeds(shape, &sizes, &mut rng);
        let Some((lo, hi)) = bbox(shape) else {
            continue;
        };
        let pad = 1000.0;
        let (lo, hi) = (
            Coord {
                x: lo.x - pad,
                y: lo.y - pad,
            },
            Coord {
                x: hi.x + pad,
                y: hi.y + pad,
            },
        );
        for (k, c) in groups.iter().flatten().enumerate() {
            let cell = voronoi_cell(k, &pts, lo, hi);
            // Tens of vertices for most areas, a hundred-odd for some.
            let target = if rng.below(10) == 0 {
                64 + rng.below(60)
            } else {
                16 + rng.below(34)
            };
            let Some(ring) = outline(&cell, shape, pts[k], target) else {
                skipped.push(c.code.clone());
                continue;
            };
            let n = ring.len();
            vertices += n;
            min_v = min_v.min(n);
            max_v = max_v.max(n);
            let index = area_features.len();
            area_features.push(json!({
                "type": "Feature",
                "properties": {
                    "id": c.code,
                    "name": localized(&c.name, &format!("Area {}", c.code)),
                    "subdistrict": c.subdistrict,
                    "district": sub_district.get(c.subdistrict.as_str()).copied().unwrap_or(district),
                    "boundary": "schematic",
                    "sources": [SOURCE],
                },
                "geometry": { "type": "Polygon", "coordinates": [ring] },
            }));
            let seed = to_lonlat(pts[k]);
            let mut place_ids = Vec::new();
            if index % AREAS_PER_PLACE == 0 {
                let id = format!("b-{}", c.code);
                let year = 1900 + rng.below(100);
                place_features.push(json!({
                    "type": "Feature",
                    "properties": {
                        "id": id,
                        "name": localized(&format!("{}示例楼", c.name), &format!("Sample building {}", c.code)),
                        "kind": kinds[rng.below(kinds.len())],
                        "area": c.code,
                        "summary": localized("合成数据，用于性能测试。", "Synthetic record for performance tests."),
                        "facts": [{ "date": year.to_string(), "approximate": false,
                                    "text": localized(&format!("{year}年（合成）"), &format!("{year} (synthetic)")),
                                    "sources": [SOURCE] }],
                        "location": "approximate",
                        "sources": [SOURCE],
                    },
                    "geometry": { "type": "Point", "coordinates": seed },
                }));
                place_ids.push(id);
            }
            if index % AREAS_PER_PROJECT == 0 {
                let mut year = 2010 + rng.below(8);
                let steps = 2 + rng.below(3);
                let ms: Vec<Value> = (0..steps)
                    .map(|s| {
                        year += 1 + rng.below(2);
                        let month = 1 + rng.below(12);
                        json!({
                            "date": format!("{year}-{month:02}"),
                            "approximate": false,
                            "text": localized(&format!("第{}阶段（合成）", s + 1), &format!("Stage {} (synthetic)", s + 1)),
                            "sources": [SOURCE],
                        })
                    })
                    .collect();
                milestones += ms.len();
                projects.push(json!({
                    "id": format!("p-{}", c.code),
                    "area": c.code,
                    "theme": themes[index / AREAS_PER_PROJECT % themes.len()],
                    "title": localized(&format!("{}自治项目", c.name), &format!("Project in area {}", c.code)),
                    "summary": localized("合成数据，用于性能测试。", "Synthetic record for performance tests."),
                    "milestones": ms,
                    "places": place_ids,
                    "sources": [SOURCE],
                }));
            }
        }
    }
    if !skipped.is_empty() {
        println!(
            "{} committees got no outline: {}",
            skipped.len(),
            skipped.join(", ")
        );
    }

    std::fs::create_dir_all(out.join("i18n"))
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut files = Vec::new();
    let mut write = |name: &str, text: String| -> Result<(), String> {
        let path = out.join(name);
        std::fs::write(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push((name.to_string(), text.len() as u64));
        Ok(())
    };

    let mut settings = exhibit.clone();
    settings["title"] = json!({ "zh-Hans": "上海里弄 · 全市（合成数据）", "en": "Shanghai lanes · whole city (synthetic data)" });
    settings["intro"] = json!({
        "zh-Hans": "全市 6509 个居委会和村委会的真实名称与代码，边界、楼宇和项目均为合成，用于性能测试。",
        "en": "The real names and codes of all 6,509 committees of Shanghai; outlines, buildings and projects are synthetic, for performance tests."
    });
    settings["view"] = json!({ "bounds": [121.40, 31.17, 121.56, 31.30] });
    settings["kiosk"]["attract"] = json!([]);
    settings["credits"] = json!([localized(
        "区划名称与代码：上海市统计用区划代码（2023）",
        "Division names and codes: Shanghai statistical division codes (2023)"
    )]);
    settings["sources"] = json!([SOURCE]);
    write("exhibit.json", pretty(&settings)?)?;
    write(
        "sources.json",
        pretty(&json!({
            "$schema": "schema/sources.schema.json",
            "sources": [{
                "id": SOURCE,
                "title": localized("上海市统计用区划代码（2023），及为性能测试合成的边界与记录", "Shanghai statistical division codes (2023), with outlines and records synthesised for performance tests"),
                "url": null,
            }],
        }))?,
    )?;
    // Districts: the bundled outlines, named and sourced as in the exhibit.
    let mut districts_out = districts_json.clone();
    if let Some(fs) = districts_out
        .get_mut("features")
        .and_then(Value::as_array_mut)
    {
        for f in fs {
            f["properties"]["sources"] = json!([SOURCE]);
        }
    }
    write(
        "districts.geojson",
        serde_json::to_string(&districts_out).map_err(|e| e.to_string())?,
    )?;
    let subs: Vec<Value> = div
        .subdistricts
        .iter()
        .filter(|s| district_shapes.contains_key(&s.2))
        .map(|(code, name, district)| {
            json!({ "id": code, "district": district, "name": localized(name, &format!("Subdistrict {code}")), "sources": [SOURCE] })
        })
        .collect();
    let n_subs = subs.len();
    write(
        "subdistricts.json",
        pretty(&json!({ "$schema": "schema/subdistricts.schema.json", "subdistricts": subs }))?,
    )?;
    write(
        "areas.geojson",
        collection("schema/areas.schema.json", &area_features)?,
    )?;
    write(
        "places.geojson",
        collection("schema/places.schema.json", &place_features)?,
    )?;
    write(
        "projects.json",
        lines_object("schema/projects.schema.json", "projects", &projects)?,
    )?;
    write(
        "stories.json",
        pretty(&json!({ "$schema": "schema/stories.schema.json", "stories": [] }))?,
    )?;
    for lang in ["zh-Hans", "zh-Hant", "en"] {
        let name = format!("i18n/{lang}.json");
        let src = root.join("data").join(&name);
        let text = std::fs::read_to_string(&src)
            .map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        write(&name, text)?;
    }
    // The schemas, so the files' `$schema` members resolve in an editor.
    let schema_dir = root.join("data/schema");
    if let Ok(entries) = std::fs::read_dir(&schema_dir) {
        std::fs::create_dir_all(out.join("schema"))
            .map_err(|e| format!("cannot create schema/: {e}"))?;
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for p in names {
            if let Some(n) = p.file_name() {
                std::fs::copy(&p, out.join("schema").join(n))
                    .map_err(|e| format!("cannot copy {}: {e}", p.display()))?;
            }
        }
    }
    Ok(Stats {
        districts: district_shapes.len(),
        subdistricts: n_subs,
        areas: area_features.len(),
        vertices,
        min_vertices: if min_v == usize::MAX { 0 } else { min_v },
        max_vertices: max_v,
        places: place_features.len(),
        projects: projects.len(),
        milestones,
        files,
    })
}

fn pretty(v: &Value) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// A FeatureCollection with one feature per line: compact, yet a problem's line names its record.
fn collection(schema: &str, features: &[Value]) -> Result<String, String> {
    let mut s =
        format!("{{\"$schema\":\"{schema}\",\"type\":\"FeatureCollection\",\"features\":[\n");
    push_lines(&mut s, features)?;
    s.push_str("]}\n");
    Ok(s)
}

/// `{"$schema": …, "<key>": [ one record per line ]}`.
fn lines_object(schema: &str, key: &str, records: &[Value]) -> Result<String, String> {
    let mut s = format!("{{\"$schema\":\"{schema}\",\"{key}\":[\n");
    push_lines(&mut s, records)?;
    s.push_str("]}\n");
    Ok(s)
}

fn push_lines(s: &mut String, records: &[Value]) -> Result<(), String> {
    for (i, r) in records.iter().enumerate() {
        s.push_str(&serde_json::to_string(r).map_err(|e| e.to_string())?);
        s.push_str(if i + 1 < records.len() { ",\n" } else { "\n" });
    }
    Ok(())
}
