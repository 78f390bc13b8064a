//! Search in the header: areas, buildings, projects and stories in all three languages, with
//! simplified and traditional characters finding each other (see `lilong_core::search`).
//!
//! The ARIA combobox pattern: the text field is a `combobox` that owns a `listbox` of results;
//! focus stays in the field while ↑ ↓ move the active result (`aria-activedescendant`), Enter
//! opens it, Escape closes the list (a second Escape empties the field). Results are buttons
//! (role `option`), so a tap or a click opens them too. A polite live region says how many
//! results there are. On a phone the field hides behind a search button and opens as a panel
//! across the top of the screen.

use std::sync::Arc;

use leptos::prelude::*;
use lilong_core::search::{Hit, Kind, SearchIndex};
use wasm_bindgen::JsCast;
use web_sys::{Event, FocusEvent, HtmlElement, KeyboardEvent};

use crate::dom::{El, Handle, el, svg};
use crate::state::{Ctx, ctx, tr};
use crate::timers::request_animation_frame;

/// How many results the list shows at most.
const LIMIT: usize = 20;

/// Focuses (or, with `focus` false, blurs) the element `handle` is bound to, if it is there yet.
fn focus(handle: Handle<HtmlElement>, focus: bool) {
    if let Some(h) = handle.get_untracked() {
        let _ = if focus { h.focus() } else { h.blur() };
    }
}

/// The search's state, shared by its parts (every field is a copyable handle).
#[derive(Clone, Copy)]
struct Search {
    /// The app's state, kept so a method called from an event handler (outside any reactive
    /// owner) does not look it up.
    c: Ctx,
    query: RwSignal<String>,
    /// The result the arrows have reached.
    active: RwSignal<Option<usize>>,
    list_open: RwSignal<bool>,
    /// Phones: whether the search panel is shown (the field is always shown on wider screens).
    panel_open: RwSignal<bool>,
    input_ref: Handle<HtmlElement>,
    opener_ref: Handle<HtmlElement>,
    results: Memo<Vec<Hit>>,
    /// One reactive flag per result: a move of the active result touches two of them.
    is_active: StoredValue<Selector<Option<usize>>>,
}

impl Search {
    fn new() -> Search {
        let c = ctx();
        // Built on first use, from the loaded exhibit.
        let index = StoredValue::new(None::<Arc<SearchIndex>>);
        let query = RwSignal::new(String::new());
        let active = RwSignal::new(None::<usize>);
        let results = Memo::new(move |_| {
            let q = query.get();
            let lang = c.lang();
            if q.trim().is_empty() {
                return Vec::<Hit>::new();
            }
            let idx = match index.get_value() {
                Some(i) => i,
                None => {
                    let built = Arc::new(c.with(SearchIndex::new));
                    index.set_value(Some(built.clone()));
                    built
                }
            };
            idx.search(&q, lang, LIMIT)
        });
        Search {
            c,
            query,
            active,
            list_open: RwSignal::new(false),
            panel_open: RwSignal::new(false),
            input_ref: Handle::new(),
            opener_ref: Handle::new(),
            results,
            is_active: StoredValue::new(Selector::new(move || active.get())),
        }
    }

    /// Whether the list of results is on screen.
    fn showing(self) -> bool {
        self.list_open.get() && !self.query.with(|q| q.trim().is_empty())
    }

    /// What the live region says: how many results there are.
    fn count_text(self) -> String {
        let c = self.c;
        if self.query.with(|q| q.trim().is_empty()) {
            return String::new();
        }
        match self.results.with(Vec::len) {
            0 => c.t("search.none"),
            1 => c.t("search.count_one"),
            n => c.t("search.count").replace("{n}", &n.to_string()),
        }
    }

    fn close_panel(self, refocus: bool) {
        self.list_open.set(false);
        self.active.set(None);
        if self.panel_open.get_untracked() {
            self.panel_open.set(false);
            if refocus {
                focus(self.opener_ref, true);
            }
        }
    }

    fn open_panel(self) {
        self.panel_open.set(true);
        // The field appears with the panel: focus it on the next frame.
        let input_ref = self.input_ref;
        request_animation_frame(move || focus(input_ref, true));
    }

    /// Opens a result.
    fn choose(self, hit: &Hit) {
        self.c.go(hit.page.clone());
        self.query.set(String::new());
        self.close_panel(false);
        focus(self.input_ref, false);
    }

    /// The field's keys: ↑ ↓ Home End move the active result, Enter opens it, Escape closes
    /// the list, then empties the field, then closes the panel.
    fn on_keydown(self, ev: KeyboardEvent) {
        let (active, list_open, query) = (self.active, self.list_open, self.query);
        let n = self.results.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                list_open.set(true);
                if n == 0 {
                    return;
                }
                let down = ev.key() == "ArrowDown";
                active.update(|a| {
                    *a = Some(match (*a, down) {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    })
                });
            }
            "Home" | "End"
                if list_open.get_untracked() && active.get_untracked().is_some() && n > 0 =>
            {
                ev.prevent_default();
                active.set(Some(if ev.key() == "Home" { 0 } else { n - 1 }));
            }
            "Enter" => {
                ev.prevent_default();
                let i = active.get_untracked().unwrap_or(0);
                if let Some(hit) = self.results.with_untracked(|r| r.get(i).cloned()) {
                    self.choose(&hit);
                }
            }
            "Escape" => {
                // Never let the page's Escape (back to the map) act while searching.
                ev.stop_propagation();
                ev.prevent_default();
                if list_open.get_untracked() && !query.with_untracked(String::is_empty) {
                    list_open.set(false);
                    active.set(None);
                } else if !query.with_untracked(String::is_empty) {
                    query.set(String::new());
                } else {
                    self.close_panel(true);
                }
            }
            _ => {}
        }
    }

    /// Closing the list when focus leaves the search (results keep focus in the field, so a
    /// click on one does not count).
    fn on_focusout(self, ev: FocusEvent) {
        let inside = ev
            .related_target()
            .zip(ev.current_target())
            .is_some_and(|(to, root)| {
                root.unchecked_ref::<web_sys::Node>()
                    .contains(Some(to.unchecked_ref()))
            });
        if !inside {
            self.list_open.set(false);
            self.active.set(None);
        }
    }

    /// One result: its title, its kind and where it is.
    fn result(self, i: usize, hit: Hit) -> El {
        let c = self.c;
        let id = format!("search-opt-{i}");
        let kind = format!("{:?}", hit.kind).to_lowercase();
        let is_active = self.is_active;
        let on = move || is_active.with_value(|s| s.selected(&Some(i)));
        let meta = el("span")
            .class("search-meta")
            .child(el("span").class("search-kind").text(&match hit.kind {
                Kind::Place => c.t("search.kind.place"),
                Kind::Area => c.t("search.kind.area"),
                Kind::Story => c.t("search.kind.story"),
                Kind::Project => c.t("search.kind.project"),
            }));
        let meta = match &hit.context {
            Some(context) => meta.child(el("span").class("search-context").text(context)),
            None => meta,
        };
        let active = self.active;
        el("button")
            .attr("id", &id)
            .class("search-result")
            .dyn_class("active", on)
            .attr("role", "option")
            .attr("tabindex", "-1")
            .attr("data-kind", &kind)
            .attr("data-id", &hit.id)
            .dyn_bool_attr("aria-selected", on)
            .on("mousedown", |ev: Event| ev.prevent_default())
            .on("mousemove", move |_: Event| {
                if active.get_untracked() != Some(i) {
                    active.set(Some(i));
                }
            })
            .child(el("span").class("search-title").text(&hit.title))
            .child(meta)
            .on_click(move || self.choose(&hit))
    }

    /// The text field, a combobox owning the list of results.
    fn field(self) -> El {
        let (query, active, list_open) = (self.query, self.active, self.list_open);
        el("input")
            .attr("id", "search-input")
            .class("search-input")
            .attr("type", "search")
            .attr("role", "combobox")
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .attr("enterkeyhint", "search")
            .attr("aria-autocomplete", "list")
            .attr("aria-controls", "search-results")
            .dyn_bool_attr("aria-expanded", move || self.showing())
            .dyn_attr("aria-activedescendant", move || {
                active
                    .get()
                    .filter(|_| self.showing())
                    .map(|i| format!("search-opt-{i}"))
            })
            .dyn_attr("aria-label", tr("search.label"))
            .dyn_attr("placeholder", tr("search.placeholder"))
            .dyn_prop("value", move || query.get().into())
            .on("input", move |ev: Event| {
                query.set(event_target_value(&ev));
                active.set(None);
                list_open.set(true);
            })
            .on("focus", move |_: FocusEvent| list_open.set(true))
            // Listeners sit on their element (no delegation): this Escape stops before the
            // page's own Escape (back to the map, on the window) sees it.
            .on("keydown", move |ev: KeyboardEvent| self.on_keydown(ev))
            .bind(self.input_ref)
    }

    /// Under the field: how many results, and the results.
    fn drop_down(self) -> El {
        let results = self.results;
        el("div")
            .class("search-drop")
            .dyn_attr("hidden", move || (!self.showing()).then(String::new))
            .child(
                el("p")
                    .class("search-count")
                    .attr("role", "status")
                    .attr("aria-live", "polite")
                    .dyn_text(move || self.count_text()),
            )
            .child(
                el("div")
                    .attr("id", "search-results")
                    .class("search-results")
                    .attr("role", "listbox")
                    .dyn_attr("aria-label", tr("search.results"))
                    .dyn_children(move || {
                        results
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, hit)| self.result(i, hit))
                            .collect()
                    }),
            )
    }
}

/// The search: a button (phones), the field and its list of results.
pub fn search() -> El {
    let s = Search::new();

    // Keep the active result in view while the arrows move through a long list.
    Effect::new(move |_| {
        if let Some(i) = s.active.get()
            && let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("search-opt-{i}")))
        {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    });

    let opener = el("button")
        .class("search-open")
        .dyn_bool_attr("aria-expanded", move || s.panel_open.get())
        .attr("aria-controls", "search-box")
        .dyn_attr("aria-label", tr("search.open"))
        .on_click(move || s.open_panel())
        .child(search_icon())
        .bind(s.opener_ref);

    el("div")
        .class("search")
        .dyn_class("open", move || s.panel_open.get())
        .attr("role", "search")
        .child(opener)
        .child(
            el("div")
                .class("search-box")
                .attr("id", "search-box")
                .on("focusout", move |ev: FocusEvent| s.on_focusout(ev))
                .child(search_icon())
                .child(s.field())
                .child(
                    el("button")
                        .class("search-close")
                        .dyn_attr("aria-label", tr("search.close"))
                        .on_click(move || {
                            s.query.set(String::new());
                            s.close_panel(true);
                        })
                        .text("×"),
                )
                .child(s.drop_down()),
        )
}

/// A magnifying glass, drawn inline (hidden from assistive technology).
fn search_icon() -> El {
    svg("svg")
        .attr("class", "search-icon")
        .attr("viewBox", "0 0 24 24")
        .attr("width", "20")
        .attr("height", "20")
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(
            svg("circle")
                .attr("cx", "10.5")
                .attr("cy", "10.5")
                .attr("r", "6.5")
                .attr("fill", "none")
                .attr("stroke", "currentColor")
                .attr("stroke-width", "2.2"),
        )
        .child(
            svg("path")
                .attr("d", "M15.5 15.5 L21 21")
                .attr("stroke", "currentColor")
                .attr("stroke-width", "2.4")
                .attr("stroke-linecap", "round"),
        )
}
