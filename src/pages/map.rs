//! The free map: areas and buildings on Shanghai, the list beside it, and the panel of what is
//! selected.

use std::rc::Rc;

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::components::area_list::area_list;
use crate::components::area_panel::area_panel;
use crate::components::filters::filters;
use crate::components::legend::{credits, legend};
use crate::components::map::map_view;
use crate::components::place_panel::place_panel;
use crate::components::story_card::featured_strip;
use crate::components::year_control::year_control;
use crate::dom::{El, el};
use crate::draw::MapModel;
use crate::state::{ctx, tr};
use crate::timers::{request_animation_frame, set_timeout};

thread_local! {
    /// Whether this page has laid out a panel out of sight already (see `MapPage`).
    static PANEL_WARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the window is phone-sized (panels become bottom sheets).
fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 720px)").ok().flatten())
        .is_some_and(|m| m.matches())
}

pub fn map_page(model: Rc<MapModel>) -> El {
    let c = ctx();
    let by_theme = RwSignal::new(false);
    let list_open = RwSignal::new(false);
    let area_meta: Vec<(String, String, Vec<String>)> = c.with(|e| {
        // Each area's project themes, gathered in one pass over the projects (not one per area).
        let mut themes: std::collections::HashMap<&str, Vec<String>> =
            std::collections::HashMap::new();
        for p in &e.projects {
            themes
                .entry(p.area.as_str())
                .or_default()
                .push(p.theme.clone());
        }
        e.areas
            .iter()
            .map(|a| {
                (
                    a.district.clone(),
                    a.id.clone(),
                    themes.remove(a.id.as_str()).unwrap_or_default(),
                )
            })
            .collect()
    });
    let events = c.events();
    let active = Memo::new(move |_| {
        let f = c.route.with(|r| r.filters.clone());
        // "Map by time": only areas with something under way in the chosen year.
        let under_way = f
            .year
            .map(|y| lilong_core::timeline::under_way(&events, y).areas);
        area_meta
            .iter()
            .map(|(district, id, themes)| {
                f.district.as_ref().is_none_or(|d| d == district)
                    && f.theme.as_ref().is_none_or(|t| themes.contains(t))
                    && under_way.as_ref().is_none_or(|u| u.contains(id))
            })
            .collect::<Vec<bool>>()
    });
    let panel = Memo::new(move |_| {
        c.route.with(|r| match &r.page {
            Page::Area { id } => Some((true, id.clone())),
            Page::Place { id } => Some((false, id.clone())),
            _ => None,
        })
    });
    let focus_area = Signal::derive(move || {
        c.route.with(|r| match &r.page {
            Page::Area { id } => Some(id.clone()),
            _ => None,
        })
    });
    let focus_place = Signal::derive(move || {
        c.route.with(|r| match &r.page {
            Page::Place { id } => Some(id.clone()),
            _ => None,
        })
    });
    let inset = Signal::derive(move || {
        if panel.get().is_none() {
            (0.0, 0.0)
        } else if narrow() {
            let h = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|v| v.as_f64())
                .unwrap_or(800.0);
            (0.0, h * 0.5)
        } else if untrack(|| c.kiosk()) {
            // The kiosk's panel is wider (480 px, style.css), with the same 20 px to spare.
            (500.0, 0.0)
        } else {
            (440.0, 0.0)
        }
    });
    // Announce selections to screen readers.
    Effect::new(move |_| {
        let lang = c.lang();
        let msg = c.route.with(|r| {
            c.with(|e| match &r.page {
                Page::Area { id } => e.area(id).map(|a| a.name.get(lang).to_string()),
                Page::Place { id } => e.place(id).map(|p| p.name.get(lang).to_string()),
                _ => None,
            })
        });
        if let Some(m) = msg {
            c.announce.set(format!("{} {m}", c.t("announce.selected")));
        }
    });
    let close = move || c.go(Page::Map);
    // Once per visit, a moment after the map is first on screen and while nothing is selected,
    // an area's panel is laid out and painted under the map for two frames and removed: the browser's
    // first-time work for the panel (its fonts, styles and glyph shapes) is then done before
    // the first tap, which answers as fast as the ones after it.
    let warm = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if !c.ready.get() || PANEL_WARMED.with(|w| w.replace(true)) {
            return;
        }
        set_timeout(
            move || {
                if panel.try_get_untracked().flatten().is_some() {
                    return;
                }
                let first = c.with(|e| e.areas.first().map(|a| a.id.clone()));
                if warm.try_set(first).is_none() {
                    request_animation_frame(move || {
                        request_animation_frame(move || {
                            warm.try_set(None);
                        })
                    });
                }
            },
            std::time::Duration::from_millis(400),
        );
    });
    let active: Signal<Vec<bool>> = active.into();
    let toggle = el("button")
        .class("list-toggle")
        .dyn_bool_attr("aria-expanded", move || list_open.get())
        .on_click(move || list_open.update(|o| *o = !*o))
        .dyn_text(tr("list.toggle"));
    let intro = el("p").class("intro").dyn_text(move || {
        let l = c.lang();
        c.with(|e| e.settings.intro.get(l).to_string())
    });
    let sidebar = el("div")
        .class("sidebar")
        .attr("id", "content")
        .attr("tabindex", "-1")
        .child(featured_strip(&model))
        .child(toggle)
        .child(
            el("div")
                .class("sidebar-body")
                .child(intro)
                .child(filters(by_theme))
                .maybe(year_control())
                .child(area_list(active))
                .child(credits()),
        );
    let warmup = move || {
        warm.get().map(|id| {
            el("section")
                .class("panel panel-warmup")
                .attr("aria-hidden", "true")
                .attr("inert", "")
                .child(area_panel(id))
        })
    };
    let shown_panel = move || {
        panel.get().map(|(is_area, id)| {
            let body = if is_area {
                area_panel(id)
            } else {
                place_panel(id)
            };
            el("section")
                .class("panel")
                .attr("role", "region")
                .attr("aria-labelledby", "panel-title")
                .child(
                    el("button")
                        .class("panel-close")
                        .dyn_attr("aria-label", tr("panel.close"))
                        .on_click(close)
                        .text("×"),
                )
                .child(body)
        })
    };
    el("div")
        .class("map-page")
        .dyn_class("list-open", move || list_open.get())
        .dyn_class("has-panel", move || panel.get().is_some())
        .child(sidebar)
        .child(map_view(
            model,
            active,
            by_theme.into(),
            inset,
            focus_area,
            focus_place,
        ))
        .child(legend(by_theme))
        .dyn_child(warmup)
        .dyn_child(shown_panel)
}
