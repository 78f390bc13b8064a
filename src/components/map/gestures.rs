//! Gestures: pointer, wheel and keys turned into changes of view, and the map's size and
//! place in the window followed. During a gesture only a CSS transform moves the painted
//! layer; the view is committed once when it ends. The arithmetic (drag, pinch, wheel
//! factor, tap or double tap) is `lilong_core::geometry::gesture`.

use std::collections::HashMap;
use std::time::Duration;

use crate::timers::{TimeoutHandle, set_timeout_with_handle};
use leptos::prelude::*;
use lilong_core::geometry::Viewport;
use lilong_core::geometry::gesture::{self, Press, Tap};
use lilong_core::geometry::transform::Transform;
use wasm_bindgen::JsCast;

use super::controller::{Map, MapCtl};
use super::flight::now;
use crate::dom::El;

/// The gesture in progress: `current` is applied to the painted layer only.
pub struct Gesture {
    pointers: HashMap<i32, (f64, f64)>,
    start: HashMap<i32, (f64, f64)>,
    /// The transform accumulated by earlier parts of the gesture (a pinch that became a drag).
    pub base: Transform,
    pub current: Transform,
    moved: f64,
    dragging: bool,
    down_at: f64,
    last_tap: Option<Tap>,
    wheel_timer: Option<TimeoutHandle>,
}

impl Default for Gesture {
    fn default() -> Self {
        Gesture {
            pointers: HashMap::new(),
            start: HashMap::new(),
            base: Transform::IDENTITY,
            current: Transform::IDENTITY,
            moved: 0.0,
            dragging: false,
            down_at: 0.0,
            last_tap: None,
            wheel_timer: None,
        }
    }
}

/// Pixels an arrow key pans by.
const KEY_PAN_PX: f64 = 80.0;
/// Zoom factor of the + and − keys and buttons.
pub const ZOOM_STEP: f64 = 1.6;

/// Listens on the map's element for pointers, the wheel and keys.
pub fn listen(container: El, map: Map) -> El {
    let with = move |f: &dyn Fn(&MapCtl)| {
        if let Some(m) = map.get() {
            f(&m)
        }
    };
    container
        .on("pointerdown", move |ev: web_sys::Event| {
            with(&|m: &MapCtl| on_down(m, ev.unchecked_ref()))
        })
        .on("pointermove", move |ev: web_sys::Event| {
            with(&|m: &MapCtl| on_move(m, ev.unchecked_ref()))
        })
        .on("pointerup", move |ev: web_sys::Event| {
            with(&|m: &MapCtl| on_up(m, map, ev.unchecked_ref()))
        })
        .on("pointercancel", move |ev: web_sys::Event| {
            with(&|m: &MapCtl| on_cancel(m, ev.unchecked_ref()))
        })
        .on("pointerleave", move |ev: web_sys::Event| {
            let ev: &web_sys::PointerEvent = ev.unchecked_ref();
            if ev.pointer_type() == "mouse" {
                with(&|m: &MapCtl| m.c.hovered.set(None))
            }
        })
        .on("wheel", move |ev: web_sys::Event| {
            with(&|m: &MapCtl| on_wheel(m, map, ev.unchecked_ref()))
        })
        .on("keydown", move |ev: web_sys::Event| {
            on_key(map, ev.unchecked_ref())
        })
}

/// The point (x, y) of the window in the map's own pixels.
fn local_point(m: &MapCtl, x: f64, y: f64) -> (f64, f64) {
    let o = m.origin.get().or_else(|| {
        let r = m
            .parts
            .container
            .get_untracked()?
            .get_bounding_client_rect();
        m.origin.set(Some((r.left(), r.top())));
        Some((r.left(), r.top()))
    });
    o.map(|(l, t)| (x - l, y - t)).unwrap_or((x, y))
}

fn on_button(ev: &web_sys::PointerEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("button").ok().flatten())
        .is_some()
}

fn on_down(m: &MapCtl, ev: &web_sys::PointerEvent) {
    if ev.button() != 0 && ev.pointer_type() == "mouse" {
        return;
    }
    let p = local_point(m, ev.client_x() as f64, ev.client_y() as f64);
    // A hand on the map stops a flight where it is; the gesture carries on from there.
    if !on_button(ev) {
        m.cancel_flight();
    }
    let mut g = m.gesture.borrow_mut();
    if g.pointers.is_empty() {
        g.moved = 0.0;
        g.dragging = false;
        g.down_at = now();
    }
    // Restart the gesture's reference from the current transform.
    g.base = g.current;
    g.pointers.insert(ev.pointer_id(), p);
    g.start = g.pointers.clone();
}

fn on_move(m: &MapCtl, ev: &web_sys::PointerEvent) {
    let p = local_point(m, ev.client_x() as f64, ev.client_y() as f64);
    let mut g = m.gesture.borrow_mut();
    if !g.pointers.contains_key(&ev.pointer_id()) {
        if ev.pointer_type() == "mouse" {
            drop(g);
            m.hover_at(p.0, p.1);
        }
        return;
    }
    g.pointers.insert(ev.pointer_id(), p);
    let base = g.base;
    let ids: Vec<i32> = g.pointers.keys().copied().take(2).collect();
    let t = if ids.len() == 2 {
        let start = [g.start[&ids[0]], g.start[&ids[1]]];
        let now = [g.pointers[&ids[0]], g.pointers[&ids[1]]];
        gesture::pinch(base, start, now)
    } else {
        let from = g.start.get(&ids[0]).copied().unwrap_or(p);
        gesture::drag(base, from, p)
    };
    g.moved = g.moved.max(gesture::travel(base, t));
    if g.moved <= gesture::TAP_SLOP {
        return;
    }
    if !g.dragging {
        g.dragging = true;
        if let Some(el) = m.parts.container.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        // The grabbing hand on the painted layer only: a state on the map itself (such as
        // `:active`) would restyle every pin under it at the first touch.
        if let Some(l) = m.parts.layer.get_untracked() {
            let _ = l.style().set_property("cursor", "grabbing");
        }
    }
    // Keep the scale inside the limits during the gesture too.
    if let Some(vp) = m.view.get_untracked()
        && !t.near_limits(&vp, &m.limits(vp.width, vp.height))
    {
        return;
    }
    g.current = t;
    drop(g);
    m.show(t);
}

fn on_up(m: &MapCtl, map: Map, ev: &web_sys::PointerEvent) {
    let p = local_point(m, ev.client_x() as f64, ev.client_y() as f64);
    let mut g = m.gesture.borrow_mut();
    if g.pointers.remove(&ev.pointer_id()).is_none() {
        return;
    }
    g.base = g.current;
    g.start = g.pointers.clone();
    if !g.pointers.is_empty() {
        return;
    }
    let t = now();
    let end = Tap {
        x: p.0,
        y: p.1,
        at: t,
    };
    let press = gesture::classify(g.dragging, g.moved, t - g.down_at, end, g.last_tap);
    g.last_tap = (press == Press::Tap).then_some(end);
    drop(g);
    finish(m);
    if !on_button(ev) {
        match press {
            Press::DoubleTap => map.zoom_by(2.0, Some(p)),
            Press::Tap => m.select_at(p.0, p.1),
            Press::Drag => {}
        }
    }
}

fn on_cancel(m: &MapCtl, ev: &web_sys::PointerEvent) {
    let mut g = m.gesture.borrow_mut();
    g.pointers.remove(&ev.pointer_id());
    g.start = g.pointers.clone();
    g.base = g.current;
    if g.pointers.is_empty() {
        drop(g);
        finish(m);
    }
}

fn on_wheel(m: &MapCtl, map: Map, ev: &web_sys::WheelEvent) {
    ev.prevent_default();
    let p = local_point(m, ev.client_x() as f64, ev.client_y() as f64);
    let k = gesture::wheel_factor(ev.delta_y(), ev.delta_mode());
    m.cancel_flight();
    let mut g = m.gesture.borrow_mut();
    if let Some(vp) = m.view.get_untracked() {
        let lim = m.limits(vp.width, vp.height);
        g.current = g.current.zoomed_within(&vp, &lim, k, p);
    }
    let cur = g.current;
    if let Some(h) = g.wheel_timer.take() {
        h.clear();
    }
    g.wheel_timer = set_timeout_with_handle(
        move || {
            if let Some(m) = map.get() {
                finish(&m)
            }
        },
        Duration::from_millis(140),
    )
    .ok();
    drop(g);
    m.show(cur);
}

fn on_key(map: Map, ev: &web_sys::KeyboardEvent) {
    let Some(m) = map.get() else { return };
    match ev.key().as_str() {
        "ArrowLeft" => m.pan_by(-KEY_PAN_PX, 0.0),
        "ArrowRight" => m.pan_by(KEY_PAN_PX, 0.0),
        "ArrowUp" => m.pan_by(0.0, -KEY_PAN_PX),
        "ArrowDown" => m.pan_by(0.0, KEY_PAN_PX),
        "+" | "=" => map.zoom_by(ZOOM_STEP, None),
        "-" | "_" => map.zoom_by(1.0 / ZOOM_STEP, None),
        _ => return,
    }
    ev.prevent_default();
}

/// The end of a gesture: its transform is committed as the new view.
fn finish(m: &MapCtl) {
    if let Some(l) = m.parts.layer.get_untracked() {
        let _ = l.style().remove_property("cursor");
    }
    let t = {
        let mut g = m.gesture.borrow_mut();
        let t = g.current;
        g.base = Transform::IDENTITY;
        g.current = Transform::IDENTITY;
        t
    };
    // A flight under way (a press on a map button) keeps its own transform.
    if m.flight.get().to.is_some() {
        m.set_live(t);
        return;
    }
    if t.is_identity() || !t.is_usable() {
        return;
    }
    if let Some(vp) = m.view.get_untracked() {
        m.view
            .set(Some(t.commit(vp).clamp(&m.limits(vp.width, vp.height))));
        m.show(Transform::IDENTITY);
    }
}

/// Follows the map's size (a `ResizeObserver`) and its place in the window (measured again
/// after a resize or a scroll of the page, not of the list beside it). The first size sets
/// the first view: the selection framed, or the home view.
pub fn follow_size(map: Map) {
    for ev in ["resize", "scroll"] {
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(m) = map.get() {
                m.origin.set(None);
            }
        });
        if let Some(w) = web_sys::window() {
            let opts = web_sys::AddEventListenerOptions::new();
            opts.set_passive(true);
            let _ = w.add_event_listener_with_callback_and_add_event_listener_options(
                ev,
                cb.as_ref().unchecked_ref(),
                &opts,
            );
        }
        // The listener goes with the map.
        let kept = StoredValue::new_local(Some(cb));
        on_cleanup(move || {
            if let Some(Some(cb)) = kept.try_update_value(|k| k.take())
                && let Some(w) = web_sys::window()
            {
                let _ = w.remove_event_listener_with_callback(ev, cb.as_ref().unchecked_ref());
            }
        });
    }
    Effect::new(move |_| {
        let Some(el) = map.get().and_then(|m| m.parts.container.get()) else {
            return;
        };
        let measure = {
            let el = el.clone();
            move || {
                let Some(m) = map.get() else { return };
                let r = el.get_bounding_client_rect();
                m.origin.set(Some((r.left(), r.top())));
                resized(&m, r.width().max(1.0), r.height().max(1.0));
            }
        };
        measure();
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(measure);
        let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) else {
            return;
        };
        obs.observe(&el);
        // The observer and its callback hold the map's element: let both go with the map, or
        // every visit to another page would keep the old map's whole tree alive.
        let kept = StoredValue::new_local(Some((obs, cb)));
        on_cleanup(move || {
            if let Some(Some((obs, _cb))) = kept.try_update_value(|k| k.take()) {
                obs.disconnect();
            }
        });
    });
}

/// The map is now `w` × `h`: the view keeps its centre and scale (within the new limits).
fn resized(m: &MapCtl, w: f64, h: f64) {
    let Some(current) = m.size.try_get_untracked() else {
        return;
    };
    if current == (w, h) {
        return;
    }
    m.size.set((w, h));
    let v = match m.view.get_untracked() {
        Some(v) => Viewport {
            width: w,
            height: h,
            ..v
        }
        .clamp(&m.limits(w, h)),
        None => m.framing(w, h),
    };
    m.view.set(Some(v));
    m.show_live();
}
