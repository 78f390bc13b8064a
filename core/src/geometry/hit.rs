//! "What is here": an R-tree of polygon bounding boxes, then point-in-polygon on the full
//! detail. Also the polygons in a rectangle, for culling what is off screen.
//!
//! When polygons overlap (an area inside a larger one), the smallest wins: it is the one
//! drawn on top and the one a visitor means. Points on a shared edge belong to one of the
//! two neighbours, never to none.
//!
//! ```
//! use geo::{polygon, MultiPolygon, Rect, coord};
//! use lilong_core::geometry::hit::HitIndex;
//!
//! let big = MultiPolygon::new(vec![polygon![(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)]]);
//! let small = MultiPolygon::new(vec![polygon![(x: 2., y: 2.), (x: 4., y: 2.), (x: 4., y: 4.), (x: 2., y: 4.)]]);
//! let polys = vec![big, small];
//! let index = HitIndex::new(&polys);
//! assert_eq!(index.at(&polys, coord! { x: 3., y: 3. }), Some(1));
//! assert_eq!(index.at(&polys, coord! { x: 8., y: 8. }), Some(0));
//! assert_eq!(index.at(&polys, coord! { x: 11., y: 8. }), None);
//! let r = Rect::new(coord! { x: 5., y: 5. }, coord! { x: 20., y: 20. });
//! assert_eq!(index.in_rect(r), vec![0]);
//! ```

use geo::{Area, BoundingRect, Coord, Distance, Euclidean, Intersects, MultiPolygon, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use std::borrow::Cow;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Bounding boxes of a list of polygons in an R-tree, with their areas.
#[derive(Clone, Debug)]
pub struct HitIndex {
    tree: RTree<Entry>,
    areas: Vec<f64>,
}

impl HitIndex {
    /// Indexes `polys` (any planar coordinates; the app uses world metres). Empty polygons
    /// and polygons with non-finite coordinates are left out.
    pub fn new(polys: &[MultiPolygon<f64>]) -> HitIndex {
        let mut areas = Vec::with_capacity(polys.len());
        let mut entries = Vec::with_capacity(polys.len());
        for (i, p) in polys.iter().enumerate() {
            areas.push(p.unsigned_area());
            if let Some(b) = p.bounding_rect()
                && [b.min().x, b.min().y, b.max().x, b.max().y]
                    .iter()
                    .all(|v| v.is_finite())
            {
                entries.push(GeomWithData::new(
                    Rectangle::from_corners(b.min().into(), b.max().into()),
                    i,
                ));
            }
        }
        HitIndex {
            tree: RTree::bulk_load(entries),
            areas,
        }
    }

    /// The topmost polygon of `polys` (the same list the index was built from) at `point`:
    /// the smallest by area among those containing it (boundary included), the later one
    /// on a tie (drawn last, so on top).
    pub fn at(&self, polys: &[MultiPolygon<f64>], point: Coord<f64>) -> Option<usize> {
        self.at_with(|i| polys.get(i).map(Cow::Borrowed), point)
    }

    /// An index over boxes and areas already known (`None`: an empty polygon, left out).
    pub fn from_boxes(boxes: &[Option<Rect<f64>>], areas: Vec<f64>) -> HitIndex {
        let entries = boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let b = (*b)?;
                [b.min().x, b.min().y, b.max().x, b.max().y]
                    .iter()
                    .all(|v| v.is_finite())
                    .then(|| {
                        GeomWithData::new(
                            Rectangle::from_corners(b.min().into(), b.max().into()),
                            i,
                        )
                    })
            })
            .collect();
        HitIndex {
            tree: RTree::bulk_load(entries),
            areas,
        }
    }

    /// [`HitIndex::at`] with the polygons given one at a time (so a caller can build each
    /// only when a point falls in its box, and need not keep it).
    pub fn at_with<'a>(
        &self,
        polys: impl Fn(usize) -> Option<Cow<'a, MultiPolygon<f64>>>,
        point: Coord<f64>,
    ) -> Option<usize> {
        if !(point.x.is_finite() && point.y.is_finite()) {
            return None;
        }
        let mut best: Option<(f64, usize)> = None;
        for e in self.tree.locate_all_at_point(&[point.x, point.y]) {
            let i = e.data;
            let Some(poly) = polys(i) else { continue };
            if !poly.as_ref().intersects(&point) {
                continue;
            }
            let area = self.areas.get(i).copied().unwrap_or(0.0);
            let better = match best {
                None => true,
                Some((a, j)) => area < a || (area == a && i > j),
            };
            if better {
                best = Some((area, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// The polygon at `point` as [`HitIndex::at`]; failing that, the one whose edge is
    /// nearest to `point` within `max_distance` (a fingertip is wider than a small area
    /// seen from afar). Ties go to the smaller polygon.
    pub fn nearest(
        &self,
        polys: &[MultiPolygon<f64>],
        point: Coord<f64>,
        max_distance: f64,
    ) -> Option<usize> {
        self.nearest_with(|i| polys.get(i).map(Cow::Borrowed), point, max_distance)
    }

    /// [`HitIndex::nearest`] with the polygons given one at a time.
    pub fn nearest_with<'a>(
        &self,
        polys: impl Fn(usize) -> Option<Cow<'a, MultiPolygon<f64>>>,
        point: Coord<f64>,
        max_distance: f64,
    ) -> Option<usize> {
        if let Some(i) = self.at_with(&polys, point) {
            return Some(i);
        }
        if !(max_distance.is_finite() && max_distance > 0.0) {
            return None;
        }
        let env = AABB::from_corners(
            [point.x - max_distance, point.y - max_distance],
            [point.x + max_distance, point.y + max_distance],
        );
        let p = Point::from(point);
        let mut best: Option<(f64, f64, usize)> = None;
        for e in self.tree.locate_in_envelope_intersecting(&env) {
            let i = e.data;
            let Some(poly) = polys(i) else { continue };
            let d = Euclidean.distance(&p, poly.as_ref());
            if d > max_distance {
                continue;
            }
            let area = self.area(i);
            let better = match best {
                None => true,
                Some((bd, ba, bi)) => d < bd || (d == bd && (area < ba || (area == ba && i > bi))),
            };
            if better {
                best = Some((d, area, i));
            }
        }
        best.map(|(_, _, i)| i)
    }

    /// Indexes of the polygons whose bounding box meets `rect`, ascending (draw order).
    pub fn in_rect(&self, rect: Rect<f64>) -> Vec<usize> {
        let env = AABB::from_corners(rect.min().into(), rect.max().into());
        let mut out: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .collect();
        out.sort_unstable();
        out
    }

    /// The unsigned area of polygon `i` (0 when out of range).
    pub fn area(&self, i: usize) -> f64 {
        self.areas.get(i).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, coord, polygon};

    fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)
        ]])
    }

    #[test]
    fn nested_squares_pick_the_innermost() {
        let polys = vec![
            square(0., 0., 100.),
            square(10., 10., 50.),
            square(20., 20., 10.),
        ];
        let idx = HitIndex::new(&polys);
        assert_eq!(idx.at(&polys, coord! { x: 25., y: 25. }), Some(2));
        assert_eq!(idx.at(&polys, coord! { x: 15., y: 15. }), Some(1));
        assert_eq!(idx.at(&polys, coord! { x: 5., y: 95. }), Some(0));
        assert_eq!(idx.at(&polys, coord! { x: -1., y: 50. }), None);
        // The order of the list does not matter, only the areas.
        let rev: Vec<_> = polys.iter().rev().cloned().collect();
        let idx = HitIndex::new(&rev);
        assert_eq!(idx.at(&rev, coord! { x: 25., y: 25. }), Some(0));
    }

    #[test]
    fn adjacent_squares_split_the_plane_along_the_edge() {
        let polys = vec![square(0., 0., 10.), square(10., 0., 10.)];
        let idx = HitIndex::new(&polys);
        assert_eq!(idx.at(&polys, coord! { x: 9.99, y: 5. }), Some(0));
        assert_eq!(idx.at(&polys, coord! { x: 10.01, y: 5. }), Some(1));
        // On the shared edge: one of them (equal areas: the later, drawn on top).
        assert_eq!(idx.at(&polys, coord! { x: 10., y: 5. }), Some(1));
        assert_eq!(idx.at(&polys, coord! { x: 20.01, y: 5. }), None);
    }

    #[test]
    fn concave_polygon_misses_its_notch() {
        // A U shape: the notch is inside the bounding box but not the polygon.
        let u = MultiPolygon::new(vec![polygon![
            (x: 0., y: 0.), (x: 30., y: 0.), (x: 30., y: 30.), (x: 20., y: 30.),
            (x: 20., y: 10.), (x: 10., y: 10.), (x: 10., y: 30.), (x: 0., y: 30.)
        ]]);
        let behind = square(12., 20., 4.);
        let polys = vec![u, behind];
        let idx = HitIndex::new(&polys);
        assert_eq!(
            idx.at(&polys, coord! { x: 15., y: 25. }),
            None,
            "in the notch"
        );
        assert_eq!(idx.at(&polys, coord! { x: 14., y: 22. }), Some(1));
        assert_eq!(
            idx.at(&polys, coord! { x: 5., y: 25. }),
            Some(0),
            "left arm"
        );
        assert_eq!(
            idx.at(&polys, coord! { x: 25., y: 25. }),
            Some(0),
            "right arm"
        );
        assert_eq!(idx.at(&polys, coord! { x: 15., y: 5. }), Some(0), "base");
    }

    #[test]
    fn holes_are_not_inside() {
        let ring = |s: f64, o: f64| -> geo::LineString<f64> {
            vec![(o, o), (o + s, o), (o + s, o + s), (o, o + s), (o, o)].into()
        };
        let donut = MultiPolygon::new(vec![Polygon::new(ring(10., 0.), vec![ring(4., 3.)])]);
        let polys = vec![donut];
        let idx = HitIndex::new(&polys);
        assert_eq!(idx.at(&polys, coord! { x: 5., y: 5. }), None);
        assert_eq!(idx.at(&polys, coord! { x: 1., y: 5. }), Some(0));
    }

    #[test]
    fn nearest_forgives_a_fingertip_but_not_a_miss() {
        let polys = vec![square(0., 0., 1.), square(10., 0., 1.)];
        let idx = HitIndex::new(&polys);
        // Inside: as `at`.
        assert_eq!(idx.nearest(&polys, coord! { x: 0.5, y: 0.5 }, 3.), Some(0));
        // Just beside the first square: it, not the far one.
        assert_eq!(idx.nearest(&polys, coord! { x: 2.5, y: 0.5 }, 3.), Some(0));
        assert_eq!(idx.nearest(&polys, coord! { x: 8.0, y: 0.5 }, 3.), Some(1));
        // Too far from both.
        assert_eq!(idx.nearest(&polys, coord! { x: 5.5, y: 0.5 }, 3.), None);
        assert_eq!(idx.nearest(&polys, coord! { x: 2.5, y: 0.5 }, 0.), None);
        assert_eq!(
            idx.nearest(&polys, coord! { x: 2.5, y: 0.5 }, f64::NAN),
            None
        );
    }

    #[test]
    fn in_rect_culls_and_sorts() {
        let polys: Vec<_> = (0..100)
            .map(|i| square((i % 10) as f64 * 10., (i / 10) as f64 * 10., 9.))
            .collect();
        let idx = HitIndex::new(&polys);
        let r = Rect::new(coord! { x: 0., y: 0. }, coord! { x: 15., y: 5. });
        assert_eq!(idx.in_rect(r), vec![0, 1]);
        let all = Rect::new(coord! { x: -1., y: -1. }, coord! { x: 1000., y: 1000. });
        assert_eq!(idx.in_rect(all), (0..100).collect::<Vec<_>>());
        let none = Rect::new(coord! { x: 200., y: 200. }, coord! { x: 300., y: 300. });
        assert!(idx.in_rect(none).is_empty());
    }

    #[test]
    fn broken_geometry_is_skipped_not_a_panic() {
        let nan = MultiPolygon::new(vec![
            polygon![(x: f64::NAN, y: 0.), (x: 1., y: 0.), (x: 1., y: 1.)],
        ]);
        let empty = MultiPolygon::<f64>::new(vec![]);
        let polys = vec![nan, empty, square(0., 0., 1.)];
        let idx = HitIndex::new(&polys);
        assert_eq!(idx.at(&polys, coord! { x: 0.5, y: 0.5 }), Some(2));
        assert_eq!(idx.at(&polys, coord! { x: f64::NAN, y: 0.5 }), None);
        // A list shorter than the index does not panic either.
        assert_eq!(idx.at(&[], coord! { x: 0.5, y: 0.5 }), None);
    }
}
