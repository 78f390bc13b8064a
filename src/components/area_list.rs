//! The list of residential areas, grouped by district and subdistrict: the non-visual way to
//! everything the map offers, kept in step with it (selection and hover).
//!
//! A small exhibit lists every area at once. At city scale (thousands of areas) districts and
//! subdistricts are disclosure buttons and an open group's areas are rendered only while it is
//! open, so the page does not carry tens of thousands of elements; the selected area's groups
//! open and its button scrolls into view, so the list always shows where the visitor is.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use lilong_core::route::Page;
use wasm_bindgen::JsCast;

use crate::state::{after_paint, ctx};

/// Up to this many areas the whole list is shown open, without disclosure buttons.
const ALL_OPEN: usize = 200;

/// One subdistrict of the list: its areas (indexes into the exhibit's areas, in file order).
struct Sub {
    id: String,
    district: usize,
    areas: Vec<usize>,
    open: RwSignal<bool>,
}

/// One district: its subdistricts (indexes into the list's subdistricts).
struct District {
    id: String,
    subs: Vec<usize>,
    open: RwSignal<bool>,
}

/// The grouping, built once in a single pass over the areas.
struct Groups {
    districts: Vec<District>,
    subs: Vec<Sub>,
    /// Each area's subdistrict in `subs`.
    sub_of: HashMap<String, usize>,
    /// Area ids that have a building or place.
    with_places: HashSet<String>,
    /// Whether the list is long enough to be folded into groups.
    folded: bool,
}

fn groups(e: &lilong_core::model::Exhibit) -> Groups {
    let folded = e.areas.len() > ALL_OPEN;
    let mut districts: Vec<District> = Vec::new();
    let mut district_at: HashMap<&str, usize> = HashMap::new();
    let mut subs: Vec<Sub> = Vec::new();
    let mut sub_at: HashMap<&str, usize> = HashMap::new();
    // Districts in the order of their first subdistrict; a district missing from the data is
    // still a heading (its code), so no area is ever unreachable from the list.
    for s in &e.subdistricts {
        let d = *district_at.entry(s.district.as_str()).or_insert_with(|| {
            districts.push(District {
                id: s.district.clone(),
                subs: Vec::new(),
                open: RwSignal::new(!folded),
            });
            districts.len() - 1
        });
        if sub_at.contains_key(s.id.as_str()) {
            continue;
        }
        sub_at.insert(s.id.as_str(), subs.len());
        districts[d].subs.push(subs.len());
        subs.push(Sub {
            id: s.id.clone(),
            district: d,
            areas: Vec::new(),
            open: RwSignal::new(!folded),
        });
    }
    let mut sub_of = HashMap::new();
    for (i, a) in e.areas.iter().enumerate() {
        if let Some(&k) = sub_at.get(a.subdistrict.as_str()) {
            subs[k].areas.push(i);
            sub_of.insert(a.id.clone(), k);
        }
    }
    let with_places = e.places.iter().map(|p| p.area.clone()).collect();
    Groups {
        districts,
        subs,
        sub_of,
        with_places,
        folded,
    }
}

#[component]
pub fn AreaList(
    /// Areas that pass the filters.
    #[prop(into)]
    active: Signal<Vec<bool>>,
) -> impl IntoView {
    let c = ctx();
    let selected = Memo::new(move |_| {
        c.route.with(|r| match &r.page {
            Page::Area { id } => Some(id.clone()),
            Page::Place { id } => c.with(|e| e.place(id).map(|p| p.area.clone())),
            _ => None,
        })
    });
    // One reactive flag per row: a new selection touches the old and the new row only.
    let is_current = StoredValue::new(Selector::new(move || selected.get()));
    let g = StoredValue::new_local(c.with(groups));
    let folded = g.with_value(|g| g.folded);

    // The selected area's groups open, and its button scrolls into view once rendered: after
    // the tap's answer (highlight and panel) is painted, so the list's rows do not delay it.
    // Groups opened this way close again when the selection moves to another group, unless the
    // visitor has toggled them since: the list follows the visitor without piling up the rows
    // of every area ever selected (a thousand taps left 18 groups and 338 rows open).
    let auto_opened = StoredValue::new(Vec::<RwSignal<bool>>::new());
    if folded {
        Effect::new(move |_| {
            let Some(id) = selected.get() else { return };
            after_paint(move || {
                let opened = g.try_with_value(|g| {
                    if let Some(&k) = g.sub_of.get(&id) {
                        let wanted = [g.subs[k].open, g.districts[g.subs[k].district].open];
                        let before = auto_opened
                            .try_update_value(|a| std::mem::take(a))
                            .unwrap_or_default();
                        for s in &before {
                            if !wanted.contains(s) {
                                s.try_set(false);
                            }
                        }
                        let mut now = Vec::new();
                        for s in wanted {
                            if !s.get_untracked() {
                                s.set(true);
                                now.push(s);
                            } else if before.contains(&s) {
                                // Opened for the last selection and wanted again: still ours.
                                now.push(s);
                            }
                        }
                        auto_opened.try_set_value(now);
                    }
                });
                if opened.is_some() {
                    request_animation_frame(move || scroll_to_row(&id));
                }
            });
        });
    }

    let area_row = move |_i: usize, id: String, name: String, has_places: bool| {
        let (id1, id2, id3) = (Some(id.clone()), id.clone(), id.clone());
        view! {
            <li>
                <button
                    class="area-item"
                    data-area=id
                    aria-current=move || is_current.with_value(|s| s.selected(&id1)).then_some("true")
                    on:click=move |_| c.go(Page::Area { id: id2.clone() })
                    on:mouseenter=move |_| c.hovered.set(Some(id3.clone()))
                    on:mouseleave=move |_| c.hovered.set(None)
                >
                    <span>{name}</span>
                    {has_places.then(|| view! { <span class="has-places" aria-hidden="true">"◆"</span> })}
                </button>
            </li>
        }
    };
    // The areas of subdistrict `k` that pass the filters.
    let sub_areas = move |k: usize, active: &[bool]| -> Vec<usize> {
        g.with_value(|g| {
            g.subs[k]
                .areas
                .iter()
                .copied()
                .filter(|&i| active.get(i).copied().unwrap_or(true))
                .collect()
        })
    };
    let render_areas = move |k: usize| {
        let lang = c.lang();
        let rows: Vec<(usize, String, String, bool)> = active.with(|active| {
            let areas = sub_areas(k, active);
            c.with(|e| {
                g.with_value(|g| {
                    areas
                        .into_iter()
                        .filter_map(|i| {
                            e.areas.get(i).map(|a| {
                                (
                                    i,
                                    a.id.clone(),
                                    a.name.get(lang).to_string(),
                                    g.with_places.contains(&a.id),
                                )
                            })
                        })
                        .collect()
                })
            })
        });
        view! {
            <ul>
                {rows.into_iter().map(|(i, id, name, p)| area_row(i, id, name, p)).collect_view()}
            </ul>
        }
    };
    let toggle = move |open: RwSignal<bool>, name: String, count: usize| {
        view! {
            <button
                class="group-toggle"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| {
                    // The visitor's choice from now on: never closed for them.
                    auto_opened.update_value(|a| a.retain(|s| *s != open));
                    open.update(|o| *o = !*o);
                }
            >
                <span class="group-mark" aria-hidden="true"></span>
                <span class="group-name">{name}</span>
                <span class="group-count">{count}</span>
            </button>
        }
    };

    view! {
        <nav class="area-list" class:folded=folded aria-label=move || c.t("list.label")>
            {move || {
                let lang = c.lang();
                // Which groups have areas that pass the filters, and how many.
                let counts: Vec<usize> = active.with(|active| {
                    g.with_value(|g| (0..g.subs.len()).map(|k| sub_areas(k, active).len()).collect())
                });
                let districts: Vec<(String, RwSignal<bool>, Vec<(usize, String, RwSignal<bool>, usize)>)> = c.with(|e| {
                    g.with_value(|g| {
                        g.districts
                            .iter()
                            .map(|d| {
                                let name = e.district(&d.id).map(|x| x.name.get(lang).to_string()).unwrap_or_else(|| d.id.clone());
                                let subs = d
                                    .subs
                                    .iter()
                                    .filter(|&&k| counts[k] > 0)
                                    .map(|&k| {
                                        let s = &g.subs[k];
                                        let name = e.subdistrict(&s.id).map(|x| x.name.get(lang).to_string()).unwrap_or_else(|| s.id.clone());
                                        (k, name, s.open, counts[k])
                                    })
                                    .collect();
                                (name, d.open, subs)
                            })
                            .filter(|(_, _, subs): &(String, RwSignal<bool>, Vec<_>)| !subs.is_empty())
                            .collect()
                    })
                });
                districts.into_iter().map(|(district, d_open, subs)| {
                    let total: usize = subs.iter().map(|s| s.3).sum();
                    let heading = if folded {
                        view! { <h2 class="district-name">{toggle(d_open, district, total)}</h2> }.into_any()
                    } else {
                        view! { <h2 class="district-name">{district}</h2> }.into_any()
                    };
                    view! {
                        <section class="district-group">
                            {heading}
                            {move || d_open.get().then(|| subs.clone().into_iter().map(|(k, sub, s_open, n)| {
                                let heading = if folded {
                                    view! { <h3 class="subdistrict-name">{toggle(s_open, sub, n)}</h3> }.into_any()
                                } else {
                                    view! { <h3 class="subdistrict-name">{sub}</h3> }.into_any()
                                };
                                view! {
                                    {heading}
                                    {move || s_open.get().then(|| render_areas(k))}
                                }
                            }).collect_view())}
                        </section>
                    }
                }).collect_view()
            }}
        </nav>
    }
}

/// Scrolls the list so the area's row is in sight (the least movement that shows it).
fn scroll_to_row(id: &str) {
    let doc = web_sys::window().and_then(|w| w.document());
    let sel = format!(
        ".area-list .area-item[data-area=\"{}\"]",
        id.replace(['"', '\\'], "")
    );
    if let Some(el) = doc.and_then(|d| d.query_selector(&sel).ok().flatten()) {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
        if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
            h.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    }
}
