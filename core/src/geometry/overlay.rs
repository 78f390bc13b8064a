//! The accessible overlay's layout: which areas get a button over the map, where, which of
//! them are folded away for the pointer because they would crowd another, and the order
//! Tab visits them in.
//!
//! A small exhibit has a button for every area in view (a dot when it has no room for its
//! name). At city scale only the named areas and the selection do, at most [`MAX_PINS`]:
//! a few hundred unnamed dots made every hit test of the browser ten times slower (0.6 ms
//! instead of 0.07 ms) and doubled the time a tap took to answer; the list beside the map
//! and the search reach every area.
//!
//! ```
//! use lilong_core::geometry::overlay::{fold_crowded, reading_order, AreaPin};
//!
//! let pin = |index, x, y| AreaPin { index, x, y, labelled: false, crowded: false };
//! let mut pins = vec![pin(0, 100.0, 50.0), pin(1, 110.0, 50.0), pin(2, 20.0, 10.0)];
//! // Pin 1 sits on pin 0 (24 px boxes): one of them is folded, never the selection.
//! fold_crowded(&mut pins, &[], &[], Some(1));
//! assert_eq!(pins.iter().map(|p| p.crowded).collect::<Vec<_>>(), [true, false, false]);
//! reading_order(&mut pins);
//! assert_eq!(pins.iter().map(|p| p.index).collect::<Vec<_>>(), [2, 0, 1]);
//! ```

use super::labels::{LabelSize, PlacedLabel};
use super::markers::{Marker, TARGET_PX};
use super::projection::Viewport;
use super::scene::Scene;
use std::collections::HashSet;

/// Up to this many areas, every area is named on the map whatever its size on screen.
pub const FEW_AREAS: usize = 80;
/// At most this many area buttons on the map at once (city scale).
pub const MAX_PINS: usize = 250;
/// Least side (px) of an area button for the pointer (WCAG 2.5.8).
pub const PIN_PX: f64 = 24.0;
/// Least side (px) on screen of an area whose name is worth measuring (a label's height).
pub const LABEL_ROOM_PX: f64 = 26.0;

/// Whether `scene` is a small exhibit, named whole.
pub fn is_few(scene: &Scene) -> bool {
    scene.len() <= FEW_AREAS
}

/// An area's button: where it stands (whole px), whether its name shows, and whether it is
/// folded away for the pointer (hidden until focused).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AreaPin {
    pub index: usize,
    pub x: f64,
    pub y: f64,
    pub labelled: bool,
    pub crowded: bool,
}

/// The areas whose names go first: the selection, the hovered area and, in a small
/// exhibit, every other area in view by decreasing size.
pub fn label_priority(
    scene: &Scene,
    visible: &[usize],
    selected: Option<usize>,
    hovered: Option<usize>,
) -> Vec<usize> {
    let mut priority: Vec<usize> = selected.into_iter().chain(hovered).collect();
    if is_few(scene) {
        let mut rest: Vec<usize> = visible
            .iter()
            .copied()
            .filter(|i| !priority.contains(i))
            .collect();
        rest.sort_unstable_by(|&a, &b| scene.area(b).total_cmp(&scene.area(a)).then(a.cmp(&b)));
        priority.extend(rest);
    }
    priority
}

/// The areas whose names need a size: those in `priority`, and those in view large enough
/// on screen to hold a label at all.
pub fn to_measure(
    scene: &Scene,
    view: &Viewport,
    visible: &[usize],
    priority: &[usize],
) -> Vec<usize> {
    let mut wanted = priority.to_vec();
    wanted.extend(visible.iter().copied().filter(|&i| {
        !priority.contains(&i)
            && scene.bbox(i).is_some_and(|b| {
                b.width() * view.scale >= LABEL_ROOM_PX && b.height() * view.scale >= LABEL_ROOM_PX
            })
    }));
    wanted
}

/// The area buttons for `view`, laid out: chosen ([`area_pins`]), bounded ([`cap`]),
/// crowding folded ([`fold_crowded`]) and in reading order ([`reading_order`]).
pub fn lay_out(
    scene: &Scene,
    view: &Viewport,
    visible: &[usize],
    labels: &[PlacedLabel],
    markers: &[Marker],
    sizes: &[LabelSize],
    selected: Option<usize>,
) -> Vec<AreaPin> {
    let labelled: HashSet<usize> = labels.iter().map(|l| l.index).collect();
    let mut pins = area_pins(scene, view, visible, &labelled, selected);
    cap(scene, &mut pins, selected);
    fold_crowded(&mut pins, markers, sizes, selected);
    reading_order(&mut pins);
    pins
}

/// A button for each area in view whose label point is on the map: every one in a small
/// exhibit, else the labelled ones and the selection.
pub fn area_pins(
    scene: &Scene,
    view: &Viewport,
    visible: &[usize],
    labelled: &HashSet<usize>,
    selected: Option<usize>,
) -> Vec<AreaPin> {
    let few = is_few(scene);
    visible
        .iter()
        .copied()
        .filter(|&i| few || labelled.contains(&i) || Some(i) == selected)
        .filter_map(|i| {
            let p = scene.label_point(i, view)?;
            (p.x >= 0.0 && p.y >= 0.0 && p.x <= view.width && p.y <= view.height).then(|| AreaPin {
                index: i,
                x: p.x.round(),
                y: p.y.round(),
                labelled: labelled.contains(&i),
                crowded: false,
            })
        })
        .collect()
}

/// At city scale, at most [`MAX_PINS`] buttons whatever the labels: the selection, then
/// the labelled areas, then the largest. Thousands of buttons cost a DOM node and a layout
/// each on every view change.
pub fn cap(scene: &Scene, pins: &mut Vec<AreaPin>, selected: Option<usize>) {
    if is_few(scene) || pins.len() <= MAX_PINS {
        return;
    }
    let size = |a: &AreaPin| {
        scene
            .bbox(a.index)
            .map(|b| b.width() * b.height())
            .unwrap_or(0.0)
    };
    pins.sort_unstable_by(|a, b| {
        (Some(b.index) == selected, b.labelled)
            .cmp(&(Some(a.index) == selected, a.labelled))
            .then(size(b).total_cmp(&size(a)))
            .then(a.index.cmp(&b.index))
    });
    pins.truncate(MAX_PINS);
}

/// Marks `crowded` each pin that would sit on a building marker or on a pin kept before it
/// (the selection first, then labelled pins, in list order). The selection is never folded.
/// A labelled pin takes its name's box from `sizes` (at least [`PIN_PX`] each way), any
/// other a [`PIN_PX`] square.
pub fn fold_crowded(
    pins: &mut [AreaPin],
    markers: &[Marker],
    sizes: &[LabelSize],
    selected: Option<usize>,
) {
    let rect =
        |x: f64, y: f64, w: f64, h: f64| [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0];
    let meets = |a: [f64; 4], b: [f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    let mut taken: Vec<[f64; 4]> = markers
        .iter()
        .map(|m| rect(m.x, m.y, TARGET_PX, TARGET_PX))
        .collect();
    let mut order: Vec<usize> = (0..pins.len()).collect();
    order.sort_unstable_by_key(|&k| (Some(pins[k].index) != selected, !pins[k].labelled, k));
    for k in order {
        let a = pins[k];
        let (w, h) = match sizes.get(a.index) {
            Some(s) if a.labelled => (s.width.max(PIN_PX), s.height.max(PIN_PX)),
            _ => (PIN_PX, PIN_PX),
        };
        let r = rect(a.x, a.y, w, h);
        if Some(a.index) != selected && taken.iter().any(|t| meets(r, *t)) {
            pins[k].crowded = true;
        } else {
            taken.push(r);
        }
    }
}

/// Reading order for Tab: top to bottom, then left to right.
pub fn reading_order(pins: &mut [AreaPin]) {
    pins.sort_unstable_by(|a, b| {
        a.y.total_cmp(&b.y)
            .then(a.x.total_cmp(&b.x))
            .then(a.index.cmp(&b.index))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, polygon};

    /// `n` × `n` squares of `size` degrees, `step` apart, from (121.0, 31.0).
    fn grid(n: usize, size: f64, step: f64) -> Scene {
        let mut polys = Vec::new();
        for r in 0..n {
            for c in 0..n {
                let (lon, lat) = (121.0 + c as f64 * step, 31.0 + r as f64 * step);
                polys.push(MultiPolygon::new(vec![polygon![
                    (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size)
                ]]));
            }
        }
        Scene::new(&polys)
    }

    fn pin(index: usize, x: f64, y: f64, labelled: bool) -> AreaPin {
        AreaPin {
            index,
            x,
            y,
            labelled,
            crowded: false,
        }
    }

    #[test]
    fn a_small_exhibit_has_a_button_for_every_area_in_view() {
        let scene = grid(3, 0.004, 0.005);
        let view = Viewport::new(800.0, 800.0).fit_bounds(scene.bounds().unwrap(), 20.0);
        let visible = scene.visible(&view);
        assert_eq!(visible.len(), 9);
        let pins = lay_out(&scene, &view, &visible, &[], &[], &[], None);
        assert_eq!(pins.len(), 9);
        // Tab goes row by row from the top (north) left.
        assert_eq!(pins[0].index, 6);
        assert_eq!(pins[8].index, 2);
        assert!(
            pins.windows(2)
                .all(|w| (w[0].y, w[0].x) <= (w[1].y, w[1].x))
        );
        // Every area is a label candidate, the selection and the hovered one first.
        let p = label_priority(&scene, &visible, Some(4), Some(0));
        assert_eq!(&p[..2], &[4, 0]);
        assert_eq!(p.len(), 9);
    }

    #[test]
    fn at_city_scale_only_named_areas_and_the_selection_have_buttons_and_never_too_many() {
        let scene = grid(20, 0.0004, 0.0005); // 400 areas
        let view = Viewport::new(1600.0, 1600.0).fit_bounds(scene.bounds().unwrap(), 0.0);
        let visible = scene.visible(&view);
        assert_eq!(visible.len(), 400);
        assert!(label_priority(&scene, &visible, None, Some(3)) == [3]);
        let label = |index: usize| {
            let p = scene.label_point(index, &view).unwrap();
            PlacedLabel {
                index,
                x: p.x,
                y: p.y,
                width: 30.0,
                height: 10.0,
            }
        };
        let few_labels: Vec<PlacedLabel> = [5, 17].into_iter().map(label).collect();
        let pins = lay_out(&scene, &view, &visible, &few_labels, &[], &[], Some(300));
        let mut got: Vec<usize> = pins.iter().map(|p| p.index).collect();
        got.sort();
        assert_eq!(got, [5, 17, 300]);
        // Named everywhere: bounded, the selection and the labelled kept first.
        let all: Vec<PlacedLabel> = (0..399).map(label).collect();
        let pins = lay_out(&scene, &view, &visible, &all, &[], &[], Some(399));
        assert_eq!(pins.len(), MAX_PINS);
        assert!(pins.iter().any(|p| p.index == 399 && !p.labelled));
        assert!(pins.iter().filter(|p| p.index != 399).all(|p| p.labelled));
    }

    #[test]
    fn pins_on_markers_or_on_named_pins_are_folded_but_never_the_selection() {
        let size = LabelSize {
            width: 80.0,
            height: 26.0,
        };
        let sizes = [size; 4];
        let mut pins = vec![
            pin(0, 100.0, 100.0, false), // on the marker
            pin(1, 300.0, 100.0, true),  // named
            pin(2, 335.0, 100.0, false), // under the name of 1 (80 px wide)
            pin(3, 105.0, 100.0, false), // on the marker, but selected
        ];
        let marker = Marker {
            k: 0,
            x: 100.0,
            y: 110.0,
        };
        fold_crowded(&mut pins, &[marker], &sizes, Some(3));
        let crowded: Vec<bool> = pins.iter().map(|p| p.crowded).collect();
        assert_eq!(crowded, [true, false, true, false]);
        // Far enough apart, nothing folds.
        let mut apart = vec![pin(0, 0.0, 0.0, false), pin(1, 24.0, 0.0, false)];
        fold_crowded(&mut apart, &[], &[], None);
        assert!(apart.iter().all(|p| !p.crowded));
    }
}
