//! Labels: one anchor per polygon at its pole of inaccessibility (the `polylabel` crate:
//! the inside point farthest from the edges, where a name fits best), computed once; and
//! per view, greedy placement in priority order so that labels never overlap.
//!
//! ```
//! use geo::coord;
//! use lilong_core::geometry::labels::{place, Candidate, LabelSize};
//!
//! let size = LabelSize { width: 80.0, height: 20.0 };
//! let candidates = [
//!     Candidate { index: 7, center: coord! { x: 100.0, y: 100.0 }, size },
//!     // Overlaps the first: left out.
//!     Candidate { index: 3, center: coord! { x: 150.0, y: 105.0 }, size },
//!     // Clear of it: placed.
//!     Candidate { index: 5, center: coord! { x: 100.0, y: 130.0 }, size },
//! ];
//! let placed = place(&candidates, 400.0, 300.0, 2.0);
//! let indexes: Vec<usize> = placed.iter().map(|l| l.index).collect();
//! assert_eq!(indexes, vec![7, 5]);
//! assert_eq!((placed[0].left(), placed[0].top()), (60.0, 90.0));
//! ```

use geo::{
    Area, BoundingRect, Contains, Coord, Distance, Euclidean, InteriorPoint, MultiPolygon, Point,
    Rect, Simplify,
};

/// Where a polygon's label goes, in the polygon's coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchor {
    /// The pole of inaccessibility of the polygon's largest part.
    pub point: Coord<f64>,
    /// Distance from the point to the nearest edge: the radius of the largest circle
    /// around the label point inside the polygon.
    pub radius: f64,
}

/// The label anchor of a polygon: the pole of inaccessibility of its largest part (to
/// 10 % of its shorter side, or a quarter of the free circle for a thin part), with its
/// distance to the full-detail edges.
/// `None` for an empty or degenerate polygon.
pub fn anchor(mp: &MultiPolygon<f64>) -> Option<Anchor> {
    let part =
        mp.0.iter()
            .filter(|p| p.exterior().0.len() >= 4)
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let b = part.bounding_rect()?;
    let side = b.width().min(b.height());
    if !(side.is_finite() && side > 0.0) {
        return None;
    }
    // Searched on the outline simplified to 5 % of the short side, to 10 % of it: a
    // compact polygon (most neighbourhoods) gets a point whose free circle is within about
    // 12 % of the best, several times faster than on the full detail. A thin or hollow
    // one, whose circle comes out small beside its side, is searched again to a quarter
    // of that circle.
    let radius_of = |p: &Point<f64>| {
        std::iter::once(part.exterior())
            .chain(part.interiors())
            .map(|ring| Euclidean.distance(p, ring))
            .fold(f64::INFINITY, f64::min)
    };
    let search = |simplify: f64, precision: f64| -> Option<Point<f64>> {
        let coarse = part.simplify(simplify);
        match polylabel::polylabel(&coarse, &precision) {
            Ok(p) if p.x().is_finite() && p.y().is_finite() && part.contains(&p) => Some(p),
            _ => None,
        }
    };
    let mut point = search(side / 20.0, side / 10.0);
    if let Some(p) = point {
        let r = radius_of(&p);
        if r < side / 4.0 && r > 0.0 {
            point = search(r / 10.0, r / 4.0)
                .filter(|q| radius_of(q) >= r)
                .or(point);
        }
    }
    let point = match point {
        Some(p) => p,
        None => part.interior_point()?,
    };
    let radius = radius_of(&point);
    Some(Anchor {
        point: point.0,
        radius: if radius.is_finite() { radius } else { 0.0 },
    })
}

/// The size of a label's text box in CSS pixels, as measured by the app.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelSize {
    pub width: f64,
    pub height: f64,
}

/// A label that may be placed: the polygon index, the screen position of its centre, and
/// its size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub index: usize,
    pub center: Coord<f64>,
    pub size: LabelSize,
}

/// A placed label: which polygon, and the box (screen pixels) its text fills.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedLabel {
    pub index: usize,
    /// Centre of the box.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl PlacedLabel {
    pub fn left(&self) -> f64 {
        self.x - self.width / 2.0
    }
    pub fn top(&self) -> f64 {
        self.y - self.height / 2.0
    }
    pub fn right(&self) -> f64 {
        self.x + self.width / 2.0
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.height / 2.0
    }
    /// Whether two boxes overlap once each is grown by `gap / 2` on every side.
    pub fn overlaps(&self, other: &PlacedLabel, gap: f64) -> bool {
        self.left() < other.right() + gap
            && other.left() < self.right() + gap
            && self.top() < other.bottom() + gap
            && other.top() < self.bottom() + gap
    }
}

/// Grid cell size, in pixels, of the collision index.
const CELL: f64 = 64.0;

/// Places `candidates` greedily in the order given (put the most important first): each
/// is kept when its box lies wholly inside the `width` × `height` map and keeps at least
/// `gap` pixels from every label already kept. Returns the kept labels in that order.
pub fn place(candidates: &[Candidate], width: f64, height: f64, gap: f64) -> Vec<PlacedLabel> {
    place_avoiding(candidates, &[], width, height, gap)
}

/// As [`place`], also keeping `gap` pixels clear of `obstacles` (screen boxes already
/// taken, such as markers or a panel over the map).
pub fn place_avoiding(
    candidates: &[Candidate],
    obstacles: &[Rect<f64>],
    width: f64,
    height: f64,
    gap: f64,
) -> Vec<PlacedLabel> {
    let cols = ((width / CELL).ceil().max(1.0)) as usize;
    let rows = ((height / CELL).ceil().max(1.0)) as usize;
    if !(width > 0.0 && height > 0.0) || cols.saturating_mul(rows) > 1 << 20 {
        return Vec::new();
    }
    let gap = gap.max(0.0);
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); cols * rows];
    let mut placed: Vec<PlacedLabel> = Vec::new();
    let blocked = |l: &PlacedLabel| {
        obstacles.iter().any(|o| {
            let ob = PlacedLabel {
                index: usize::MAX,
                x: o.center().x,
                y: o.center().y,
                width: o.width(),
                height: o.height(),
            };
            ob.overlaps(l, gap)
        })
    };
    let cell_range = |lo: f64, hi: f64, n: usize| {
        let a = ((lo / CELL).floor().max(0.0) as usize).min(n - 1);
        let b = ((hi / CELL).floor().max(0.0) as usize).min(n - 1);
        a..=b
    };
    for c in candidates {
        let (w, h) = (c.size.width, c.size.height);
        if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
            continue;
        }
        let label = PlacedLabel {
            index: c.index,
            x: c.center.x,
            y: c.center.y,
            width: w,
            height: h,
        };
        if !(label.left() >= 0.0
            && label.top() >= 0.0
            && label.right() <= width
            && label.bottom() <= height)
        {
            continue;
        }
        let xs = cell_range(label.left() - gap, label.right() + gap, cols);
        let ys = cell_range(label.top() - gap, label.bottom() + gap, rows);
        let clash = ys.clone().any(|row| {
            xs.clone().any(|col| {
                grid[row * cols + col]
                    .iter()
                    .any(|&k| placed[k as usize].overlaps(&label, gap))
            })
        });
        if clash || blocked(&label) {
            continue;
        }
        let k = placed.len() as u32;
        for row in cell_range(label.top(), label.bottom(), rows) {
            for col in cell_range(label.left(), label.right(), cols) {
                grid[row * cols + col].push(k);
            }
        }
        placed.push(label);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, coord, polygon};

    #[test]
    fn anchor_of_a_concave_polygon_is_inside_and_far_from_edges() {
        // An L shape: its centroid (≈ 24.4, 24.4) falls outside it, the pole does not.
        let l = MultiPolygon::new(vec![polygon![
            (x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 20.), (x: 20., y: 20.),
            (x: 20., y: 100.), (x: 0., y: 100.)
        ]]);
        let a = anchor(&l).expect("an anchor");
        assert!(l.contains(&Point::from(a.point)));
        // The widest spot is the bend: a circle of radius ~11.7 touching the outer
        // sides and the inner corner (20, 20); anywhere along an arm it is at most 10.
        // Searched again for a thin shape, it must still beat the arms.
        assert!(a.radius > 10.0 && a.radius < 11.8, "{a:?}");
        assert!(a.point.x < 20.0 && a.point.y < 20.0, "{a:?}");
    }

    #[test]
    fn anchor_is_nearly_as_roomy_as_the_best_point() {
        // A thin strip: the free circle is 2.5 wide at best.
        let strip = MultiPolygon::new(vec![polygon![
            (x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 5.), (x: 0., y: 5.)
        ]]);
        let a = anchor(&strip).expect("an anchor");
        assert!(a.radius > 2.0, "{a:?}");
        // Wavy compact shapes, against a fine search on the full detail.
        for k in 0..40 {
            let ring: Vec<(f64, f64)> = (0..80)
                .map(|i| {
                    let t = i as f64 / 80.0 * std::f64::consts::TAU;
                    let r =
                        100.0 * (1.0 + 0.25 * (3.0 * t + k as f64).sin() + 0.1 * (7.0 * t).cos());
                    (r * t.cos() * (1.0 + k as f64 / 20.0), r * t.sin())
                })
                .collect();
            let poly = Polygon::new(ring.into(), vec![]);
            let best = polylabel::polylabel(&poly, &0.01).expect("reference");
            let best_r = Euclidean.distance(&best, poly.exterior());
            let a = anchor(&MultiPolygon::new(vec![poly])).expect("an anchor");
            assert!(
                a.radius >= 0.8 * best_r,
                "shape {k}: {} vs {best_r}",
                a.radius
            );
        }
    }

    #[test]
    fn anchor_uses_the_largest_part() {
        let small = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)];
        let big = polygon![(x: 10., y: 10.), (x: 30., y: 10.), (x: 30., y: 30.), (x: 10., y: 30.)];
        let a = anchor(&MultiPolygon::new(vec![small, big])).expect("an anchor");
        assert!((a.point.x - 20.).abs() < 0.5 && (a.point.y - 20.).abs() < 0.5);
        assert!((a.radius - 10.).abs() < 0.5);
        assert_eq!(anchor(&MultiPolygon::new(vec![])), None);
        let degenerate: Polygon<f64> = Polygon::new(vec![(0., 0.), (1., 1.)].into(), vec![]);
        assert_eq!(anchor(&MultiPolygon::new(vec![degenerate])), None);
    }

    /// Pseudo-random candidates: labels never overlap, whatever the input.
    #[test]
    fn placed_labels_never_overlap() {
        let mut s: u64 = 42;
        let mut rnd = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) as f64) / ((1u64 << 31) as f64)
        };
        for round in 0..20 {
            let candidates: Vec<Candidate> = (0..2000)
                .map(|i| Candidate {
                    index: i,
                    center: coord! { x: rnd() * 1100.0 - 50.0, y: rnd() * 700.0 - 50.0 },
                    size: LabelSize {
                        width: 20.0 + rnd() * 150.0,
                        height: 12.0 + rnd() * 20.0,
                    },
                })
                .collect();
            let gap = (round % 4) as f64;
            let placed = place(&candidates, 1000.0, 600.0, gap);
            assert!(
                placed.len() > 20,
                "round {round}: only {} placed",
                placed.len()
            );
            for (i, a) in placed.iter().enumerate() {
                assert!(
                    a.left() >= 0.0 && a.right() <= 1000.0 && a.top() >= 0.0 && a.bottom() <= 600.0
                );
                for b in &placed[i + 1..] {
                    assert!(!a.overlaps(b, gap), "{a:?} overlaps {b:?}");
                }
            }
            // Greedy: every rejected candidate inside the map clashes with a placed one.
            for c in &candidates {
                if placed.iter().any(|p| p.index == c.index) {
                    continue;
                }
                let l = PlacedLabel {
                    index: c.index,
                    x: c.center.x,
                    y: c.center.y,
                    width: c.size.width,
                    height: c.size.height,
                };
                let inside =
                    l.left() >= 0.0 && l.top() >= 0.0 && l.right() <= 1000.0 && l.bottom() <= 600.0;
                if inside {
                    assert!(placed.iter().any(|p| p.overlaps(&l, gap)));
                }
            }
        }
    }

    #[test]
    fn obstacles_are_kept_clear() {
        let size = LabelSize {
            width: 100.0,
            height: 20.0,
        };
        let at = |index, x| Candidate {
            index,
            center: coord! { x: x, y: 50.0 },
            size,
        };
        let pin = Rect::new(coord! { x: 140.0, y: 40.0 }, coord! { x: 160.0, y: 60.0 });
        let placed = place_avoiding(&[at(1, 100.0), at(2, 300.0)], &[pin], 500.0, 100.0, 2.0);
        assert_eq!(placed.iter().map(|p| p.index).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn priority_order_wins() {
        let size = LabelSize {
            width: 100.0,
            height: 20.0,
        };
        let at = |index, x| Candidate {
            index,
            center: coord! { x: x, y: 50.0 },
            size,
        };
        let placed = place(&[at(1, 100.0), at(2, 150.0)], 500.0, 100.0, 0.0);
        assert_eq!(placed.iter().map(|p| p.index).collect::<Vec<_>>(), vec![1]);
        let placed = place(&[at(2, 150.0), at(1, 100.0)], 500.0, 100.0, 0.0);
        assert_eq!(placed.iter().map(|p| p.index).collect::<Vec<_>>(), vec![2]);
        // Off the map or of no size: not placed.
        assert!(place(&[at(1, 20.0)], 500.0, 100.0, 0.0).is_empty());
        let nothing = Candidate {
            size: LabelSize {
                width: 0.0,
                height: 10.0,
            },
            ..at(1, 100.0)
        };
        assert!(place(&[nothing], 500.0, 100.0, 0.0).is_empty());
        assert!(place(&[at(1, 100.0)], 0.0, 0.0, 0.0).is_empty());
    }
}
