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
use lilong_core::search::{Hit, SearchIndex};
use wasm_bindgen::JsCast;

use crate::state::ctx;

/// How many results the list shows at most.
const LIMIT: usize = 20;

#[component]
pub fn Search() -> impl IntoView {
    let c = ctx();
    // Built on first use, from the loaded exhibit.
    let index = StoredValue::new(None::<Arc<SearchIndex>>);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(None::<usize>);
    let list_open = RwSignal::new(false);
    // Phones: whether the search panel is shown (the field is always shown on wider screens).
    let panel_open = RwSignal::new(false);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let opener_ref = NodeRef::<leptos::html::Button>::new();

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
    let showing = move || list_open.get() && !query.with(|q| q.trim().is_empty());
    let count_text = move || {
        if query.with(|q| q.trim().is_empty()) {
            return String::new();
        }
        match results.with(Vec::len) {
            0 => c.t("search.none"),
            1 => c.t("search.count_one"),
            n => c.t("search.count").replace("{n}", &n.to_string()),
        }
    };

    let close_panel = move |refocus: bool| {
        list_open.set(false);
        active.set(None);
        if panel_open.get_untracked() {
            panel_open.set(false);
            if refocus && let Some(b) = opener_ref.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    let choose = move |hit: Hit| {
        c.go(hit.page.clone());
        query.set(String::new());
        close_panel(false);
        if let Some(i) = input_ref.get_untracked() {
            let _ = i.blur();
        }
    };

    // Keep the active result in view while the arrows move through a long list.
    Effect::new(move |_| {
        if let Some(i) = active.get()
            && let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("search-opt-{i}")))
        {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    });

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let n = results.with_untracked(Vec::len);
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
                if let Some(hit) = results.with_untracked(|r| r.get(i).cloned()) {
                    choose(hit);
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
                    close_panel(true);
                }
            }
            _ => {}
        }
    };
    // Closing the list when focus leaves the search (results keep focus in the field, so a
    // click on one does not count).
    let on_focusout = move |ev: web_sys::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(
                ev.current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
            )
            .is_some_and(|(to, root)| root.contains(Some(&to)));
        if !inside {
            list_open.set(false);
            active.set(None);
        }
    };
    let open_panel = move |_| {
        panel_open.set(true);
        // The field appears with the panel: focus it on the next frame.
        request_animation_frame(move || {
            if let Some(i) = input_ref.get_untracked() {
                let _ = i.focus();
            }
        });
    };

    view! {
        <div class="search" class:open=move || panel_open.get() role="search">
            <button
                class="search-open"
                node_ref=opener_ref
                aria-expanded=move || if panel_open.get() { "true" } else { "false" }
                aria-controls="search-box"
                aria-label=move || c.t("search.open")
                on:click=open_panel
            >
                <SearchIcon />
            </button>
            <div class="search-box" id="search-box" on:focusout=on_focusout>
                <SearchIcon />
                <input
                    id="search-input"
                    class="search-input"
                    node_ref=input_ref
                    type="search"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    enterkeyhint="search"
                    aria-autocomplete="list"
                    aria-controls="search-results"
                    aria-expanded=move || if showing() { "true" } else { "false" }
                    aria-activedescendant=move || {
                        active.get().filter(|_| showing()).map(|i| format!("search-opt-{i}"))
                    }
                    aria-label=move || c.t("search.label")
                    placeholder=move || c.t("search.placeholder")
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        query.set(event_target_value(&ev));
                        active.set(None);
                        list_open.set(true);
                    }
                    on:focus=move |_| list_open.set(true)
                    // Listeners sit on their element (no delegation): this Escape stops before
                    // the page's own Escape (back to the map, on the window) sees it.
                    on:keydown=on_keydown
                />
                <button
                    class="search-close"
                    aria-label=move || c.t("search.close")
                    on:click=move |_| {
                        query.set(String::new());
                        close_panel(true);
                    }
                >"×"</button>
                <div class="search-drop" hidden=move || !showing()>
                    <p class="search-count" role="status" aria-live="polite">{count_text}</p>
                    <div
                        id="search-results"
                        class="search-results"
                        role="listbox"
                        aria-label=move || c.t("search.results")
                    >
                        {move || {
                            results
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, hit)| {
                                    let kind = c.t(hit.kind.label_key());
                                    let context = hit.context.clone();
                                    let title = hit.title.clone();
                                    let is_active = move || active.get() == Some(i);
                                    view! {
                                        <button
                                            id=format!("search-opt-{i}")
                                            class="search-result"
                                            class:active=is_active
                                            role="option"
                                            tabindex="-1"
                                            data-kind=format!("{:?}", hit.kind).to_lowercase()
                                            data-id=hit.id.clone()
                                            aria-selected=move || if is_active() { "true" } else { "false" }
                                            on:mousedown=|ev| ev.prevent_default()
                                            on:mousemove=move |_| {
                                                if active.get_untracked() != Some(i) {
                                                    active.set(Some(i));
                                                }
                                            }
                                            on:click=move |_| choose(hit.clone())
                                        >
                                            <span class="search-title">{title}</span>
                                            <span class="search-meta">
                                                <span class="search-kind">{kind}</span>
                                                {context.map(|c| view! { <span class="search-context">{c}</span> })}
                                            </span>
                                        </button>
                                    }
                                })
                                .collect_view()
                        }}
                    </div>
                </div>
            </div>
        </div>
    }
}

/// A magnifying glass, drawn inline (hidden from assistive technology).
#[component]
fn SearchIcon() -> impl IntoView {
    view! {
        <svg class="search-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2" />
            <path d="M15.5 15.5 L21 21" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" />
        </svg>
    }
}
