//! The app's shared state: the loaded exhibit, the current route (mirrored in the URL) and
//! the language. Provided once by [`crate::app::App`] as context.

use std::sync::Arc;

use leptos::prelude::*;
use lilong_core::load::Loaded;
use lilong_core::model::{Exhibit, Lang};
use lilong_core::route::{Page, Route};
use lilong_core::timeline::Event;

use crate::timers::{request_animation_frame, set_timeout};

/// Everything a page or component needs to read or change the view.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The loaded exhibit and its problems (set once, at start-up).
    pub loaded: StoredValue<Arc<Loaded>>,
    /// The current view; the URL's query string is derived from it.
    pub route: RwSignal<Route>,
    /// An area hovered on the map or in the list (not part of the URL).
    pub hovered: RwSignal<Option<String>>,
    /// Set once the first view is on screen (`data-ready` on the app's root, for tests).
    pub ready: RwSignal<bool>,
    /// A sentence for screen readers about what just got selected (an `aria-live` region).
    pub announce: RwSignal<String>,
    /// The language in force, kept in step with the route by [`Ctx::set_route`]: it changes
    /// only when the language does, so texts are not redone on every change of view.
    lang: RwSignal<Lang>,
    /// The exhibit's language when the link names none.
    default_lang: Lang,
    /// Every dated event of the exhibit, in timeline order: computed once, shared by the map's
    /// filters, the year control, the timeline page and each area's panel.
    events: StoredValue<Arc<Vec<Event>>>,
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    pub fn new(loaded: Arc<Loaded>, route: Route) -> Ctx {
        let default_lang = loaded.exhibit.settings.default_language;
        let lang = RwSignal::new(lang_of(&route, default_lang));
        let events = StoredValue::new(Arc::new(lilong_core::timeline::events(&loaded.exhibit)));
        Ctx {
            events,
            loaded: StoredValue::new(loaded),
            route: RwSignal::new(route),
            lang,
            default_lang,
            hovered: RwSignal::new(None),
            ready: RwSignal::new(false),
            announce: RwSignal::new(String::new()),
        }
    }

    /// Runs `f` on the exhibit.
    pub fn with<R>(&self, f: impl FnOnce(&Exhibit) -> R) -> R {
        self.loaded.with_value(|l| f(&l.exhibit))
    }

    pub fn exhibit(&self) -> Arc<Loaded> {
        self.loaded.get_value()
    }

    /// The language in force: the link's, else the exhibit's default.
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// Whether the exhibit runs as a kiosk: the link asks for it or the settings turn it on.
    pub fn kiosk(&self) -> bool {
        self.route.with(|r| r.kiosk) || self.with(|e| e.settings.kiosk.enabled)
    }

    /// Every dated event of the exhibit, in timeline order.
    pub fn events(&self) -> Arc<Vec<Event>> {
        self.events.get_value()
    }

    /// An interface string in the current language, now (reactive on the language). The key
    /// is a literal, like [`tr`]'s.
    pub fn t(&self, key: &'static str) -> String {
        let lang = self.lang();
        self.with(|e| e.t(lang, key).to_string())
    }

    /// Shows another view (the URL is the caller's business); the language follows it.
    pub fn set_route(&self, route: Route) {
        let lang = lang_of(&route, self.default_lang);
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
        self.route.set(route);
    }

    /// Goes to another view, adding a history entry (back/forward walk through views).
    ///
    /// The view changes at once; the address follows just after the next paint, because
    /// writing it makes the browser recompute styles (links' visited state) and that would
    /// delay the answer to a tap.
    pub fn navigate(&self, route: Route) {
        if self.route.with_untracked(|r| *r == route) {
            return;
        }
        let query = route.to_query();
        after_paint(move || push_url(&query, false));
        self.set_route(route);
    }

    /// Changes the view without a new history entry (filters, language).
    pub fn replace(&self, route: Route) {
        let query = route.to_query();
        after_paint(move || push_url(&query, true));
        self.set_route(route);
    }

    /// Goes to another page, keeping language, filters and profile.
    pub fn go(&self, page: Page) {
        let r = self.route.with_untracked(|r| r.with_page(page));
        self.navigate(r);
    }
}

/// An interface string that follows the language, for a text or an attribute of a view:
/// `.dyn_text(tr("story.exit"))`, `.dyn_attr("aria-label", tr("search.label"))`.
///
/// The key is always a string literal at the call (here and in [`Ctx::t`]), never a variable:
/// `xtask/tests/invariants.rs` finds every key the interface asks for by reading the source and
/// checks that each is in `data/i18n/zh-Hans.json` (a missing key shows the key on screen).
pub fn tr(key: &'static str) -> impl Fn() -> String + Copy + 'static {
    let c = ctx();
    move || c.t(key)
}

/// The language a route asks for, else the exhibit's default.
fn lang_of(route: &Route, default: Lang) -> Lang {
    route
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(default)
}

/// The route in the current URL.
pub fn route_from_url() -> Route {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    Route::parse(&search)
}

/// Runs `f` once the next frame has been painted: work that the visitor does not see at once
/// (the address, a list scrolled out of sight) waits until the answer to a tap is on screen.
/// Calls run in the order they were made.
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, std::time::Duration::ZERO));
}

fn push_url(query: &str, replace: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}{query}");
    let url = if url.is_empty() {
        "./".to_string()
    } else {
        url
    };
    let _ = if replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// Whether the visitor asked the system for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}
