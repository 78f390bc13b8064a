//! The exhibit-wide timeline (`?timeline`): every dated event on a decade-scaled axis, packed
//! into lanes by the core so no two labels collide, and below it the same events grouped by
//! district and area, in date order, as buttons (Tab, or ↑ ↓, walks through them). Filters by
//! district and theme live in the link. Selecting an event opens its area on the map.

use leptos::prelude::*;
use lilong_core::model::Lang;
use lilong_core::route::Page;
use lilong_core::timeline::{self, Axis, Event};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, KeyboardEvent};

use crate::components::filters::{district_select, theme_chips};
use crate::dom::{El, Handle, el};
use crate::pages::story::fill;
use crate::state::{Ctx, ctx, tr};
use crate::timers::request_animation_frame;

/// Zoom levels of the axis, relative to the scale that fits the screen's width.
const ZOOMS: [f64; 5] = [0.7, 1.0, 1.6, 2.4, 3.6];
/// The closest the axis is ever drawn (pixels per year), so a phone scrolls rather than squeezes.
const MIN_PX_PER_YEAR: f64 = 11.0;
/// Room kept at the axis's end for the last label.
const TAIL: f64 = 220.0;
/// Width of a collapsed run of empty decades.
const BREAK: f64 = 44.0;
/// Height of one lane of marks.
const LANE: f64 = 34.0;
/// Font of the marks' labels (kept in step with `.tl-mark .label` in the stylesheet).
const MARK_FONT: &str = "600 13px system-ui, \"Noto Sans CJK SC\", \"PingFang SC\", sans-serif";

/// A mark's label: the area's name and the date (only the date on a narrow screen, where the
/// list below names the areas).
fn mark_label(e: &Event, area: &str, lang: Lang, compact: bool) -> String {
    if compact {
        e.date_label(lang)
    } else {
        format!("{area} · {}", e.date_label(lang))
    }
}

/// Measures labels with the marks' font (a throwaway canvas); a rough estimate without one.
fn measure(labels: &[String]) -> Vec<f64> {
    let ctx = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|el| el.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .and_then(|cv| cv.get_context("2d").ok().flatten())
        .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok());
    labels
        .iter()
        .map(|l| {
            let rough = 13.0 * l.chars().count() as f64;
            let w = ctx
                .as_ref()
                .and_then(|c| {
                    c.set_font(MARK_FONT);
                    c.measure_text(l).ok()
                })
                .map(|m| m.width())
                .unwrap_or(rough);
            // The label's padding and the mark's dot.
            w + 26.0
        })
        .collect()
}

/// The axis, its ticks and breaks, and the events' marks packed into lanes.
#[allow(clippy::too_many_arguments)]
fn axis_view(
    c: Ctx,
    all: &[Event],
    keys: &[String],
    factor: f64,
    room: f64,
    compact: bool,
    hot: RwSignal<Option<String>>,
    open: impl Fn(String) + Copy + 'static,
) -> Option<(El, f64)> {
    let lang = c.lang();
    let gap_title = c.t("timeline.gap");
    let shown: Vec<&Event> = all.iter().filter(|e| keys.contains(&e.key)).collect();
    if shown.is_empty() {
        return None;
    }
    // The axis is linear in its scale: measure it at one pixel per year, then fit.
    let unit = Axis::for_events(shown.iter().copied(), 1.0, 0.0);
    let gaps = unit.breaks().len() as f64 * BREAK;
    let fit = (room - TAIL - gaps) / unit.width.max(1.0);
    let ppy = (fit * factor).max(MIN_PX_PER_YEAR);
    let axis = Axis::for_events(shown.iter().copied(), ppy, BREAK);
    let (names, colours): (Vec<String>, Vec<String>) = c.with(|e| {
        shown
            .iter()
            .map(|x| {
                let name = e
                    .area(&x.area)
                    .map(|a| a.name.get(lang).to_string())
                    .unwrap_or_default();
                let colour = x
                    .theme
                    .as_deref()
                    .and_then(|t| e.theme(t))
                    .map(|t| t.color.clone())
                    .unwrap_or_else(|| "#7a6a58".to_string());
                (name, colour)
            })
            .unzip()
    });
    let labels: Vec<String> = shown
        .iter()
        .zip(&names)
        .map(|(e, n)| mark_label(e, n, lang, compact))
        .collect();
    let widths = measure(&labels);
    let (placed, lanes) = timeline::layout(
        &shown,
        &axis,
        |e| {
            shown
                .iter()
                .position(|s| s.key == e.key)
                .and_then(|i| widths.get(i))
                .copied()
                .unwrap_or(0.0)
        },
        8.0,
    );
    let height = lanes as f64 * LANE + 8.0;
    let latest = placed.iter().map(|p| p.x0).fold(0.0, f64::max);
    let marks = placed.into_iter().map(|p| {
        let e = shown[p.index];
        let key = e.key.clone();
        let area = e.area.clone();
        let span = (p.x1 - p.x0).max(6.0);
        el("button")
            .class(if e.approximate {
                "tl-mark approximate"
            } else {
                "tl-mark"
            })
            .attr("tabindex", "-1")
            .attr("aria-hidden", "true")
            .attr("data-key", &e.key)
            .attr(
                "style",
                &format!(
                    "left:{:.1}px;top:{:.1}px;--c:{}",
                    p.x0,
                    p.lane as f64 * LANE,
                    colours[p.index]
                ),
            )
            .dyn_class("hot", move || {
                hot.with(|h| h.as_deref() == Some(key.as_str()))
            })
            .on_click(move || open(area.clone()))
            .child(
                el("span")
                    .class("bar")
                    .attr("style", &format!("width:{span:.1}px")),
            )
            .child(el("span").class("label").text(&labels[p.index]))
    });
    let ticks = axis.ticks().into_iter().map(|t| {
        el("span")
            .class(if t.major { "tl-tick major" } else { "tl-tick" })
            .attr("style", &format!("left:{:.1}px", t.x))
            .maybe(
                t.labelled
                    .then(|| el("span").class("tick-label").text(&t.year.to_string())),
            )
    });
    let breaks = axis.breaks().into_iter().map(|(a, b)| {
        el("span")
            .class("tl-break")
            .attr("title", &gap_title)
            .attr("style", &format!("left:{a:.1}px;width:{:.1}px", b - a))
    });
    Some((
        el("div")
            .class("tl-canvas")
            .attr("style", &format!("width:{:.0}px", axis.width + TAIL))
            .child(
                el("div")
                    .class("tl-marks")
                    .attr("style", &format!("height:{height:.0}px"))
                    .children(marks),
            )
            .child(el("div").class("tl-axis").children(ticks).children(breaks)),
        latest,
    ))
}

/// The list: district → area → events, in order.
fn list_view(
    c: Ctx,
    all: &[Event],
    keys: &[String],
    hot: RwSignal<Option<String>>,
    open: impl Fn(String) + Copy + 'static,
) -> Vec<El> {
    let lang = c.lang();
    let show_on_map = c.t("timeline.show_area");
    let concerning = c.t("timeline.places");
    let shown: Vec<&Event> = all.iter().filter(|e| keys.contains(&e.key)).collect();
    let groups = timeline::group(&shown);
    c.with(|e| {
        groups
            .into_iter()
            .map(|g| {
                let dname = e
                    .district(&g.district)
                    .map(|d| d.name.get(lang).to_string())
                    .unwrap_or_default();
                let areas = g.areas.into_iter().map(|a| {
                    let aname = e
                        .area(&a.area)
                        .map(|x| x.name.get(lang).to_string())
                        .unwrap_or_default();
                    let area_id = a.area.clone();
                    let items = a.events.into_iter().map(|x| {
                        let project = x
                            .project
                            .as_deref()
                            .and_then(|p| e.project(p))
                            .map(|p| p.title.get(lang).to_string());
                        let places: Vec<String> = x
                            .places
                            .iter()
                            .filter_map(|p| e.place(p))
                            .map(|p| p.name.get(lang).to_string())
                            .collect();
                        let theme = x
                            .theme
                            .as_deref()
                            .and_then(|t| e.theme(t))
                            .map(|t| (t.name.get(lang).to_string(), t.color.clone()));
                        let area = x.area.clone();
                        let (k1, k2) = (x.key.clone(), x.key.clone());
                        let meta = project.map(|p| {
                            el("span")
                                .class("tl-meta")
                                .maybe(theme.map(|(n, col)| {
                                    el("span")
                                        .class("swatch")
                                        .attr("style", &format!("background:{col}"))
                                        .attr("title", &n)
                                }))
                                .text(&p)
                        });
                        let places_line = (!places.is_empty()).then(|| {
                            el("span")
                                .class("tl-places")
                                .text(&format!("{concerning}{}", places.join(" · ")))
                        });
                        let iso = x.date.iso();
                        el("li").child(
                            el("button")
                                .class(if x.approximate {
                                    "tl-event approximate"
                                } else {
                                    "tl-event"
                                })
                                .attr("data-key", &x.key)
                                .attr("data-date", &iso)
                                .attr("data-area", &x.area)
                                .attr("data-district", &x.district)
                                .on_click(move || open(area.clone()))
                                .on("mouseenter", move |_: web_sys::Event| {
                                    hot.set(Some(k1.clone()))
                                })
                                .on("mouseleave", move |_: web_sys::Event| hot.set(None))
                                .on("focus", move |_: web_sys::Event| hot.set(Some(k2.clone())))
                                .on("blur", move |_: web_sys::Event| hot.set(None))
                                .child(
                                    el("time")
                                        .class("tl-when")
                                        .attr("datetime", &iso)
                                        .text(&x.date_label(lang)),
                                )
                                .child(el("span").class("tl-what").text(x.text.get(lang)))
                                .maybe(meta)
                                .maybe(places_line),
                        )
                    });
                    el("section")
                        .class("tl-area")
                        .child(
                            el("div")
                                .class("tl-area-head")
                                .child(el("h3").text(&aname))
                                .child(
                                    el("button")
                                        .class("inline-link")
                                        .text(&show_on_map)
                                        .on_click(move || open(area_id.clone())),
                                ),
                        )
                        .child(el("ol").class("tl-events").children(items))
                });
                el("section")
                    .class("tl-district")
                    .attr("data-district", &g.district)
                    .child(el("h2").text(&dname))
                    .children(areas)
            })
            .collect()
    })
}

/// ↑ ↓ (and Home/End) move between the list's events, in order.
fn list_key(root: &web_sys::Element, ev: &web_sys::KeyboardEvent) {
    let key = ev.key();
    if !matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Home" | "End") {
        return;
    }
    // querySelectorAll through js-sys (the app's web-sys has no NodeList).
    let nodes = js_sys::Reflect::get(root, &"querySelectorAll".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(root, &".tl-event".into()).ok());
    let Some(nodes) = nodes else { return };
    let buttons: Vec<web_sys::HtmlElement> = js_sys::Array::from(&nodes)
        .iter()
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    if buttons.is_empty() {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = active.and_then(|a| {
        buttons
            .iter()
            .position(|b| AsRef::<web_sys::Element>::as_ref(b) == &a)
    });
    let to = match (key.as_str(), at) {
        ("Home", _) => 0,
        ("End", _) => buttons.len() - 1,
        ("ArrowDown", Some(i)) => (i + 1).min(buttons.len() - 1),
        ("ArrowUp", Some(i)) => i.saturating_sub(1),
        _ => 0,
    };
    ev.prevent_default();
    let _ = buttons[to].focus();
}

pub fn timeline_page() -> El {
    let c = ctx();
    Effect::new(move |_| c.ready.set(true));
    let all = StoredValue::new(c.events());
    let zoom = RwSignal::new(1usize);
    // The width the axis has on this screen (the page's padding and the card's taken off).
    let room = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .map(|w| if w <= 720.0 { w - 60.0 } else { w - 140.0 })
        .unwrap_or(1200.0);
    let compact = room < 700.0;
    let hot = RwSignal::new(None::<String>);
    let filters = Memo::new(move |_| c.route.with(|r| r.filters.clone()));
    let shown_keys = Memo::new(move |_| {
        let f = filters.get();
        all.with_value(|ev| {
            timeline::filter(ev, &f)
                .into_iter()
                .map(|e| e.key.clone())
                .collect::<Vec<_>>()
        })
    });
    let open = move |area: String| c.go(Page::Area { id: area });

    // Filters.
    let districts = move || {
        let lang = c.lang();
        c.with(|e| {
            all.with_value(|ev| {
                e.districts
                    .iter()
                    .filter(|d| ev.iter().any(|x| x.district == d.id))
                    .map(|d| (d.id.clone(), d.name.get(lang).to_string()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let themes = move || {
        let lang = c.lang();
        c.with(|e| {
            all.with_value(|ev| {
                e.settings
                    .themes
                    .iter()
                    .filter(|t| ev.iter().any(|x| x.theme.as_ref() == Some(&t.id)))
                    .map(|t| (t.id.clone(), t.name.get(lang).to_string(), t.color.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let clear = move || {
        let mut r = c.route.get_untracked();
        r.filters.district = None;
        r.filters.theme = None;
        c.replace(r);
    };
    let filtered = move || filters.with(|f| f.district.is_some() || f.theme.is_some());

    let head = el("header")
        .class("tl-head")
        .child(
            el("div")
                .class("tl-titles")
                .child(el("h2").class("tl-title").dyn_text(tr("timeline.title")))
                .child(el("p").class("tl-intro").dyn_text(tr("timeline.intro"))),
        )
        .child(
            el("div")
                .class("tl-filters")
                .child(district_select(c, Some("tl-district-filter"), districts))
                .child(theme_chips(c, themes))
                .child(
                    el("div")
                        .class("tl-filter-foot")
                        .child(
                            el("p")
                                .class("tl-count")
                                .attr("aria-live", "polite")
                                .dyn_text(move || {
                                    let n = shown_keys.with(|k| k.len());
                                    fill(c.t("timeline.count"), &[("n", n.to_string())])
                                }),
                        )
                        .child(
                            el("button")
                                .class("tl-clear")
                                .dyn_prop("hidden", move || (!filtered()).into())
                                .on_click(clear)
                                .dyn_text(tr("timeline.clear")),
                        ),
                ),
        );

    // The axis, scrolled sideways; where its latest mark starts.
    let latest = std::rc::Rc::new(std::cell::Cell::new(0.0));
    let l = latest.clone();
    let scroll_el = Handle::<web_sys::Element>::new();
    let scroller = el("div")
        .class("tl-scroll")
        .bind(scroll_el)
        .dyn_children(move || {
            let factor = ZOOMS[zoom.get().min(ZOOMS.len() - 1)];
            let keys = shown_keys.get();
            let axis =
                all.with_value(|ev| axis_view(c, ev, &keys, factor, room, compact, hot, open));
            axis.map(|(view, x)| {
                l.set(x);
                view
            })
            .into_iter()
            .collect()
        });
    // A narrow screen shows the axis's recent end first, where most events are: the latest
    // mark a third of the way in, the ones before it to its left.
    Effect::new(move |_| {
        shown_keys.track();
        zoom.track();
        if compact && let Some(el) = scroll_el.get_untracked() {
            let latest = latest.clone();
            request_animation_frame(move || {
                let to = latest.get() - el.client_width() as f64 / 3.0;
                el.set_scroll_left(to.max(0.0) as i32);
            });
        }
    });
    let zoom_button = |text: &str| el("button").class("map-btn").text(text);
    let axis = el("section")
        .class("tl-axis-wrap")
        .dyn_attr("aria-label", tr("timeline.axis"))
        .child(
            el("div")
                .class("tl-zoom")
                .attr("role", "group")
                .dyn_attr("aria-label", tr("timeline.zoom"))
                .child(
                    zoom_button("−")
                        .dyn_attr("aria-label", tr("timeline.zoom_out"))
                        .dyn_prop("disabled", move || (zoom.get() == 0).into())
                        .on_click(move || zoom.update(|z| *z = z.saturating_sub(1))),
                )
                .child(
                    zoom_button("+")
                        .dyn_attr("aria-label", tr("timeline.zoom_in"))
                        .dyn_prop("disabled", move || (zoom.get() + 1 >= ZOOMS.len()).into())
                        .on_click(move || zoom.update(|z| *z = (*z + 1).min(ZOOMS.len() - 1))),
                ),
        )
        .child(scroller);

    let list = el("div")
        .class("tl-list")
        .attr("role", "region")
        .dyn_attr("aria-label", tr("timeline.list"))
        .on("keydown", move |ev: KeyboardEvent| {
            if let Some(root) = ev.current_target() {
                list_key(root.unchecked_ref(), &ev);
            }
        })
        .dyn_children(move || {
            let keys = shown_keys.get();
            let empty = keys
                .is_empty()
                .then(|| el("p").class("tl-empty").text(&c.t("timeline.empty")));
            empty
                .into_iter()
                .chain(all.with_value(|ev| list_view(c, ev, &keys, hot, open)))
                .collect()
        });

    el("div")
        .class("timeline-page")
        // The skip link's target (`#content`), as on every page.
        .attr("id", "content")
        .attr("tabindex", "-1")
        .child(head)
        .child(axis)
        .child(list)
}
