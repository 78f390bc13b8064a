//! The list of residential areas, grouped by district and subdistrict: the non-visual way to
//! everything the map offers, kept in step with it (selection and hover).
//!
//! A small exhibit lists every area at once. At city scale (thousands of areas) districts and
//! subdistricts are disclosure buttons and an open group's areas are rendered only while it is
//! open, so the page does not carry tens of thousands of elements; the selected area's groups
//! open and its button scrolls into view, so the list always shows where the visitor is.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use leptos::prelude::*;
use lilong_core::model::Lang;
use lilong_core::route::Page;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::MouseEvent;

use crate::dom::{El, el};
use crate::state::{after_paint, ctx, tr};
use crate::timers::request_animation_frame;

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

/// Nodes that `f` builds anew whenever what it reads changes, between two markers that keep
/// their place among their parent's siblings: append all of them there (the first build comes
/// back in the vector, later ones replace everything between the markers). Runs nest (a run
/// may return another run's nodes), and what the previous nodes set up is released first.
fn run(f: impl Fn() -> Vec<web_sys::Node> + 'static) -> Vec<web_sys::Node> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("a document");
    let start: web_sys::Node = doc.create_comment("").into();
    let end: web_sys::Node = doc.create_comment("").into();
    let first = Rc::new(Cell::new(None::<Vec<web_sys::Node>>));
    let effect = RenderEffect::new({
        let (first, start, end) = (first.clone(), start.clone(), end.clone());
        move |prev: Option<()>| {
            let nodes = f();
            if prev.is_none() {
                first.set(Some(nodes));
                return;
            }
            while let Some(n) = end.previous_sibling().filter(|n| *n != start) {
                if let Some(p) = n.parent_node() {
                    let _ = p.remove_child(&n);
                }
            }
            if let Some(p) = end.parent_node() {
                for n in &nodes {
                    let _ = p.insert_before(n, Some(&end));
                }
            }
        }
    });
    let effect = SendWrapper::new(effect);
    on_cleanup(move || drop(effect));
    let mut nodes = vec![start];
    nodes.extend(first.take().unwrap_or_default());
    nodes.push(end);
    nodes
}

/// The area of the row an event happened in (on the row's button or inside it).
fn row_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    target?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(".area-item")
        .ok()??
        .get_attribute("data-area")
}

/// The list; `active` says which areas pass the filters.
pub fn area_list(active: Signal<Vec<bool>>) -> El {
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
                            .try_update_value(std::mem::take)
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

    // A row: its only reactive part is whether it is the selection. Clicks and hover are
    // heard once, on the list (see below), not on each of the rows.
    let area_row = move |id: &str, name: &str, has_places: bool| {
        let key = Some(id.to_string());
        el("li").child(
            el("button")
                .class("area-item")
                .attr("data-area", id)
                .dyn_attr("aria-current", move || {
                    is_current
                        .with_value(|s| s.selected(&key))
                        .then(|| "true".to_string())
                })
                .child(el("span").text(name))
                .maybe(has_places.then(|| {
                    el("span")
                        .class("has-places")
                        .attr("aria-hidden", "true")
                        .text("◆")
                })),
        )
    };
    // Whether area `i` passes the filters.
    let passes = |active: &[bool], i: usize| active.get(i).copied().unwrap_or(true);
    // The areas of subdistrict `k` that pass the filters, built when the subdistrict opens.
    // The filters are read untracked: when they change, the whole list is built again.
    let render_areas = move |k: usize, lang: Lang| {
        let ul = el("ul");
        active.with_untracked(|active| {
            c.with(|e| {
                g.with_value(|g| {
                    let rows = g.subs[k]
                        .areas
                        .iter()
                        .copied()
                        .filter(|&i| passes(active, i))
                        .filter_map(|i| e.areas.get(i))
                        .map(|a| area_row(&a.id, a.name.get(lang), g.with_places.contains(&a.id)));
                    ul.children(rows)
                })
            })
        })
    };
    let toggle = move |open: RwSignal<bool>, name: &str, count: usize| {
        el("button")
            .class("group-toggle")
            .dyn_bool_attr("aria-expanded", move || open.get())
            .on_click(move || {
                // The visitor's choice from now on: never closed for them.
                auto_opened.update_value(|a| a.retain(|s| *s != open));
                open.update(|o| *o = !*o);
            })
            .child(el("span").class("group-mark").attr("aria-hidden", "true"))
            .child(el("span").class("group-name").text(name))
            .child(el("span").class("group-count").text(&count.to_string()))
    };
    // A district: its heading, then (while it is open) each subdistrict's heading and (while
    // that is open) its areas. Opening or closing a group builds or drops only that group.
    let district = move |name: &str,
                         open: RwSignal<bool>,
                         subs: Vec<(usize, String, RwSignal<bool>, usize)>,
                         lang: Lang| {
        let total: usize = subs.iter().map(|s| s.3).sum();
        let heading = el("h2").class("district-name");
        let heading = if folded {
            heading.child(toggle(open, name, total))
        } else {
            heading.text(name)
        };
        let section = el("section").class("district-group").child(heading);
        section.nodes(run(move || {
            if !open.get() {
                return Vec::new();
            }
            let mut nodes = Vec::new();
            for &(k, ref sub, s_open, n) in &subs {
                let heading = el("h3").class("subdistrict-name");
                let heading = if folded {
                    heading.child(toggle(s_open, sub, n))
                } else {
                    heading.text(sub)
                };
                nodes.push(heading.into_node());
                nodes.extend(run(move || {
                    if s_open.get() {
                        vec![render_areas(k, lang).into_node()]
                    } else {
                        Vec::new()
                    }
                }));
            }
            nodes
        }))
    };

    el("nav")
        .class(if folded {
            "area-list folded"
        } else {
            "area-list"
        })
        .dyn_attr("aria-label", tr("list.label"))
        .dyn_children(move || {
            let lang = c.lang();
            // Which groups have areas that pass the filters, and how many.
            let counts: Vec<usize> = active.with(|active| {
                g.with_value(|g| {
                    g.subs
                        .iter()
                        .map(|s| s.areas.iter().filter(|&&i| passes(active, i)).count())
                        .collect()
                })
            });
            let districts: Vec<_> = c.with(|e| {
                g.with_value(|g| {
                    g.districts
                        .iter()
                        .map(|d| {
                            let name = e
                                .district(&d.id)
                                .map(|x| x.name.get(lang).to_string())
                                .unwrap_or_else(|| d.id.clone());
                            let subs: Vec<_> = d
                                .subs
                                .iter()
                                .filter(|&&k| counts[k] > 0)
                                .map(|&k| {
                                    let s = &g.subs[k];
                                    let name = e
                                        .subdistrict(&s.id)
                                        .map(|x| x.name.get(lang).to_string())
                                        .unwrap_or_else(|| s.id.clone());
                                    (k, name, s.open, counts[k])
                                })
                                .collect();
                            (name, d.open, subs)
                        })
                        .filter(|(_, _, subs)| !subs.is_empty())
                        .collect()
                })
            });
            districts
                .into_iter()
                .map(|(name, open, subs)| district(&name, open, subs, lang))
                .collect()
        })
        // The rows' clicks and hover, heard here for all of them: a row costs no listeners.
        .on("click", move |ev: MouseEvent| {
            if let Some(id) = row_of(ev.target()) {
                c.go(Page::Area { id });
            }
        })
        // Entering and leaving a row (as `mouseenter` and `mouseleave` on it would say).
        .on("mouseover", move |ev: MouseEvent| {
            let to = row_of(ev.target());
            let from = row_of(ev.related_target());
            if to.is_some() && to != from {
                c.hovered.set(to);
            }
        })
        .on("mouseout", move |ev: MouseEvent| {
            let from = row_of(ev.target());
            let to = row_of(ev.related_target());
            if from.is_some() && from != to {
                c.hovered.set(None);
            }
        })
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
