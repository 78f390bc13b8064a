//! Framing: the view that shows a selection (an area with its neighbourhood, or a building
//! with its street) in the part of the map a panel does not cover.
//!
//! ```
//! use geo::{coord, Rect};
//! use lilong_core::geometry::Limits;
//! use lilong_core::geometry::framing::{frame, Inset};
//!
//! let target = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1000.0, y: 1000.0 });
//! let limits = Limits { bounds: target, min_scale: 0.01, max_scale: 3.0 };
//! // A 400 px panel on the right of a 1200 × 800 map: the target sits in the middle of
//! // the 800 px left uncovered.
//! let v = frame(target, 1200.0, 800.0, Inset { right: 400.0, bottom: 0.0 }, 3.0, &limits);
//! let c = v.to_screen(coord! { x: 500.0, y: 500.0 });
//! assert!((c.x - 400.0).abs() < 1e-9 && (c.y - 400.0).abs() < 1e-9);
//! ```

use super::projection::{Limits, Viewport};
use geo::{Coord, Rect};

/// World metres shown around a selected building, so its street and neighbours stay in view.
pub const PLACE_CONTEXT_M: f64 = 420.0;
/// Padding (px) kept around what is framed.
pub const PADDING_PX: f64 = 48.0;

/// Space (px) a panel covers on the map's right edge (a side panel) and at its bottom (a
/// bottom sheet).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Inset {
    pub right: f64,
    pub bottom: f64,
}

impl Inset {
    /// The screen box the panel covers on a `width` × `height` map, if any.
    pub fn covered(&self, width: f64, height: f64) -> Option<Rect<f64>> {
        if self.right <= 0.0 && self.bottom <= 0.0 {
            return None;
        }
        let (x0, y0) = if self.right > 0.0 {
            (width - self.right, 0.0)
        } else {
            (0.0, height - self.bottom)
        };
        Some(Rect::new(
            Coord { x: x0, y: y0 },
            Coord {
                x: width,
                y: height,
            },
        ))
    }
}

/// What to frame for a building at `world`: its surroundings, [`PLACE_CONTEXT_M`] each way.
pub fn around_place(world: Coord<f64>) -> Rect<f64> {
    grow(Rect::new(world, world), PLACE_CONTEXT_M)
}

/// What to frame for an area of bounding box `b`: the area with its neighbourhood around it
/// (0.8 of its larger side, at least 250 m, each way).
pub fn around_area(b: Rect<f64>) -> Rect<f64> {
    grow(b, (b.width().max(b.height()) * 0.8).max(250.0))
}

fn grow(r: Rect<f64>, by: f64) -> Rect<f64> {
    Rect::new(
        Coord {
            x: r.min().x - by,
            y: r.min().y - by,
        },
        Coord {
            x: r.max().x + by,
            y: r.max().y + by,
        },
    )
}

/// The view of a `width` × `height` map that shows `target` (world) whole in the part
/// `inset` leaves uncovered (at least 40 % of each side), centred there, no closer than
/// `max_scale`, inside `limits`. On a strip (under 240 px tall, 2.5 times as wide) the target
/// spans the width and may be cut at the top and bottom.
pub fn frame(
    target: Rect<f64>,
    width: f64,
    height: f64,
    inset: Inset,
    max_scale: f64,
    limits: &Limits,
) -> Viewport {
    let (w, h) = (width, height);
    let usable = Viewport::new(
        (w - inset.right).max(w * 0.4),
        (h - inset.bottom).max(h * 0.4),
    );
    // A strip (a phone's map above a story's text, far wider than tall) shows the target
    // across its width, centred, its top and bottom cut: fitted whole, a building with its
    // street would shrink to a few pixels, too small for its marker.
    let pad = PADDING_PX.min(usable.width.min(usable.height) * 0.15);
    let (avail_w, avail_h) = (usable.width - 2.0 * pad, usable.height - 2.0 * pad);
    let target = if usable.height < 240.0 && usable.height * 2.5 < usable.width && avail_h > 0.0 {
        let c = target.center();
        let half_h = (target.height() / 2.0).min(target.width() / 2.0 * avail_h / avail_w);
        Rect::new(
            Coord {
                x: target.min().x,
                y: c.y - half_h,
            },
            Coord {
                x: target.max().x,
                y: c.y + half_h,
            },
        )
    } else {
        target
    };
    let fitted = usable.fit_bounds(target, pad);
    // Shift so the target sits in the middle of the uncovered part.
    Viewport {
        center_world: Coord {
            x: fitted.center_world.x + inset.right / 2.0 / fitted.scale,
            y: fitted.center_world.y - inset.bottom / 2.0 / fitted.scale,
        },
        scale: fitted.scale.min(max_scale),
        width: w,
        height: h,
    }
    .clamp(limits)
}

/// The home view: `home` (world) fitted to the whole map, inside `limits`.
pub fn home(home: Rect<f64>, width: f64, height: f64, limits: &Limits) -> Viewport {
    Viewport::new(width, height)
        .fit_bounds(home, PADDING_PX)
        .clamp(limits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn limits() -> Limits {
        Limits {
            bounds: Rect::new(coord! { x: -1e5, y: -1e5 }, coord! { x: 1e5, y: 1e5 }),
            min_scale: 0.001,
            max_scale: 3.0,
        }
    }

    #[test]
    fn a_selection_is_framed_whole_beside_the_panel_and_above_the_sheet() {
        let area = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 400.0, y: 200.0 });
        let target = around_area(area);
        assert_eq!(target.min(), coord! { x: -320.0, y: -320.0 });
        for inset in [
            Inset {
                right: 420.0,
                bottom: 0.0,
            },
            Inset {
                right: 0.0,
                bottom: 300.0,
            },
        ] {
            let v = frame(target, 1000.0, 700.0, inset, 3.0, &limits());
            let free = (1000.0 - inset.right, 700.0 - inset.bottom);
            for corner in [target.min(), target.max()] {
                let p = v.to_screen(corner);
                assert!(p.x >= 47.0 && p.x <= free.0 - 47.0, "{p:?} in {free:?}");
                assert!(p.y >= 47.0 && p.y <= free.1 - 47.0, "{p:?} in {free:?}");
            }
            assert!(inset.covered(1000.0, 700.0).is_some());
        }
        assert_eq!(Inset::default().covered(1000.0, 700.0), None);
    }

    #[test]
    fn a_building_is_shown_with_its_street_but_never_closer_than_the_limit() {
        let r = around_place(coord! { x: 10.0, y: 20.0 });
        assert_eq!(r.width(), 2.0 * PLACE_CONTEXT_M);
        let tiny = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 });
        let v = frame(tiny, 800.0, 600.0, Inset::default(), 3.0, &limits());
        assert_eq!(v.scale, 3.0);
        let h = home(r, 800.0, 600.0, &limits());
        assert_eq!(h.center_world, coord! { x: 10.0, y: 20.0 });
    }

    #[test]
    fn a_strip_shows_a_building_across_its_width() {
        let r = around_place(coord! { x: 0.0, y: 0.0 });
        let v = frame(r, 390.0, 128.0, Inset::default(), 3.0, &limits());
        // The building's surroundings span the width (less a little padding), not the height.
        let across = r.width() * v.scale;
        assert!(across > 390.0 * 0.8 && across <= 390.0, "{across}");
        assert_eq!(v.center_world, coord! { x: 0.0, y: 0.0 });
        // An ordinary map still shows the target whole.
        let v = frame(r, 800.0, 600.0, Inset::default(), 3.0, &limits());
        assert!(r.height() * v.scale <= 600.0 - 2.0 * PADDING_PX + 1e-9);
    }
}
