//! Building markers: which of them the map shows in a view, and the room each takes.
//!
//! A marker shows once the area it stands in is large enough on screen to tell its
//! buildings apart. (Markers that would crowd each other are the place where a cluster with
//! a count would come in.)
//!
//! ```
//! use geo::coord;
//! use lilong_core::geometry::Viewport;
//! use lilong_core::geometry::markers::in_view;
//!
//! let v = Viewport::new(400.0, 300.0); // the world origin at (200, 150), 1 px per metre
//! let places = [
//!     (coord! { x: 10.0, y: 10.0 }, Some(100.0)), // in an area 100 m wide
//!     (coord! { x: 20.0, y: 0.0 }, Some(30.0)),   // in an area too small on screen
//!     (coord! { x: 900.0, y: 0.0 }, Some(100.0)), // off the map
//! ];
//! let shown = in_view(&v, places.iter().copied());
//! assert_eq!(shown.len(), 1);
//! assert_eq!((shown[0].k, shown[0].x, shown[0].y), (0, 210.0, 140.0));
//! ```

use super::projection::Viewport;
use geo::{Coord, Rect};

/// Least width (px) on screen of a building's area for its marker to show.
pub const MIN_AREA_PX: f64 = 70.0;
/// Half the side (px) of the box area names keep clear of around a marker.
pub const CLEAR_PX: f64 = 14.0;
/// Side (px) of the box a marker takes for the pointer.
pub const TARGET_PX: f64 = 32.0;

/// A marker shown: the place's position in the list given, and where it stands (whole px).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marker {
    pub k: usize,
    pub x: f64,
    pub y: f64,
}

impl Marker {
    /// The box area names keep clear of.
    pub fn clearance(&self) -> Rect<f64> {
        Rect::new(
            Coord {
                x: self.x - CLEAR_PX,
                y: self.y - CLEAR_PX,
            },
            Coord {
                x: self.x + CLEAR_PX,
                y: self.y + CLEAR_PX,
            },
        )
    }
}

/// The markers `view` shows of `places`: each a world point with the world width of the
/// area it stands in (`None` when it stands in none).
pub fn in_view(
    view: &Viewport,
    places: impl Iterator<Item = (Coord<f64>, Option<f64>)>,
) -> Vec<Marker> {
    places
        .enumerate()
        .filter_map(|(k, (w, area_width))| {
            let big = area_width.map(|b| b * view.scale).unwrap_or(0.0);
            let s = view.to_screen(w);
            (big >= MIN_AREA_PX
                && s.x >= 0.0
                && s.y >= 0.0
                && s.x <= view.width
                && s.y <= view.height)
                .then(|| Marker {
                    k,
                    x: s.x.round(),
                    y: s.y.round(),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn markers_show_as_their_area_grows_on_screen() {
        let places = [
            (coord! { x: 0.0, y: 0.0 }, Some(50.0)),
            (coord! { x: 0.0, y: 0.0 }, None),
        ];
        let far = Viewport::new(400.0, 300.0);
        assert!(in_view(&far, places.iter().copied()).is_empty());
        let near = Viewport { scale: 2.0, ..far };
        let shown = in_view(&near, places.iter().copied());
        assert_eq!(
            shown,
            vec![Marker {
                k: 0,
                x: 200.0,
                y: 150.0
            }]
        );
        let b = shown[0].clearance();
        assert_eq!((b.width(), b.height()), (28.0, 28.0));
    }
}
