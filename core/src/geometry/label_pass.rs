//! One pass of label placement for everything named on the map: every kind of label
//! (area names today; street names or cluster counts can join) is offered in the order of
//! importance, with the boxes to keep clear of (markers, a panel over the map), and one
//! greedy pass places them so that no two overlap, whatever their kinds.
//!
//! ```
//! use geo::{coord, Rect};
//! use lilong_core::geometry::LabelSize;
//! use lilong_core::geometry::labels::Candidate;
//! use lilong_core::geometry::label_pass::LabelPass;
//!
//! #[derive(Clone, Copy, Debug, PartialEq)]
//! enum Kind { Area, Street }
//! let size = LabelSize { width: 60.0, height: 20.0 };
//! let at = |index, x, y| Candidate { index, center: coord! { x: x, y: y }, size };
//! let mut pass = LabelPass::new(400.0, 300.0, 4.0);
//! pass.avoid(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 100.0, y: 100.0 }));
//! pass.offer(Kind::Area, [at(7, 200.0, 150.0), at(8, 50.0, 50.0)]);
//! pass.offer(Kind::Street, [at(0, 220.0, 155.0), at(1, 200.0, 250.0)]);
//! // Area 8 is under the obstacle, street 0 would cover area 7's name.
//! assert_eq!(
//!     pass.place().iter().map(|(k, l)| (*k, l.index)).collect::<Vec<_>>(),
//!     [(Kind::Area, 7), (Kind::Street, 1)],
//! );
//! ```

use super::labels::{self, Candidate, LabelSize, PlacedLabel};
use super::projection::Viewport;
use super::scene::Scene;
use geo::Rect;

/// Labels of kinds `K` offered for one view, placed together by [`LabelPass::place`].
pub struct LabelPass<K> {
    width: f64,
    height: f64,
    gap: f64,
    obstacles: Vec<Rect<f64>>,
    kinds: Vec<(K, usize)>,
    candidates: Vec<Candidate>,
}

impl<K: Copy> LabelPass<K> {
    /// A pass for a `width` × `height` map keeping `gap` px between any two labels.
    pub fn new(width: f64, height: f64, gap: f64) -> LabelPass<K> {
        LabelPass {
            width,
            height,
            gap,
            obstacles: Vec::new(),
            kinds: Vec::new(),
            candidates: Vec::new(),
        }
    }

    /// A screen box no label may come within `gap` of.
    pub fn avoid(&mut self, obstacle: Rect<f64>) {
        self.obstacles.push(obstacle);
    }

    /// Labels of one kind, most important first; they come after everything offered so far.
    /// Each candidate's `index` is the label's own number within its kind.
    pub fn offer(&mut self, kind: K, candidates: impl IntoIterator<Item = Candidate>) {
        for c in candidates {
            self.kinds.push((kind, c.index));
            self.candidates.push(Candidate {
                index: self.candidates.len(),
                ..c
            });
        }
    }

    /// The labels kept, in the order offered, each with its kind and its own number.
    pub fn place(&self) -> Vec<(K, PlacedLabel)> {
        labels::place_avoiding(
            &self.candidates,
            &self.obstacles,
            self.width,
            self.height,
            self.gap,
        )
        .into_iter()
        .map(|l| {
            let (kind, index) = self.kinds[l.index];
            (kind, PlacedLabel { index, ..l })
        })
        .collect()
    }
}

/// The area names `scene` offers in `view`, most important first. `sizes[i]` is the
/// measured box of polygon `i`'s name (no label when missing or not finite). Polygons in
/// `priority` (the selected one, the hovered one) come first, in that order, and are
/// offered even when small; then the others by decreasing area, each only if its polygon
/// is large enough on screen: the label fits in its bounding box and the largest circle
/// inside the polygon around the label point is at least as tall as the label.
pub fn area_candidates(
    scene: &Scene,
    view: &Viewport,
    sizes: &[LabelSize],
    priority: &[usize],
) -> Vec<Candidate> {
    let size_of = |i: usize| sizes.get(i).copied();
    let mut candidates: Vec<Candidate> = Vec::new();
    for &i in priority {
        if let (Some(size), Some(a)) = (size_of(i), scene.anchor(i)) {
            candidates.push(Candidate {
                index: i,
                center: view.to_screen(a.point),
                size,
            });
        }
    }
    let mut rest: Vec<usize> = scene
        .visible(view)
        .into_iter()
        .filter(|i| !priority.contains(i))
        .filter(|&i| {
            let (Some(size), Some(b)) = (size_of(i), scene.bbox(i)) else {
                return false;
            };
            b.width() * view.scale >= size.width && b.height() * view.scale >= size.height
        })
        .collect();
    rest.sort_unstable_by(|&a, &b| scene.area(b).total_cmp(&scene.area(a)).then(a.cmp(&b)));
    for i in rest {
        let (Some(size), Some(a)) = (size_of(i), scene.anchor(i)) else {
            continue;
        };
        if 2.0 * a.radius * view.scale < size.height {
            continue;
        }
        candidates.push(Candidate {
            index: i,
            center: view.to_screen(a.point),
            size,
        });
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::scene::LABEL_GAP;
    use geo::{MultiPolygon, coord, polygon};

    fn square(lon: f64, lat: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size)
        ]])
    }

    #[test]
    fn areas_alone_are_placed_as_the_scene_places_them() {
        let scene = Scene::new(&[
            square(121.40, 31.20, 0.02),
            square(121.43, 31.20, 0.01),
            square(121.45, 31.21, 0.004),
        ]);
        let view = Viewport::new(900.0, 400.0).fit_bounds(scene.bounds().unwrap(), 10.0);
        let sizes = [LabelSize {
            width: 80.0,
            height: 22.0,
        }; 3];
        let marker = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 30.0, y: 30.0 });
        for priority in [vec![], vec![2], vec![1, 2]] {
            let mut pass = LabelPass::new(view.width, view.height, LABEL_GAP);
            pass.avoid(marker);
            pass.offer((), area_candidates(&scene, &view, &sizes, &priority));
            let alone: Vec<PlacedLabel> = pass.place().into_iter().map(|(_, l)| l).collect();
            assert_eq!(
                alone,
                scene.labels_avoiding(&view, &sizes, &priority, &[marker])
            );
            assert!(!alone.is_empty());
        }
    }

    #[test]
    fn a_later_kind_never_covers_an_earlier_one_nor_an_obstacle() {
        let size = LabelSize {
            width: 50.0,
            height: 16.0,
        };
        let mut pass = LabelPass::new(300.0, 200.0, 4.0);
        let grid = |dx: f64| {
            (0..30).map(move |k| Candidate {
                index: k,
                center: coord! { x: 30.0 + dx + (k % 6) as f64 * 45.0, y: 20.0 + (k / 6) as f64 * 35.0 },
                size,
            })
        };
        pass.avoid(Rect::new(
            coord! { x: 120.0, y: 60.0 },
            coord! { x: 180.0, y: 120.0 },
        ));
        pass.offer('a', grid(0.0));
        pass.offer('s', grid(20.0));
        let placed = pass.place();
        assert!(placed.iter().any(|p| p.0 == 's'));
        for (i, (ka, a)) in placed.iter().enumerate() {
            assert!(
                a.right() <= 120.0 - 4.0
                    || a.left() >= 180.0 + 4.0
                    || a.bottom() <= 60.0 - 4.0
                    || a.top() >= 120.0 + 4.0
            );
            for (kb, b) in &placed[i + 1..] {
                assert!(!a.overlaps(b, 4.0), "{ka} {} and {kb} {}", a.index, b.index);
            }
        }
    }
}
