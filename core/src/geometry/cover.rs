//! A small still map around a focus: a story's cover and a chapter's plate.
//!
//! [`frame`] picks the view (the focus centred, with at least a neighbourhood around it);
//! [`cover`] lists what of a [`Scene`] and a set of points falls in it, each polygon as an SVG
//! path in the cover's pixels; [`base`] does the same for the base layer's water and streets,
//! and places a few street names where they fit. The app turns that into SVG elements.

use geo::{Coord, MultiPolygon, Rect, coord};

use super::{Scene, Viewport};
use crate::basemap::{BaseKind, BaseLayer};
use crate::model::Lang;

/// The least a cover shows across, in world metres: a few blocks around a single building.
pub const MIN_SPAN_M: f64 = 700.0;

/// The view of a `width` × `height` pixel cover centred on `focus` (world), showing all of it
/// with `padding` pixels to spare and never less than [`MIN_SPAN_M`] across its shorter side.
pub fn frame(focus: Rect<f64>, width: f64, height: f64, padding: f64) -> Viewport {
    let c = focus.center();
    let half = (focus.width().max(focus.height()) / 2.0).max(MIN_SPAN_M / 2.0);
    let square = Rect::new(
        coord! { x: c.x - half, y: c.y - half },
        coord! { x: c.x + half, y: c.y + half },
    );
    Viewport::new(width, height).fit_bounds(square, padding)
}

/// What a cover shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Cover {
    pub view: Viewport,
    /// Each polygon in view: its index in the scene and its outline as SVG path data.
    pub outlines: Vec<(usize, String)>,
    /// Each point in view: its index in the list given and its position in pixels.
    pub points: Vec<(usize, Coord<f64>)>,
}

/// The polygons of `scene` and the `points` (world) that fall in the view `frame` gives.
pub fn cover(
    scene: &Scene,
    points: &[Coord<f64>],
    focus: Rect<f64>,
    width: f64,
    height: f64,
) -> Cover {
    let view = frame(focus, width, height, width.min(height) * 0.12);
    let mut visible = scene.visible(&view);
    visible.sort_unstable();
    let outlines = visible
        .into_iter()
        .filter_map(|i| {
            let d = svg_path(scene.polygon(i)?.as_ref(), &view);
            (!d.is_empty()).then_some((i, d))
        })
        .collect();
    let points = points
        .iter()
        .enumerate()
        .map(|(i, p)| (i, view.to_screen(*p)))
        .filter(|(_, s)| s.x >= 0.0 && s.y >= 0.0 && s.x <= width && s.y <= height)
        .collect();
    Cover {
        view,
        outlines,
        points,
    }
}

/// A polygon (world) as SVG path data in the view's pixels, one decimal, every ring closed;
/// points less than half a pixel from the last one kept are left out.
pub fn svg_path(poly: &MultiPolygon<f64>, view: &Viewport) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for p in &poly.0 {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            let mut last: Option<Coord<f64>> = None;
            let mut n = 0;
            let start = d.len();
            for c in ring.0.iter() {
                let s = view.to_screen(*c);
                if last.is_some_and(|l| (l.x - s.x).abs() < 0.5 && (l.y - s.y).abs() < 0.5) {
                    continue;
                }
                let cmd = if n == 0 { 'M' } else { 'L' };
                let _ = write!(d, "{cmd}{:.1} {:.1}", s.x, s.y);
                last = Some(s);
                n += 1;
            }
            if n < 3 {
                d.truncate(start);
            } else {
                d.push('Z');
            }
        }
    }
    d
}

/// What of a base layer ([`BaseLayer`]) a cover or plate shows: the water as one path (fill
/// it with the even-odd rule), the streets as one path per rank (least important first, so
/// main roads are drawn last) and the street names that fit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseDrawn {
    pub water: String,
    /// `(rank, path)`: [`crate::basemap::RoadClass::rank`], 0 for the most important.
    pub streets: Vec<(u8, String)>,
    pub names: Vec<StreetName>,
}

/// A street name placed along its street, in the cover's pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct StreetName {
    pub text: String,
    /// The middle of the run of street it sits on.
    pub at: Coord<f64>,
    /// Degrees, clockwise from the x axis, always upright (−90…90).
    pub angle: f64,
    pub rank: u8,
}

/// Estimated width (px) of `text` at `size` px: a CJK character is about square, Latin
/// letters a little over half as wide.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.56 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// The base layer's water and streets in `view`, streets up to rank `max_rank`, and at most
/// `max_names` street names (`name_size` px high) in `lang`, the most important streets
/// first, none overlapping another or the `keep_clear` rectangle (pixels: the focus and its
/// marker).
pub fn base(
    layer: &BaseLayer,
    view: &Viewport,
    max_rank: u8,
    lang: Lang,
    name_size: f64,
    max_names: usize,
    keep_clear: Option<Rect<f64>>,
) -> BaseDrawn {
    use std::fmt::Write;
    let bounds = view.world_bounds();
    let to_screen = |x: f32, y: f32| {
        view.to_screen(coord! {
            x: layer.origin.x + f64::from(x),
            y: layer.origin.y + f64::from(y),
        })
    };
    let mut water = String::new();
    let mut by_rank: Vec<String> = vec![String::new(); usize::from(max_rank) + 1];
    // Each named street's best run: name → (rank, length px, middle, angle).
    let mut runs: Vec<(String, u8, f64, Coord<f64>, f64)> = Vec::new();
    let margin = name_size;
    let inside = |p: Coord<f64>| {
        p.x >= margin && p.y >= margin && p.x <= view.width - margin && p.y <= view.height - margin
    };
    for shape in layer.in_rect(bounds) {
        let rank = match (shape.kind, shape.class) {
            (BaseKind::Water, _) => None,
            (_, Some(c)) if c.rank() <= max_rank => Some(c.rank()),
            _ => continue,
        };
        for part in &shape.parts {
            let pts: Vec<Coord<f64>> = part
                .chunks_exact(2)
                .map(|xy| to_screen(xy[0], xy[1]))
                .collect();
            let out = match rank {
                None => &mut water,
                Some(r) => &mut by_rank[usize::from(r)],
            };
            let start = out.len();
            let mut n = 0;
            let mut last: Option<Coord<f64>> = None;
            for (i, s) in pts.iter().enumerate() {
                let is_last = i + 1 == pts.len();
                if !is_last
                    && last.is_some_and(|l| (l.x - s.x).abs() < 0.7 && (l.y - s.y).abs() < 0.7)
                {
                    continue;
                }
                let cmd = if n == 0 { 'M' } else { 'L' };
                let _ = write!(out, "{cmd}{:.1} {:.1}", s.x, s.y);
                last = Some(*s);
                n += 1;
            }
            match rank {
                None if n >= 3 => out.push('Z'),
                Some(_) if n >= 2 => {}
                _ => out.truncate(start),
            }
            if let (Some(r), Some(name)) = (rank, &shape.name)
                && let Some((len, mid, angle)) = longest_run(&pts, &inside)
            {
                let text = name.get(lang).to_string();
                match runs.iter_mut().find(|x| x.0 == text) {
                    Some(x) if x.2 >= len => {}
                    Some(x) => *x = (text, r, len, mid, angle),
                    None => runs.push((text, r, len, mid, angle)),
                }
            }
        }
    }
    runs.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)));
    let mut taken: Vec<Rect<f64>> = keep_clear.into_iter().collect();
    let mut names = Vec::new();
    for (text, rank, len, at, angle) in runs {
        if names.len() >= max_names {
            break;
        }
        let w = text_width(&text, name_size);
        if w + name_size > len {
            continue;
        }
        let (sin, cos) = angle.to_radians().sin_cos();
        let (hw, hh) = (w / 2.0 + 4.0, name_size / 2.0 + 3.0);
        let (ex, ey) = (
            hw * cos.abs() + hh * sin.abs(),
            hw * sin.abs() + hh * cos.abs(),
        );
        let rect = Rect::new(
            coord! { x: at.x - ex, y: at.y - ey },
            coord! { x: at.x + ex, y: at.y + ey },
        );
        let overlaps = taken.iter().any(|t| {
            t.min().x < rect.max().x
                && t.max().x > rect.min().x
                && t.min().y < rect.max().y
                && t.max().y > rect.min().y
        });
        if overlaps {
            continue;
        }
        taken.push(rect);
        names.push(StreetName {
            text,
            at,
            angle,
            rank,
        });
    }
    BaseDrawn {
        water,
        streets: by_rank
            .into_iter()
            .enumerate()
            .rev()
            .filter(|(_, d)| !d.is_empty())
            .map(|(r, d)| (r as u8, d))
            .collect(),
        names,
    }
}

/// The longest nearly straight run of a line (screen points) lying wholly `inside`: its
/// length, its middle and its direction (degrees, upright).
fn longest_run(
    pts: &[Coord<f64>],
    inside: &impl Fn(Coord<f64>) -> bool,
) -> Option<(f64, Coord<f64>, f64)> {
    let mut best: Option<(f64, Coord<f64>, f64)> = None;
    let mut i = 0;
    while i + 1 < pts.len() {
        if !inside(pts[i]) {
            i += 1;
            continue;
        }
        // Extend from point i while the segments stay within 20° of the run's first one.
        let dir = (pts[i + 1].y - pts[i].y).atan2(pts[i + 1].x - pts[i].x);
        let mut j = i;
        while j + 1 < pts.len() && inside(pts[j + 1]) {
            let d = (pts[j + 1].y - pts[j].y).atan2(pts[j + 1].x - pts[j].x);
            let mut turn = (d - dir).abs();
            if turn > std::f64::consts::PI {
                turn = 2.0 * std::f64::consts::PI - turn;
            }
            if turn > 20f64.to_radians() {
                break;
            }
            j += 1;
        }
        if j > i {
            let (a, b) = (pts[i], pts[j]);
            let len = (b.x - a.x).hypot(b.y - a.y);
            if best.is_none_or(|x| len > x.0) {
                let mut angle = (b.y - a.y).atan2(b.x - a.x).to_degrees();
                if angle > 90.0 {
                    angle -= 180.0;
                } else if angle < -90.0 {
                    angle += 180.0;
                }
                let mid = coord! { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
                best = Some((len, mid, angle));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basemap::BaseShape;
    use geo::{LineString, Polygon};

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (x, y),
                (x + side, y),
                (x + side, y + side),
                (x, y + side),
                (x, y),
            ]),
            vec![],
        )])
    }

    #[test]
    fn a_single_building_gets_its_neighbourhood_around_it() {
        let p = coord! { x: 1000.0, y: 2000.0 };
        let v = frame(Rect::new(p, p), 300.0, 200.0, 0.0);
        let b = v.world_bounds();
        // The shorter side (200 px) spans the least a cover shows; the point is in the middle.
        assert!((b.height() - MIN_SPAN_M).abs() < 1e-6, "{}", b.height());
        assert!((b.center().x - p.x).abs() < 1e-6 && (b.center().y - p.y).abs() < 1e-6);
    }

    #[test]
    fn a_large_focus_is_shown_whole() {
        let f = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 3000.0, y: 1000.0 });
        let v = frame(f, 300.0, 300.0, 10.0);
        let b = v.world_bounds();
        assert!(b.min().x <= 0.0 && b.max().x >= 3000.0);
    }

    #[test]
    fn the_cover_holds_what_is_near_and_leaves_out_what_is_far() {
        // Scenes take WGS84; about 190 m, a neighbour 50 m east, and one 20 km away.
        let scene = Scene::new(&[
            square(121.470, 31.220, 0.002),
            square(121.4725, 31.220, 0.001),
            square(121.600, 31.400, 0.001),
        ]);
        let focus = scene.bbox(0).unwrap();
        let points = [
            crate::geometry::project(coord! { x: 121.471, y: 31.221 }),
            crate::geometry::project(coord! { x: 121.900, y: 31.221 }),
        ];
        let c = cover(&scene, &points, focus, 320.0, 180.0);
        let shown: Vec<usize> = c.outlines.iter().map(|(i, _)| *i).collect();
        assert_eq!(shown, [0, 1]);
        assert_eq!(c.points.len(), 1);
        assert_eq!(c.points[0].0, 0);
        // The focus sits in the middle of the cover.
        let (x, y) = (c.points[0].1.x, c.points[0].1.y);
        assert!((x - 160.0).abs() < 3.0 && (y - 90.0).abs() < 3.0, "{x} {y}");
    }

    #[test]
    fn paths_are_closed_rings_in_pixels() {
        let v = Viewport::new(100.0, 100.0);
        let d = svg_path(&square(-10.0, -10.0, 20.0), &v);
        assert_eq!(d, "M40.0 60.0L60.0 60.0L60.0 40.0L40.0 40.0L40.0 60.0Z");
        // A ring smaller than a pixel is not drawn at all.
        assert_eq!(svg_path(&square(0.0, 0.0, 0.1), &v), "");
    }

    fn road(name: &str, class: crate::basemap::RoadClass, pts: &[(f32, f32)]) -> BaseShape {
        let parts = vec![pts.iter().flat_map(|(x, y)| [*x, *y]).collect::<Vec<f32>>()];
        let (xs, ys): (Vec<f32>, Vec<f32>) = pts.iter().copied().unzip();
        let lo = coord! { x: xs.iter().copied().fold(f32::MAX, f32::min) as f64, y: ys.iter().copied().fold(f32::MAX, f32::min) as f64 };
        let hi = coord! { x: xs.iter().copied().fold(f32::MIN, f32::max) as f64, y: ys.iter().copied().fold(f32::MIN, f32::max) as f64 };
        BaseShape {
            kind: BaseKind::Road,
            class: Some(class),
            source: crate::basemap::BaseSource::Osm,
            name: (!name.is_empty()).then(|| crate::model::Localized {
                zh_hans: name.to_string(),
                zh_hant: Some(name.to_string()),
                en: Some(format!("{name} Road")),
            }),
            parts,
            bbox: Rect::new(lo, hi),
        }
    }

    #[test]
    fn the_base_layer_is_drawn_main_roads_last_with_names_that_fit() {
        use crate::basemap::RoadClass::*;
        // A view 400 m × 200 m around the origin, at one pixel a metre.
        let view = Viewport::new(400.0, 200.0);
        let layer = BaseLayer {
            origin: coord! { x: 0.0, y: 0.0 },
            shapes: vec![
                road("", Residential, &[(-150.0, 50.0), (150.0, 50.0)]),
                road("长路", Primary, &[(-180.0, 0.0), (180.0, 0.0)]),
                // Along the long road, a little below: its name would overlap the first.
                road("并路", Secondary, &[(-180.0, -8.0), (180.0, -8.0)]),
                road("短", Secondary, &[(0.0, -60.0), (10.0, -60.0)]),
                road("远路", Primary, &[(5000.0, 0.0), (5400.0, 0.0)]),
                road("小巷", Service, &[(-100.0, -75.0), (100.0, -75.0)]),
            ],
            attribution: None,
        };
        let d = base(&layer, &view, 4, Lang::ZhHans, 12.0, 5, None);
        // Ranks present, least important first; the service lane is rank 4 too.
        let ranks: Vec<u8> = d.streets.iter().map(|(r, _)| *r).collect();
        assert_eq!(ranks, [4, 2, 1]);
        assert!(
            d.streets[2].1.starts_with("M20.0 100.0L380.0 100.0"),
            "{}",
            d.streets[2].1
        );
        let names: Vec<&str> = d.names.iter().map(|n| n.text.as_str()).collect();
        // The primary road first; the parallel one overlaps it; the short one has no room;
        // the far one is out of view; the unnamed one has no name.
        assert_eq!(names, ["长路", "小巷"]);
        assert!((d.names[0].at.x - 200.0).abs() < 1e-6 && (d.names[0].at.y - 100.0).abs() < 1e-6);
        assert_eq!(d.names[0].angle, 0.0);
        // English names where the language asks for them; a road drawn right to left reads
        // left to right.
        let layer = BaseLayer {
            shapes: vec![road("长路", Primary, &[(150.0, -40.0), (-150.0, 40.0)])],
            ..layer
        };
        let d = base(&layer, &view, 2, Lang::En, 12.0, 5, None);
        assert_eq!(d.names[0].text, "长路 Road");
        assert!(d.names[0].angle.abs() < 90.0);
        // A rectangle kept clear (the focus) keeps names away.
        let clear = Rect::new(coord! { x: 150.0, y: 60.0 }, coord! { x: 250.0, y: 140.0 });
        let d = base(&layer, &view, 2, Lang::En, 12.0, 5, Some(clear));
        assert!(d.names.is_empty());
    }
}
