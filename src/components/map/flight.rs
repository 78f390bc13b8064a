//! Flights: animated moves of the map to a new view (to the selection, or a zoom by button
//! or key). A flight moves the painted and accessible layers by a CSS transform, frame by
//! frame, and commits its destination once at the end: nothing is laid out or repainted on
//! the way. The path itself (easing, timing) is `lilong_core::geometry::glide`.

use crate::timers::request_animation_frame;
use leptos::prelude::*;
use lilong_core::geometry::Viewport;
use lilong_core::geometry::glide::Glide;
use lilong_core::geometry::transform::Transform;

use super::controller::{Map, MapCtl};
use crate::state::{after_paint, prefers_reduced_motion};

/// The flight under way: its number and destination. A new flight supersedes it (as does a
/// hand on the map), and zooming by buttons or keys starts from its destination.
#[derive(Clone, Copy, Default)]
pub struct FlightState {
    pub id: u64,
    pub to: Option<Viewport>,
}

impl MapCtl {
    /// Stops the flight under way where it is.
    pub fn cancel_flight(&self) {
        let f = self.flight.get();
        self.flight.set(FlightState {
            id: f.id + 1,
            to: None,
        });
    }

    /// Sets the transform of the gesture or flight in progress (and the base a gesture
    /// started now would build on).
    pub fn set_live(&self, t: Transform) {
        let mut g = self.gesture.borrow_mut();
        g.current = t;
        g.base = t;
    }
}

impl Map {
    /// Flies to `to` (at once when the visitor prefers reduced motion).
    pub fn fly(self, to: Viewport) {
        let Some(m) = self.get() else { return };
        let Some(v) = m.view.get_untracked() else {
            m.view.set(Some(to));
            return;
        };
        let from = m.live().commit(v);
        if prefers_reduced_motion() {
            m.cancel_flight();
            m.set_live(Transform::IDENTITY);
            m.view.set(Some(to));
            m.show(Transform::IDENTITY);
            return;
        }
        let id = m.flight.get().id + 1;
        m.flight.set(FlightState { id, to: Some(to) });
        let t0 = now();
        self.step(Glide::new(from, to), t0, id);
    }

    /// One frame of flight `id`.
    fn step(self, glide: Glide, t0: f64, id: u64) {
        let Some(m) = self.get() else { return };
        // Superseded by a newer flight or a gesture, or the map went away.
        if m.flight.get().id != id {
            return;
        }
        let Some(Some(committed)) = m.view.try_get_untracked() else {
            return;
        };
        match glide.at(now() - t0) {
            Some(v) => {
                let cur = Transform::between(committed, v);
                m.set_live(cur);
                m.show(cur);
                request_animation_frame(move || self.step(glide, t0, id));
            }
            None => {
                m.set_live(Transform::IDENTITY);
                m.flight.set(FlightState {
                    to: None,
                    ..m.flight.get()
                });
                if m.view.try_set(Some(glide.to)).is_none() {
                    m.show(Transform::IDENTITY);
                }
            }
        }
    }

    /// Flies to the selection whenever it changes (not to the first one: the map opens on it).
    pub fn follow_selection(self) {
        Effect::new(move |prev: Option<(Option<usize>, Option<String>)>| {
            let Some(m) = self.get() else {
                return prev.unwrap_or_default();
            };
            let key = (m.selected.get(), m.selected_place.get());
            if prev.is_some() && prev.as_ref() != Some(&key) && key.0.is_some() {
                // The flight starts once the answer to the tap (highlight and panel) is on
                // screen: the frame that shows it then moves no layer, and the flight is a
                // frame later.
                after_paint(move || {
                    let Some(m) = self.get() else { return };
                    let Some((w, h)) = m.size.try_get_untracked() else {
                        return;
                    };
                    if w > 1.0 {
                        self.fly(m.framing(w, h));
                    }
                });
            }
            key
        });
    }
}

/// Milliseconds since the page started.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
