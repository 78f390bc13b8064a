//! The exhibit-wide timeline (`?timeline`): every dated event on a decade-scaled axis, packed
//! into lanes by the core so no two labels collide, and below it the same events grouped by
//! district and area, in date order, as buttons (Tab, or ↑ ↓, walks through them). Filters by
//! district and theme live in the link. Selecting an event opens its area on the map.

use leptos::html::Div;
use leptos::prelude::*;
use lilong_core::model::Lang;
use lilong_core::route::Page;
use lilong_core::timeline::{self, Axis, Event};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use crate::pages::story::fill;
use crate::state::ctx;

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

#[component]
pub fn TimelinePage() -> impl IntoView {
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
    let scroller = NodeRef::<Div>::new();
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
    let set_district = move |v: String| {
        let mut r = c.route.get_untracked();
        r.filters.district = (!v.is_empty()).then_some(v);
        c.replace(r);
    };
    let set_theme = move |v: Option<String>| {
        let mut r = c.route.get_untracked();
        r.filters.theme = v;
        c.replace(r);
    };
    let clear = move |_| {
        let mut r = c.route.get_untracked();
        r.filters.district = None;
        r.filters.theme = None;
        c.replace(r);
    };
    let filtered = move || filters.with(|f| f.district.is_some() || f.theme.is_some());

    // The axis and its marks.
    let axis_view = move || {
        let lang = c.lang();
        let factor = ZOOMS[zoom.get().min(ZOOMS.len() - 1)];
        let keys = shown_keys.get();
        let gap_title = c.t("timeline.gap");
        all.with_value(|ev| {
            let shown: Vec<&Event> = ev.iter().filter(|e| keys.contains(&e.key)).collect();
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
                        let name = e.area(&x.area).map(|a| a.name.get(lang).to_string()).unwrap_or_default();
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
            let labels: Vec<String> = shown.iter().zip(&names).map(|(e, n)| mark_label(e, n, lang, compact)).collect();
            let widths = measure(&labels);
            let (placed, lanes) = timeline::layout(
                &shown,
                &axis,
                |e| shown.iter().position(|s| s.key == e.key).and_then(|i| widths.get(i)).copied().unwrap_or(0.0),
                8.0,
            );
            let height = lanes as f64 * LANE + 8.0;
            let marks = placed
                .into_iter()
                .map(|p| {
                    let e = shown[p.index];
                    let (key, key2, area) = (e.key.clone(), e.key.clone(), e.area.clone());
                    let label = labels[p.index].clone();
                    let colour = colours[p.index].clone();
                    let span = (p.x1 - p.x0).max(6.0);
                    view! {
                        <button
                            class="tl-mark"
                            class:approximate=e.approximate
                            class:hot=move || hot.get().as_deref() == Some(key.as_str())
                            tabindex="-1"
                            aria-hidden="true"
                            data-key=key2
                            style=format!("left:{:.1}px;top:{:.1}px;--c:{colour}", p.x0, p.lane as f64 * LANE)
                            on:click=move |_| open(area.clone())
                        >
                            <span class="bar" style:width=format!("{span:.1}px")></span>
                            <span class="label">{label}</span>
                        </button>
                    }
                })
                .collect_view();
            let ticks = axis
                .ticks()
                .into_iter()
                .map(|t| {
                    let text = t.year.to_string();
                    view! {
                        <span class="tl-tick" class:major=t.major style:left=format!("{:.1}px", t.x)>
                            {t.labelled.then(|| view! { <span class="tick-label">{text}</span> })}
                        </span>
                    }
                })
                .collect_view();
            let breaks = axis
                .breaks()
                .into_iter()
                .map(|(a, b)| {
                    view! {
                        <span class="tl-break" title=gap_title.clone() style:left=format!("{a:.1}px") style:width=format!("{:.1}px", b - a)></span>
                    }
                })
                .collect_view();
            let width = axis.width + TAIL;
            Some(view! {
                <div class="tl-canvas" style:width=format!("{width:.0}px")>
                    <div class="tl-marks" style:height=format!("{height:.0}px")>{marks}</div>
                    <div class="tl-axis">{ticks}{breaks}</div>
                </div>
            })
        })
    };

    // The list: district → area → events, in order.
    let list_ref = NodeRef::<Div>::new();
    let list_view = move || {
        let lang = c.lang();
        let keys = shown_keys.get();
        let show_on_map = c.t("timeline.show_area");
        let concerning = c.t("timeline.places");
        all.with_value(|ev| {
            let shown: Vec<&Event> = ev.iter().filter(|e| keys.contains(&e.key)).collect();
            let groups = timeline::group(&shown);
            c.with(|e| {
                groups
                    .into_iter()
                    .map(|g| {
                        let dname = e.district(&g.district).map(|d| d.name.get(lang).to_string()).unwrap_or_default();
                        let areas = g
                            .areas
                            .into_iter()
                            .map(|a| {
                                let aname = e.area(&a.area).map(|x| x.name.get(lang).to_string()).unwrap_or_default();
                                let area_id = a.area.clone();
                                let items = a
                                    .events
                                    .into_iter()
                                    .map(|x| {
                                        let project = x.project.as_deref().and_then(|p| e.project(p)).map(|p| p.title.get(lang).to_string());
                                        let places: Vec<String> = x.places.iter().filter_map(|p| e.place(p)).map(|p| p.name.get(lang).to_string()).collect();
                                        let theme = x.theme.as_deref().and_then(|t| e.theme(t)).map(|t| (t.name.get(lang).to_string(), t.color.clone()));
                                        let area = x.area.clone();
                                        let (k1, k2, k3) = (x.key.clone(), x.key.clone(), x.key.clone());
                                        let meta = project.map(|p| (p, theme.clone()));
                                        let places_line = (!places.is_empty()).then(|| format!("{concerning}{}", places.join(" · ")));
                                        view! {
                                            <li>
                                                <button
                                                    class="tl-event"
                                                    class:approximate=x.approximate
                                                    data-key=k1
                                                    data-date=x.date.iso()
                                                    data-area=x.area.clone()
                                                    data-district=x.district.clone()
                                                    on:click=move |_| open(area.clone())
                                                    on:mouseenter=move |_| hot.set(Some(k2.clone()))
                                                    on:mouseleave=move |_| hot.set(None)
                                                    on:focus=move |_| hot.set(Some(k3.clone()))
                                                    on:blur=move |_| hot.set(None)
                                                >
                                                    <time class="tl-when" datetime=x.date.iso()>{x.date_label(lang)}</time>
                                                    <span class="tl-what">{x.text.get(lang).to_string()}</span>
                                                    {meta.map(|(p, th)| view! {
                                                        <span class="tl-meta">
                                                            {th.map(|(n, col)| view! { <span class="swatch" style:background=col title=n></span> })}
                                                            {p}
                                                        </span>
                                                    })}
                                                    {places_line.map(|l| view! { <span class="tl-places">{l}</span> })}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view();
                                let label = show_on_map.clone();
                                view! {
                                    <section class="tl-area">
                                        <div class="tl-area-head">
                                            <h3>{aname}</h3>
                                            <button class="inline-link" on:click=move |_| open(area_id.clone())>{label}</button>
                                        </div>
                                        <ol class="tl-events">{items}</ol>
                                    </section>
                                }
                            })
                            .collect_view();
                        view! {
                            <section class="tl-district" data-district=g.district.clone()>
                                <h2>{dname}</h2>
                                {areas}
                            </section>
                        }
                    })
                    .collect_view()
            })
        })
    };
    // ↑ ↓ (and Home/End) move between events, in order.
    let on_list_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if !matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Home" | "End") {
            return;
        }
        let Some(root) = list_ref.get_untracked() else {
            return;
        };
        // querySelectorAll through js-sys (the app's web-sys has no NodeList).
        let nodes = js_sys::Reflect::get(&root, &"querySelectorAll".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call1(&root, &".tl-event".into()).ok());
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
    };

    // A narrow screen shows the axis's recent end first, where most events are.
    Effect::new(move |_| {
        shown_keys.track();
        zoom.track();
        if compact {
            request_animation_frame(move || {
                if let Some(el) = scroller.get_untracked() {
                    el.set_scroll_left(el.scroll_width());
                }
            });
        }
    });

    let count_text = move || {
        let n = shown_keys.with(|k| k.len());
        fill(c.t("timeline.count"), &[("n", n.to_string())])
    };

    view! {
        <div class="timeline-page">
            <header class="tl-head">
                <div class="tl-titles">
                    <h2 class="tl-title">{move || c.t("timeline.title")}</h2>
                    <p class="tl-intro">{move || c.t("timeline.intro")}</p>
                </div>
                <div class="tl-filters">
                    <label class="field">
                        <span>{move || c.t("filter.district")}</span>
                        <select
                            class="tl-district-filter"
                            on:change=move |ev| set_district(event_target_value(&ev))
                            prop:value=move || filters.with(|f| f.district.clone().unwrap_or_default())
                        >
                            <option value="">{move || c.t("filter.all_districts")}</option>
                            {move || {
                                let current = filters.with(|f| f.district.clone());
                                districts()
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let sel = current.as_deref() == Some(id.as_str());
                                        view! { <option value=id selected=sel>{name}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <div class="theme-chips" role="group" aria-label=move || c.t("filter.theme")>
                        {move || themes().into_iter().map(|(id, name, colour)| {
                            let id2 = id.clone();
                            let on = move || filters.with(|f| f.theme.as_deref() == Some(id.as_str()));
                            let on2 = on.clone();
                            view! {
                                <button class="chip" data-theme=id2.clone() aria-pressed=move || if on() { "true" } else { "false" }
                                    on:click=move |_| set_theme(if on2() { None } else { Some(id2.clone()) })>
                                    <span class="swatch" style:background=colour></span>{name}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                    <div class="tl-filter-foot">
                        <p class="tl-count" aria-live="polite">{count_text}</p>
                        <button class="tl-clear" prop:hidden=move || !filtered() on:click=clear>{move || c.t("timeline.clear")}</button>
                    </div>
                </div>
            </header>
            <section class="tl-axis-wrap" aria-label=move || c.t("timeline.axis")>
                <div class="tl-zoom" role="group" aria-label=move || c.t("timeline.zoom")>
                    <button class="map-btn" aria-label=move || c.t("timeline.zoom_out")
                        prop:disabled={move || zoom.get() == 0}
                        on:click={move |_| zoom.update(|z| *z = z.saturating_sub(1))}>"−"</button>
                    <button class="map-btn" aria-label=move || c.t("timeline.zoom_in")
                        prop:disabled={move || zoom.get() + 1 >= ZOOMS.len()}
                        on:click={move |_| zoom.update(|z| *z = (*z + 1).min(ZOOMS.len() - 1))}>"+"</button>
                </div>
                <div class="tl-scroll" node_ref=scroller>{axis_view}</div>
            </section>
            <div class="tl-list" node_ref=list_ref on:keydown=on_list_key aria-label=move || c.t("timeline.list") role="region">
                {move || (shown_keys.with(|k| k.is_empty())).then(|| view! { <p class="tl-empty">{c.t("timeline.empty")}</p> })}
                {list_view}
            </div>
        </div>
    }
}
