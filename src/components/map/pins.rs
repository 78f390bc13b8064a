//! Pins: the buttons of the accessible layer, one per area laid out (its name, or a dot)
//! and one per building marker, kept by id so that a pin that moves or gains its label keeps
//! its node (and keyboard focus) through every re-layout. New layouts are followed a few
//! dozen buttons per frame (`lilong_core::geometry::pin_steps`).

use crate::timers::{AnimationFrameRequestHandle, request_animation_frame_with_handle};
use leptos::prelude::*;
use lilong_core::geometry::pin_steps;
use lilong_core::route::Page;

use super::controller::Map;
use super::overlay::Overlay;
use crate::dom::{El, el};
use crate::state::ctx;

/// Buttons created (and, separately, removed) per frame when the pins follow a new layout.
const PINS_PER_FRAME: usize = 40;

/// The pins' container for the laid-out `overlay`.
pub fn pins(map: Map, overlay: Memo<Overlay>) -> El {
    let area_ids = Memo::new(move |_| {
        let Some(m) = map.get() else {
            return Vec::new();
        };
        overlay.with(|o| {
            o.areas
                .iter()
                .map(|p| (m.model.area_ids[p.index].clone(), p.index))
                .collect::<Vec<_>>()
        })
    });
    let shown = follow(area_ids);
    let place_ids = Memo::new(move |_| {
        overlay.with(|o| o.places.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    });
    let Some(m) = map.get() else {
        return el("div").class("map-pins");
    };
    let (selected, selected_place) = (m.selected, m.selected_place);
    // One reactive flag per pin: a new selection touches the old and the new pin only, not
    // every pin on screen.
    let is_selected = StoredValue::new(Selector::new(move || selected.get()));
    el("div")
        .class("map-pins")
        .dyn_keyed(
            move || shown.get(),
            move |(id, index)| area_button(id, index, overlay, is_selected),
        )
        .dyn_keyed(
            move || place_ids.get(),
            move |id| place_marker(id, overlay, selected_place),
        )
}

/// The pins on screen, following `target` a few dozen at a time, one step per frame:
/// creating or removing a few hundred buttons in the frame that ends a gesture would hold
/// that frame for tens of milliseconds. Pins kept from the last layout move at once; a pin
/// no longer laid out is hidden at once and removed in a later step.
fn follow(target: Memo<Vec<(String, usize)>>) -> RwSignal<Vec<(String, usize)>> {
    let shown = RwSignal::new(Vec::<(String, usize)>::new());
    let frame = StoredValue::new_local(None::<AnimationFrameRequestHandle>);
    fn step(
        target: Memo<Vec<(String, usize)>>,
        shown: RwSignal<Vec<(String, usize)>>,
        frame: StoredValue<Option<AnimationFrameRequestHandle>, LocalStorage>,
    ) {
        let Some((list, done)) = target.try_with_untracked(|t| {
            shown.with_untracked(|s| pin_steps::step(t, s, PINS_PER_FRAME, |p| p.0.clone()))
        }) else {
            return;
        };
        shown.set(list);
        if !done {
            let handle =
                request_animation_frame_with_handle(move || step(target, shown, frame)).ok();
            frame.try_set_value(handle);
        }
    }
    Effect::new(move |_| {
        target.track();
        if let Some(Some(h)) = frame.try_update_value(|f| f.take()) {
            h.cancel();
        }
        step(target, shown, frame);
    });
    shown
}

/// A button for an area on the map, at its label point (its name shown when it has room).
fn area_button(
    id: String,
    index: usize,
    overlay: Memo<Overlay>,
    is_selected: StoredValue<Selector<Option<usize>>>,
) -> El {
    let c = ctx();
    let pin = {
        let id = id.clone();
        Memo::new(move |_| {
            overlay.with(|o| {
                o.at.get(&id)
                    .and_then(|&k| o.areas.get(k))
                    .map(|p| (p.x, p.y, p.labelled, p.crowded))
            })
        })
    };
    let name = {
        let id = id.clone();
        move || {
            let lang = c.lang();
            c.with(|e| {
                e.area(&id)
                    .map(|a| a.name.get(lang).to_string())
                    .unwrap_or_default()
            })
        }
    };
    let sel = move || is_selected.with_value(|s| s.selected(&Some(index)));
    let (id2, id3, id4) = (id.clone(), id.clone(), id.clone());
    el("button")
        .class("area-pin")
        .attr("data-area", &id)
        .dyn_prop("hidden", move || pin.get().is_none().into())
        .dyn_class("labelled", move || pin.get().is_some_and(|p| p.2))
        .dyn_class("crowded", move || pin.get().is_some_and(|p| p.3))
        .dyn_class("selected", sel)
        .dyn_attr("style", move || {
            let (x, y) = pin.get().map(|p| (p.0, p.1)).unwrap_or((-999.0, -999.0));
            Some(format!("left:{x}px;top:{y}px"))
        })
        .dyn_bool_attr("aria-pressed", sel)
        .on_click(move || c.go(Page::Area { id: id2.clone() }))
        .on("mouseenter", move |_: web_sys::Event| {
            c.hovered.set(Some(id3.clone()))
        })
        .on("focus", move |_: web_sys::Event| {
            c.hovered.set(Some(id4.clone()))
        })
        .on("blur", move |_: web_sys::Event| c.hovered.set(None))
        .child(el("span").class("area-name").dyn_text(name))
}

/// A building's marker on the map, with its name.
fn place_marker(id: String, overlay: Memo<Overlay>, selected: Memo<Option<String>>) -> El {
    let c = ctx();
    let pin = {
        let id = id.clone();
        Memo::new(move |_| {
            overlay.with(|o| o.places.iter().find(|p| p.id == id).map(|p| (p.x, p.y)))
        })
    };
    let name = {
        let id = id.clone();
        move || {
            let lang = c.lang();
            c.with(|e| {
                e.place(&id)
                    .map(|p| p.name.get(lang).to_string())
                    .unwrap_or_default()
            })
        }
    };
    let is_sel = {
        let id = id.clone();
        Memo::new(move |_| selected.get().as_deref() == Some(id.as_str()))
    };
    let id2 = id.clone();
    el("button")
        .class("place-pin")
        .attr("data-place", &id)
        .dyn_class("selected", move || is_sel.get())
        .dyn_attr("style", move || {
            let (x, y) = pin.get().unwrap_or((-999.0, -999.0));
            Some(format!("left:{x}px;top:{y}px"))
        })
        .dyn_bool_attr("aria-pressed", move || is_sel.get())
        .on_click(move || c.go(Page::Place { id: id2.clone() }))
        .child(el("span").class("dot").attr("aria-hidden", "true"))
        .child(el("span").class("place-name").dyn_text(name))
}
