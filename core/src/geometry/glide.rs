//! A glide: the map's eased move from one view to another (to a selection, or a zoom by
//! button or key), sampled on each animation frame.
//!
//! The scale changes geometrically (each frame zooms by the same factor) and the centre
//! linearly, both on a cubic ease-in-out curve.
//!
//! ```
//! use lilong_core::geometry::Viewport;
//! use lilong_core::geometry::glide::Glide;
//!
//! let from = Viewport::new(400.0, 300.0);
//! let to = Viewport { scale: 4.0, ..from };
//! let g = Glide::new(from, to);
//! assert_eq!(g.at(0.0), Some(from));
//! // Half way in time is half way in zoom (a factor of 2 of the 4).
//! assert!((g.at(g.duration_ms / 2.0).unwrap().scale - 2.0).abs() < 1e-9);
//! // At the end it has arrived: the app commits `to`.
//! assert_eq!(g.at(g.duration_ms), None);
//! ```

use super::projection::Viewport;
use geo::Coord;

/// How long a glide takes (ms).
pub const DURATION_MS: f64 = 650.0;

/// Cubic ease-in-out: 0 at 0, 1 at 1, slow at both ends, symmetric about ½.
pub fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    if t < 0.5 {
        4.0 * t * t * t
    } else {
        1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
    }
}

/// A move from `from` to `to` over `duration_ms`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glide {
    pub from: Viewport,
    pub to: Viewport,
    pub duration_ms: f64,
}

impl Glide {
    pub fn new(from: Viewport, to: Viewport) -> Glide {
        Glide {
            from,
            to,
            duration_ms: DURATION_MS,
        }
    }

    /// The view `elapsed_ms` after the start, or `None` once the glide has arrived.
    pub fn at(&self, elapsed_ms: f64) -> Option<Viewport> {
        let t = (elapsed_ms / self.duration_ms).clamp(0.0, 1.0);
        if t >= 1.0 || t.is_nan() {
            return None;
        }
        let e = ease(t);
        let (a, b) = (self.from, self.to);
        let ls = a.scale.ln() + (b.scale.ln() - a.scale.ln()) * e;
        Some(Viewport {
            center_world: Coord {
                x: a.center_world.x + (b.center_world.x - a.center_world.x) * e,
                y: a.center_world.y + (b.center_world.y - a.center_world.y) * e,
            },
            scale: ls.exp(),
            ..b
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn the_ease_starts_and_ends_slowly_and_is_symmetric() {
        assert_eq!(ease(0.0), 0.0);
        assert_eq!(ease(1.0), 1.0);
        assert!((ease(0.5) - 0.5).abs() < 1e-12);
        for t in [0.1, 0.2, 0.3, 0.45] {
            assert!((ease(t) + ease(1.0 - t) - 1.0).abs() < 1e-12);
            assert!(ease(t) < t, "slow start at {t}");
        }
        let mut last = 0.0;
        for i in 1..=100 {
            let e = ease(i as f64 / 100.0);
            assert!(e >= last);
            last = e;
        }
    }

    #[test]
    fn a_glide_moves_steadily_towards_its_destination() {
        let from = Viewport {
            center_world: coord! { x: 0.0, y: 0.0 },
            scale: 0.1,
            width: 800.0,
            height: 600.0,
        };
        let to = Viewport {
            center_world: coord! { x: 1000.0, y: -500.0 },
            scale: 1.0,
            ..from
        };
        let g = Glide::new(from, to);
        let mut last = from;
        for k in 1..13 {
            let v = g.at(k as f64 * 50.0).expect("under way");
            assert!(v.scale >= last.scale && v.center_world.x >= last.center_world.x);
            assert!(v.scale <= to.scale && v.center_world.x <= to.center_world.x);
            last = v;
        }
        assert_eq!(g.at(650.0), None);
        assert_eq!(g.at(f64::NAN), None);
    }
}
