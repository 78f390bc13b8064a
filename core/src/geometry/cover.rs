//! A small still map around a focus: a story's cover, and later a chapter's plate.
//!
//! [`frame`] picks the view (the focus centred, with at least a neighbourhood around it);
//! [`cover`] lists what of a [`Scene`] and a set of points falls in it, each polygon as an SVG
//! path in the cover's pixels. The app turns that into SVG elements; another layer (streets,
//! water) can be added by projecting it through the same [`Viewport`].

use geo::{Coord, MultiPolygon, Rect, coord};

use super::{Scene, Viewport};

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

#[cfg(test)]
mod tests {
    use super::*;
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
}
