//! The transform that carries a painted picture during a gesture or a flight,
//! `screen' = s · screen + t`, and how it becomes a view once the motion ends.
//!
//! The map never repaints while it moves: the picture painted for one view is moved by
//! this transform (a CSS transform in the app) and the view is committed once at the end.
//!
//! ```
//! use lilong_core::geometry::Viewport;
//! use lilong_core::geometry::transform::Transform;
//!
//! let v = Viewport::new(400.0, 300.0);
//! // Twice as close around the centre of the map, then committed.
//! let t = Transform::IDENTITY.zoomed_at(2.0, (200.0, 150.0));
//! let w = t.commit(v);
//! assert_eq!(w.scale, 2.0);
//! assert_eq!(w.center_world, v.center_world);
//! // And the transform between the two views is the same one.
//! assert_eq!(Transform::between(v, w), t);
//! ```

use super::projection::{Limits, Viewport};
use geo::Coord;

/// `screen' = s · screen + (tx, ty)`, in CSS pixels of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    pub s: f64,
    pub tx: f64,
    pub ty: f64,
}

impl Transform {
    /// No motion: scale 1, no translation.
    pub const IDENTITY: Transform = Transform {
        s: 1.0,
        tx: 0.0,
        ty: 0.0,
    };

    pub fn is_identity(&self) -> bool {
        *self == Transform::IDENTITY
    }

    /// Whether committing it gives a usable view (a positive, finite scale).
    pub fn is_usable(&self) -> bool {
        self.s.is_finite() && self.s > 0.0
    }

    /// The view `view` becomes when this transform is committed: what the transform shows
    /// at the map's centre becomes the centre, at `s` times the scale.
    pub fn commit(&self, view: Viewport) -> Viewport {
        let centre = Coord {
            x: (view.width / 2.0 - self.tx) / self.s,
            y: (view.height / 2.0 - self.ty) / self.s,
        };
        Viewport {
            center_world: view.to_world(centre),
            scale: view.scale * self.s,
            ..view
        }
    }

    /// The transform that carries what is drawn for view `a` onto view `b`:
    /// `b.to_screen(w) = s · a.to_screen(w) + t` for every world point `w`.
    pub fn between(a: Viewport, b: Viewport) -> Transform {
        let s = b.scale / a.scale;
        let p = a.to_screen(a.center_world);
        let q = b.to_screen(a.center_world);
        Transform {
            s,
            tx: q.x - s * p.x,
            ty: q.y - s * p.y,
        }
    }

    /// This transform followed by a zoom of `k` around the screen point `p`
    /// (`screen'' = k (screen' - p) + p`).
    pub fn zoomed_at(&self, k: f64, p: (f64, f64)) -> Transform {
        Transform {
            s: self.s * k,
            tx: k * (self.tx - p.0) + p.0,
            ty: k * (self.ty - p.1) + p.1,
        }
    }

    /// As [`Transform::zoomed_at`] with `factor`, the resulting scale of `view` kept
    /// inside `limits` (a wheel turned past the limit stops there).
    pub fn zoomed_within(
        &self,
        view: &Viewport,
        limits: &Limits,
        factor: f64,
        p: (f64, f64),
    ) -> Transform {
        let s =
            (view.scale * self.s * factor).clamp(limits.min_scale, limits.max_scale) / view.scale;
        Transform {
            s,
            ..self.zoomed_at(s / self.s, p)
        }
    }

    /// Whether `view` under this transform stays near `limits` (5 % of slack, so a pinch
    /// does not stick hard at the limit while the fingers move).
    pub fn near_limits(&self, view: &Viewport, limits: &Limits) -> bool {
        let s = view.scale * self.s;
        s <= limits.max_scale * 1.05 && s >= limits.min_scale * 0.95
    }

    /// The CSS `transform` value that applies it to an element (`none` for the identity).
    pub fn css(&self) -> String {
        if self.is_identity() {
            "none".into()
        } else {
            format!("translate({}px, {}px) scale({})", self.tx, self.ty, self.s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Rect, coord};

    fn view() -> Viewport {
        Viewport {
            center_world: coord! { x: 1000.0, y: 2000.0 },
            scale: 0.5,
            width: 800.0,
            height: 600.0,
        }
    }

    fn close(a: Coord<f64>, b: Coord<f64>) -> bool {
        (a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6
    }

    #[test]
    fn committing_a_transform_puts_each_world_point_where_the_transform_showed_it() {
        let v = view();
        let t = Transform {
            s: 1.7,
            tx: -120.0,
            ty: 35.0,
        };
        let w = t.commit(v);
        for p in [
            coord! { x: 900.0, y: 1800.0 },
            coord! { x: 1300.0, y: 2100.0 },
        ] {
            let a = v.to_screen(p);
            let moved = coord! { x: t.s * a.x + t.tx, y: t.s * a.y + t.ty };
            assert!(close(w.to_screen(p), moved));
        }
        // And `between` finds the transform back.
        let back = Transform::between(v, w);
        assert!((back.s - t.s).abs() < 1e-9);
        assert!((back.tx - t.tx).abs() < 1e-6 && (back.ty - t.ty).abs() < 1e-6);
    }

    #[test]
    fn a_zoom_keeps_the_point_under_the_cursor_and_stops_at_the_limits() {
        let v = view();
        let p = (100.0, 500.0);
        let under = v.to_world(coord! { x: p.0, y: p.1 });
        let t = Transform::IDENTITY.zoomed_at(1.5, p);
        assert!(close(
            t.commit(v).to_screen(under),
            coord! { x: p.0, y: p.1 }
        ));
        let limits = Limits {
            bounds: Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 5000.0, y: 5000.0 }),
            min_scale: 0.25,
            max_scale: 1.0,
        };
        let far = Transform::IDENTITY.zoomed_within(&v, &limits, 10.0, p);
        assert!((far.commit(v).scale - 1.0).abs() < 1e-9);
        assert!(close(
            far.commit(v).to_screen(under),
            coord! { x: p.0, y: p.1 }
        ));
        assert!(far.near_limits(&v, &limits));
        assert!(!Transform { s: 3.0, ..far }.near_limits(&v, &limits));
    }

    #[test]
    fn the_identity_is_no_css_transform() {
        assert_eq!(Transform::IDENTITY.css(), "none");
        let t = Transform {
            s: 2.0,
            tx: 3.0,
            ty: -4.5,
        };
        assert_eq!(t.css(), "translate(3px, -4.5px) scale(2)");
        assert!(!Transform { s: f64::NAN, ..t }.is_usable());
    }
}
