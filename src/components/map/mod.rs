//! The map: a canvas painted from the prepared [`MapModel`], under an accessible layer of
//! real buttons (area names at their label points, building markers), with map controls,
//! scale bar, north arrow and attribution.
//!
//! Pan and zoom never rebuild the drawing on every pointer move: during a gesture (drag,
//! pinch, wheel) only a CSS transform moves the painted layer; when the gesture ends the view
//! is committed and painted once.
//!
//! The parts, each with one job, share one controller ([`controller::Map`]):
//! - `schedule` — when which layer is painted (the base in slices off screen, then the
//!   highlight, then the accessible layer's layout);
//! - `gestures` — pointer, wheel and keys into changes of view, and the map's size;
//! - `flight` — animated moves to a new view;
//! - `overlay` — where the accessible layer's buttons and the names go;
//! - `pins` — the buttons themselves.

mod controller;
mod flight;
mod gestures;
mod overlay;
mod pins;
mod schedule;
mod streets;

use std::rc::Rc;

use leptos::prelude::*;
use lilong_core::geometry::Viewport;

use crate::dom::{El, Handle, el};
use crate::draw::MapModel;
use crate::state::{ctx, tr};
use controller::{Map, MapCtl, Parts};
use gestures::ZOOM_STEP;

/// The map: the painted canvas, the accessible layer of buttons over it, and the controls.
pub fn map_view(
    // Prepared geometry.
    model: Rc<MapModel>,
    // Areas shown at full strength (filters).
    active: Signal<Vec<bool>>,
    // Colour by theme instead of by subdistrict.
    by_theme: Signal<bool>,
    // Space (px) the side panel covers on the right and at the bottom, so fly-to centres in
    // what is visible.
    inset: Signal<(f64, f64)>,
    // The area to select and fly to (from the route, or a story chapter's focus).
    focus_area: Signal<Option<String>>,
    // The building or place to select and fly to.
    focus_place: Signal<Option<String>>,
) -> El {
    let c = ctx();
    let parts = Parts {
        container: Handle::new(),
        layer: Handle::new(),
        canvas: Handle::new(),
        highlight: Handle::new(),
        overlay: Handle::new(),
    };
    let container_el = el("div").bind(parts.container);
    let layer_el = el("div").bind(parts.layer);
    let canvas_el = el("canvas").bind(parts.canvas);
    let highlight_el = el("canvas").bind(parts.highlight);
    let overlay_el = el("div").bind(parts.overlay);
    let model_sv = StoredValue::new_local(model.clone());
    let selected = Memo::new(move |_| {
        let area = focus_area.get().or_else(|| {
            focus_place
                .get()
                .and_then(|p| c.with(|e| e.place(&p).map(|p| p.area.clone())))
        });
        area.and_then(|a| model_sv.with_value(|m| m.area_index(&a)))
    });
    let hovered = Memo::new(move |_| {
        c.hovered
            .get()
            .and_then(|id| model_sv.with_value(|m| m.area_index(&id)))
    });
    let map = Map::new(MapCtl {
        c,
        model,
        parts,
        active,
        by_theme,
        inset,
        selected,
        selected_place: Memo::new(move |_| focus_place.get()),
        hovered,
        view: RwSignal::new(None::<Viewport>),
        shown_view: RwSignal::new(None::<Viewport>),
        size: RwSignal::new((0.0, 0.0)),
        painting: Default::default(),
        gesture: Default::default(),
        flight: Default::default(),
        origin: Default::default(),
    });
    schedule::start(map);
    gestures::follow_size(map);
    map.follow_selection();

    let overlay = overlay::layout(map);
    let street_names = el("div")
        .class("street-labels")
        .attr("aria-hidden", "true")
        .dyn_children(move || {
            overlay.with(|o| {
                o.streets
                    .iter()
                    .map(|s| {
                        el("span")
                            .class("street-label")
                            .attr(
                                "style",
                                &format!(
                                    "left:{}px;top:{}px;transform:translate(-50%,-50%) rotate({}deg)",
                                    s.x, s.y, s.angle
                                ),
                            )
                            .text(&s.text)
                    })
                    .collect()
            })
        });
    let attribution = model_sv.with_value(|m| m.base.attribution.clone());
    let district_labels = overlay::district_labels(map);
    let district_names = el("div")
        .class("district-labels")
        .attr("aria-hidden", "true")
        .dyn_children(move || {
            district_labels
                .get()
                .into_iter()
                .map(|(name, x, y)| {
                    el("span")
                        .class("district-label")
                        .attr("style", &format!("left:{x}px;top:{y}px"))
                        .text(&name)
                })
                .collect()
        });
    gestures::listen(container_el, map)
        .class("map")
        .attr("tabindex", "0")
        .attr("role", "application")
        // The committed view (set when a flight lands): centre x, y (world metres) and scale.
        .dyn_attr("data-view", move || {
            map.get().and_then(|m| m.view.get()).map(|v| {
                format!(
                    "{:.0},{:.0},{:.5}",
                    v.center_world.x, v.center_world.y, v.scale
                )
            })
        })
        .dyn_attr("aria-roledescription", tr("map.role"))
        .dyn_attr("aria-label", tr("map.label"))
        .child(
            layer_el
                .class("map-layer")
                .attr("style", "will-change: transform")
                .child(canvas_el.class("map-canvas").attr("aria-hidden", "true"))
                .child(
                    highlight_el
                        .class("map-canvas map-highlight")
                        .attr("aria-hidden", "true"),
                ),
        )
        .child(
            overlay_el
                .class("map-overlay")
                .child(district_names)
                .child(street_names)
                .child(pins::pins(map, overlay)),
        )
        .child(
            el("div")
                .class("map-attribution")
                .text(&attribution.unwrap_or_default()),
        )
        .child(controls(map))
        .child(
            el("div")
                .class("map-north")
                .attr("aria-hidden", "true")
                .dyn_attr("title", tr("map.north"))
                .child(el("span").class("arrow").text("▲"))
                .child(el("span").text("N")),
        )
        .dyn_child(scale_bar(map))
}

/// Zoom in, zoom out, and back home.
fn controls(map: Map) -> El {
    let control = move |key: &'static str| {
        el("button")
            .class("map-btn")
            .dyn_attr("aria-label", tr(key))
    };
    el("div")
        .class("map-controls")
        .attr("role", "group")
        .dyn_attr("aria-label", tr("map.controls"))
        .child(
            control("map.zoom_in")
                .on("click", move |_: web_sys::Event| {
                    map.zoom_by(ZOOM_STEP, None)
                })
                .text("+"),
        )
        .child(
            control("map.zoom_out")
                .on("click", move |_: web_sys::Event| {
                    map.zoom_by(1.0 / ZOOM_STEP, None)
                })
                .text("−"),
        )
        .child(
            control("map.reset")
                .on("click", move |_: web_sys::Event| map.reset())
                .child(el("span").attr("aria-hidden", "true").text("⌂")),
        )
}

/// The scale bar for the committed view.
fn scale_bar(map: Map) -> impl Fn() -> Option<El> + 'static {
    let c = ctx();
    let bar = Memo::new(move |_| {
        map.get()
            .and_then(|m| m.view.get())
            .map(|v| v.scale_bar(120.0))
    });
    move || {
        bar.get().map(|b| {
            let label = if b.metres >= 1000.0 {
                format!("{} km", b.metres / 1000.0)
            } else {
                format!("{} m", b.metres)
            };
            el("div")
                .class("map-scale")
                .attr("aria-label", &format!("{} {}", c.t("map.scale"), label))
                .child(
                    el("div")
                        .class("bar")
                        .attr("style", &format!("width:{}px", b.px.round())),
                )
                .child(el("span").text(&label))
        })
    }
}
