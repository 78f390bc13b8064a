//! The accessible overlay's layout: where the buttons over the canvas go for the picture on
//! screen (area names at their label points, building markers), which names show, and the
//! district names under them. One label pass places every name shown on the map: markers
//! and the panel are kept clear of, and a new kind of label joins the pass as a new
//! [`Label`] kind. The arithmetic is `lilong_core::geometry::{overlay, label_pass, markers}`.

use std::collections::HashMap;

use leptos::prelude::*;
use lilong_core::geometry::framing::Inset;
use lilong_core::geometry::label_pass::{LabelPass, area_candidates};
use lilong_core::geometry::overlay::{self as area_layout, AreaPin};
use lilong_core::geometry::scene::LABEL_GAP;
use lilong_core::geometry::{LabelSize, PlacedLabel, Viewport, markers};
use lilong_core::model::Lang;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::controller::{Map, MapCtl};
use super::streets::{self, StreetName};

/// The kinds of label the map's one pass places, most important first.
#[derive(Clone, Copy, PartialEq)]
enum Label {
    Area,
    Street,
}

#[derive(Clone, PartialEq)]
pub struct PlacePin {
    pub id: String,
    pub x: f64,
    pub y: f64,
}

/// Where the accessible layer's buttons go for the current view.
#[derive(Clone, PartialEq, Default)]
pub struct Overlay {
    /// Area buttons, in reading (Tab) order.
    pub areas: Vec<AreaPin>,
    pub places: Vec<PlacePin>,
    /// Position of each area's pin in `areas` by area id, so each button finds its own in
    /// constant time.
    pub at: HashMap<String, usize>,
    /// Street names shown (close in only).
    pub streets: Vec<StreetName>,
}

/// Label sizes, measured when a name is first to be placed and kept for the language: at
/// city scale only a few names are placed at a time, and measuring all 6,509 would cost tens
/// of milliseconds before the first frame.
type SizeCache = StoredValue<(Option<Lang>, HashMap<usize, LabelSize>), LocalStorage>;

/// The overlay's layout, following the picture on screen (and, in a small exhibit, the
/// selection and hover; and the panel opening or closing).
pub fn layout(map: Map) -> Memo<Overlay> {
    let cache: SizeCache = StoredValue::new_local((None, HashMap::new()));
    // The panel opening or closing lays the labels out again once the tap's answer is on
    // screen (not in the frame that answers it), so no name is left under the panel.
    let panel_moved = RwSignal::new(0u32);
    Effect::new(move |prev: Option<(f64, f64)>| {
        let Some(now) = map.get().map(|m| m.inset.get()) else {
            return prev.unwrap_or_default();
        };
        if prev.is_some_and(|p| p != now) {
            crate::state::after_paint(move || {
                panel_moved.try_update(|n| *n = n.wrapping_add(1));
            });
        }
        now
    });
    Memo::new(move |_| {
        let Some(m) = map.get() else {
            return Overlay::default();
        };
        let Some(vp) = m.shown_view.get() else {
            return Overlay::default();
        };
        panel_moved.track();
        let lang = m.c.lang();
        // A small exhibit re-lays out the layer on every selection and hover. At city scale
        // the layout follows the committed view only: a selection flies there and the layout
        // is made once on arrival; hover shows on the highlight layer.
        let few = area_layout::is_few(&m.model.areas);
        let sel = if few {
            m.selected.get()
        } else {
            m.selected.get_untracked()
        };
        let hov = if few { m.hovered.get() } else { None };
        lay_out(&m, cache, vp, lang, sel, hov)
    })
}

fn lay_out(
    m: &MapCtl,
    cache: SizeCache,
    vp: Viewport,
    lang: Lang,
    sel: Option<usize>,
    hov: Option<usize>,
) -> Overlay {
    let model = &m.model;
    // The areas in view, found once for the labels, their sizes and the pins.
    let visible = model.areas.visible(&vp);
    let shown_markers = markers::in_view(
        &vp,
        model.places.iter().map(|(_, w, area)| {
            (
                *w,
                area.and_then(|i| model.areas.bbox(i)).map(|b| b.width()),
            )
        }),
    );
    // Names keep clear of the building markers, and of the panel over the map.
    let mut pass = LabelPass::new(vp.width, vp.height, LABEL_GAP);
    for mk in &shown_markers {
        pass.avoid(mk.clearance());
    }
    let (right, bottom) = m.inset.get_untracked();
    if let Some(covered) = (Inset { right, bottom }).covered(vp.width, vp.height) {
        pass.avoid(covered);
    }
    let priority = area_layout::label_priority(&model.areas, &visible, sel, hov);
    let wanted = area_layout::to_measure(&model.areas, &vp, &visible, &priority);
    let sizes = sizes_for(m, cache, lang, &wanted);
    pass.offer(
        Label::Area,
        area_candidates(&model.areas, &vp, &sizes, &priority),
    );
    let (street_cands, street_names) = streets::candidates(model, &vp, lang, &mut street_measure());
    pass.offer(Label::Street, street_cands);
    let placed = pass.place();
    let streets = placed
        .iter()
        .filter(|(kind, _)| *kind == Label::Street)
        .filter_map(|(_, l)| street_names.get(l.index).cloned())
        .collect();
    let area_labels: Vec<PlacedLabel> = placed
        .iter()
        .filter(|(kind, _)| *kind == Label::Area)
        .map(|(_, l)| *l)
        .collect();
    let areas = area_layout::lay_out(
        &model.areas,
        &vp,
        &visible,
        &area_labels,
        &shown_markers,
        &sizes,
        sel,
    );
    let at = areas
        .iter()
        .enumerate()
        .map(|(k, a)| (model.area_ids[a.index].clone(), k))
        .collect();
    let places = shown_markers
        .iter()
        .map(|mk| PlacePin {
            id: model.places[mk.k].0.clone(),
            x: mk.x,
            y: mk.y,
        })
        .collect();
    Overlay {
        areas,
        places,
        at,
        streets,
    }
}

/// The label size of every area (`n` of them), measured for those `wanted`; a name not
/// measured is taken as too large to place anywhere.
fn sizes_for(m: &MapCtl, cache: SizeCache, lang: Lang, wanted: &[usize]) -> Vec<LabelSize> {
    cache.update_value(|(for_lang, cache)| {
        if *for_lang != Some(lang) {
            cache.clear();
            *for_lang = Some(lang);
        }
        let missing: Vec<usize> = wanted
            .iter()
            .copied()
            .filter(|i| !cache.contains_key(i))
            .collect();
        if !missing.is_empty() {
            let names: Vec<String> = m.c.with(|e| {
                missing
                    .iter()
                    .map(|&i| {
                        m.model
                            .area_ids
                            .get(i)
                            .and_then(|id| e.area(id))
                            .map(|a| a.name.get(lang).to_string())
                            .unwrap_or_default()
                    })
                    .collect()
            });
            cache.extend(missing.into_iter().zip(measure_labels(&names)));
        }
    });
    cache.with_value(|(_, cache)| {
        let mut sizes = vec![
            LabelSize {
                width: f64::INFINITY,
                height: f64::INFINITY
            };
            m.model.areas.len()
        ];
        for &i in wanted {
            if let (Some(s), Some(slot)) = (cache.get(&i), sizes.get_mut(i)) {
                *slot = *s;
            }
        }
        sizes
    })
}

/// District names: a quiet layer under everything, only where a district is large on screen.
pub fn district_labels(map: Map) -> Memo<Vec<(String, f64, f64)>> {
    Memo::new(move |_| {
        let Some(m) = map.get() else {
            return Vec::new();
        };
        let Some(vp) = m.shown_view.get() else {
            return Vec::new();
        };
        let lang = m.c.lang();
        let model = &m.model;
        let names: Vec<String> = m.c.with(|e| {
            model
                .district_ids
                .iter()
                .map(|id| {
                    e.district(id)
                        .map(|d| d.name.get(lang).to_string())
                        .unwrap_or_default()
                })
                .collect()
        });
        let sizes: Vec<LabelSize> = names
            .iter()
            .map(|n| LabelSize {
                width: 17.0 * n.chars().count() as f64 + 12.0,
                height: 24.0,
            })
            .collect();
        model
            .districts
            .labels(&vp, &sizes, &[])
            .into_iter()
            .filter(|l| {
                model
                    .districts
                    .bbox(l.index)
                    .is_some_and(|b| b.width() * vp.scale > 240.0)
            })
            .map(|l| (names[l.index].clone(), l.x.round(), l.y.round()))
            .collect::<Vec<_>>()
    })
}

/// A throwaway canvas to measure text with.
fn measuring_context() -> Option<CanvasRenderingContext2d> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|el| el.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .and_then(|cv| cv.get_context("2d").ok().flatten())
        .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// Measures a street name's width (px) in the street label font (`.street-label` in the
/// stylesheet).
fn street_measure() -> impl FnMut(&str) -> f64 {
    let ctx = measuring_context();
    if let Some(ctx) = &ctx {
        ctx.set_font("500 12px system-ui, \"Noto Sans CJK SC\", \"PingFang SC\", sans-serif");
    }
    move |text: &str| match &ctx {
        Some(ctx) => ctx
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(7.0 * text.chars().count() as f64),
        None => 7.0 * text.chars().count() as f64,
    }
}

/// Measures each name's label box with the page's label font (a throwaway canvas).
fn measure_labels(names: &[String]) -> Vec<LabelSize> {
    let ctx = measuring_context();
    let Some(ctx) = ctx else {
        return names
            .iter()
            .map(|n| LabelSize {
                width: 9.0 * n.chars().count() as f64 + 16.0,
                height: 26.0,
            })
            .collect();
    };
    ctx.set_font("600 15px system-ui, \"Noto Sans CJK SC\", \"PingFang SC\", sans-serif");
    names
        .iter()
        .map(|n| {
            let w = ctx
                .measure_text(n)
                .map(|m| m.width())
                .unwrap_or(9.0 * n.chars().count() as f64);
            LabelSize {
                width: w + 16.0,
                height: 26.0,
            }
        })
        .collect()
}
