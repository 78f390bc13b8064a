//! Pointer gestures as arithmetic: a drag or a two-finger pinch becomes a [`Transform`],
//! a wheel turn a zoom factor, and a press a tap, a double tap or neither.
//!
//! ```
//! use lilong_core::geometry::gesture::{pinch, travel};
//! use lilong_core::geometry::transform::Transform;
//!
//! // Two fingers moving apart to twice their distance, about the same middle.
//! let t = pinch(Transform::IDENTITY, [(90.0, 100.0), (110.0, 100.0)], [(80.0, 100.0), (120.0, 100.0)]);
//! assert_eq!(t.s, 2.0);
//! assert_eq!((t.tx, t.ty), (-100.0, -100.0)); // the middle (100, 100) stays put
//! assert!(travel(Transform::IDENTITY, t) > 8.0); // a pinch is never a tap
//! ```

use super::transform::Transform;

/// Pointer travel (px) under which a press is a tap, not a drag.
pub const TAP_SLOP: f64 = 8.0;
/// Longest press (ms) that is still a tap.
pub const TAP_MS: f64 = 600.0;
/// Longest time (ms) between two taps of a double tap.
pub const DOUBLE_TAP_MS: f64 = 350.0;
/// Furthest (px, each axis) the second tap of a double tap may land from the first.
pub const DOUBLE_TAP_PX: f64 = 30.0;

/// `base` followed by a one-finger drag from `from` to `to`.
pub fn drag(base: Transform, from: (f64, f64), to: (f64, f64)) -> Transform {
    Transform {
        s: base.s,
        tx: base.tx + to.0 - from.0,
        ty: base.ty + to.1 - from.1,
    }
}

/// `base` followed by a pinch whose two fingers went from `start` to `now`: the scale
/// follows their distance, the translation their middle (`screen' = k (screen - m0) + m1`).
pub fn pinch(base: Transform, start: [(f64, f64); 2], now: [(f64, f64); 2]) -> Transform {
    let dist =
        |[a, b]: [(f64, f64); 2]| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().max(1.0);
    let mid = |[a, b]: [(f64, f64); 2]| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let k = dist(now) / dist(start);
    let (m0, m1) = (mid(start), mid(now));
    Transform {
        s: base.s * k,
        tx: k * (base.tx - m0.0) + m1.0,
        ty: k * (base.ty - m0.1) + m1.1,
    }
}

/// How far (px) `t` has moved from `base`, for telling a tap from a drag: the distance of
/// the translation, or more than any slop as soon as the scale changed.
pub fn travel(base: Transform, t: Transform) -> f64 {
    let d = ((t.tx - base.tx).powi(2) + (t.ty - base.ty).powi(2)).sqrt();
    d.max(if t.s != base.s { 99.0 } else { 0.0 })
}

/// The zoom factor of a wheel turn of `delta_y` in `delta_mode` (0 pixels, 1 lines,
/// 2 pages): a notch of a mouse wheel zooms by about 1.4, never more than 2 at once.
pub fn wheel_factor(delta_y: f64, delta_mode: u32) -> f64 {
    let dy = match delta_mode {
        1 => delta_y * 16.0,
        2 => delta_y * 400.0,
        _ => delta_y,
    };
    (-dy / 300.0).exp().clamp(0.5, 2.0)
}

/// A tap: where and when (ms) it ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tap {
    pub x: f64,
    pub y: f64,
    pub at: f64,
}

/// What a press that ended was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Press {
    /// It moved or lasted too long.
    Drag,
    Tap,
    /// A second tap soon after and near the last one.
    DoubleTap,
}

/// Classifies a press that `moved` px (see [`travel`]) and lasted `held` ms, ending at
/// `end`, after the last single tap `last`.
pub fn classify(dragging: bool, moved: f64, held: f64, end: Tap, last: Option<Tap>) -> Press {
    if dragging || moved > TAP_SLOP || held >= TAP_MS {
        return Press::Drag;
    }
    let near = |l: Tap| {
        end.at - l.at < DOUBLE_TAP_MS
            && (l.x - end.x).abs() < DOUBLE_TAP_PX
            && (l.y - end.y).abs() < DOUBLE_TAP_PX
    };
    if last.is_some_and(near) {
        Press::DoubleTap
    } else {
        Press::Tap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drag_follows_the_finger_on_top_of_what_came_before() {
        let base = Transform {
            s: 2.0,
            tx: 10.0,
            ty: 20.0,
        };
        let t = drag(base, (100.0, 100.0), (130.0, 60.0));
        assert_eq!(
            t,
            Transform {
                s: 2.0,
                tx: 40.0,
                ty: -20.0
            }
        );
        assert_eq!(travel(base, t), 50.0);
    }

    #[test]
    fn a_pinch_keeps_the_point_between_the_fingers_under_them() {
        let base = Transform {
            s: 1.5,
            tx: -30.0,
            ty: 12.0,
        };
        let start = [(100.0, 100.0), (200.0, 180.0)];
        let now = [(60.0, 90.0), (260.0, 250.0)];
        let t = pinch(base, start, now);
        assert!((t.s - 3.0).abs() < 1e-9);
        // The content point that was (under the base transform) at the fingers' first
        // middle is now at their middle.
        let m0 = (150.0, 140.0);
        let content = ((m0.0 - base.tx) / base.s, (m0.1 - base.ty) / base.s);
        let shown = (t.s * content.0 + t.tx, t.s * content.1 + t.ty);
        assert!((shown.0 - 160.0).abs() < 1e-9 && (shown.1 - 170.0).abs() < 1e-9);
        // Fingers on one spot do not divide by zero.
        assert!(pinch(base, [(5.0, 5.0); 2], now).s.is_finite());
    }

    #[test]
    fn wheel_turns_zoom_in_and_out_within_bounds() {
        assert!(wheel_factor(-100.0, 0) > 1.0);
        assert!(wheel_factor(100.0, 0) < 1.0);
        assert_eq!(wheel_factor(3.0, 1), wheel_factor(48.0, 0));
        assert_eq!(wheel_factor(-5.0, 2), 2.0);
        assert_eq!(wheel_factor(5.0, 2), 0.5);
    }

    #[test]
    fn taps_double_taps_and_drags_are_told_apart() {
        let at = |x, y, t| Tap { x, y, at: t };
        assert_eq!(
            classify(false, 3.0, 100.0, at(0.0, 0.0, 1000.0), None),
            Press::Tap
        );
        assert_eq!(
            classify(true, 3.0, 100.0, at(0.0, 0.0, 1000.0), None),
            Press::Drag
        );
        assert_eq!(
            classify(false, 9.0, 100.0, at(0.0, 0.0, 1000.0), None),
            Press::Drag
        );
        assert_eq!(
            classify(false, 0.0, 700.0, at(0.0, 0.0, 1000.0), None),
            Press::Drag
        );
        let first = Some(at(10.0, 10.0, 800.0));
        assert_eq!(
            classify(false, 0.0, 80.0, at(20.0, 5.0, 1000.0), first),
            Press::DoubleTap
        );
        // Too late, or too far.
        assert_eq!(
            classify(false, 0.0, 80.0, at(20.0, 5.0, 1200.0), first),
            Press::Tap
        );
        assert_eq!(
            classify(false, 0.0, 80.0, at(50.0, 5.0, 1000.0), first),
            Press::Tap
        );
    }
}
