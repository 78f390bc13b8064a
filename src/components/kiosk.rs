//! The kiosk profile: an unattended touch screen in the exhibition hall.
//!
//! On when the settings say `kiosk.enabled` or the link says `kiosk=1`. Then:
//! - no text selection, context menu or page pinch-zoom (the map still zooms by its own gestures),
//!   and links that would leave the exhibit do nothing;
//! - after `idle` seconds without a touch, key or wheel (the link's `idle`, else the settings'),
//!   a calm "Still there?" card counts down; unless someone answers, the exhibit starts over:
//!   view, language, filters and story all back to the start;
//! - then, while nobody is there, the attract tour walks through the settings' `attract` steps
//!   (a story chapter by chapter, an area, a place), each replacing the route (no history
//!   growth); the first touch stops it and hands the start view over to the visitor;
//! - a hand-off QR code of the current view, when the settings give a public address.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use lilong_core::model::{AttractStep, Lang};
use lilong_core::route::{Page, Route};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::components::handoff::handoff;
use crate::dom::{El, Handle, el};
use crate::state::{Ctx, ctx, tr};
use crate::timers::set_interval_with_handle;

/// Bumped by every kiosk reset; the page area is rebuilt when it changes, so state that lives
/// in the page (map zoom, an open list, the colouring mode) starts over too.
#[derive(Clone, Copy)]
pub struct ResetGeneration(pub RwSignal<u32>);

/// Creates and provides the reset counter (called once by the app's root).
pub fn provide_reset_generation() -> RwSignal<u32> {
    let g = RwSignal::new(0u32);
    provide_context(ResetGeneration(g));
    g
}

/// The kiosk profile while it is on.
pub fn kiosk() -> El {
    let c = ctx();
    let on = Memo::new(move |_| c.route.with(|r| r.kiosk) || c.with(|e| e.settings.kiosk.enabled));
    layer().dyn_child(move || on.get().then(|| untrack(kiosk_profile)))
}

/// An element that takes no part in layout (the stylesheet's `dom-host`), holding parts that
/// sit side by side with no element of their own around them.
fn layer() -> El {
    el("div").class("dom-host")
}

/// What the kiosk is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    /// Someone is (or was recently) using it.
    Active,
    /// "Still there?": the exhibit starts over at `until` (ms since the epoch).
    Countdown { until: f64 },
    /// Nobody is there: the exhibit tours itself.
    Attract,
}

/// Timings in milliseconds, from the link and the settings.
#[derive(Clone, Copy, Debug)]
struct Timing {
    idle: f64,
    countdown: f64,
    /// How long each step of the tour stays on screen.
    dwell: f64,
}

impl Timing {
    fn of(c: Ctx) -> Timing {
        let (idle_link, (idle_set, countdown_set)) = (
            c.route.with_untracked(|r| r.idle),
            c.with(|e| {
                (
                    e.settings.kiosk.idle_seconds,
                    e.settings.kiosk.countdown_seconds,
                )
            }),
        );
        let idle = idle_link.unwrap_or(idle_set).max(1);
        // A short idle (set in the link for a test or a set-up) gets a countdown no longer than itself.
        let countdown = countdown_set.min(idle).max(1);
        let dwell = idle.clamp(3, 8);
        Timing {
            idle: f64::from(idle) * 1000.0,
            countdown: f64::from(countdown) * 1000.0,
            dwell: f64::from(dwell) * 1000.0,
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The start view of the kiosk: the home map in the default language, no filters, keeping only
/// the profile, the idle override and the data folder.
fn start_route(c: Ctx) -> Route {
    let (idle, data) = c.route.with_untracked(|r| (r.idle, r.data.clone()));
    Route {
        kiosk: true,
        idle,
        data,
        ..Route::default()
    }
}

/// How many chapters of each story the attract tour shows (enough to see the map travel).
const TOUR_CHAPTERS: usize = 2;

/// The screens of the attract tour after the welcome: the shelf of story covers, the first
/// chapters of each story in the settings' `attract` (the map flying from one chapter's focus
/// to the next), its areas and places, and the welcome again (`Page::Map` at the start view).
fn tour_screens(c: Ctx) -> Vec<Page> {
    c.with(|e| {
        let mut out = Vec::new();
        if !e.stories.is_empty() {
            out.push(Page::Stories);
        }
        for step in &e.settings.kiosk.attract {
            match step {
                AttractStep::Story(id) => {
                    let n = e
                        .stories
                        .iter()
                        .find(|s| &s.id == id)
                        .map_or(0, |s| s.chapters.len().min(TOUR_CHAPTERS));
                    out.extend((0..n).map(|chapter| Page::Story {
                        id: id.clone(),
                        chapter,
                    }));
                }
                AttractStep::Area(id) if e.areas.iter().any(|a| &a.id == id) => {
                    out.push(Page::Area { id: id.clone() })
                }
                AttractStep::Place(id) if e.place(id).is_some() => {
                    out.push(Page::Place { id: id.clone() })
                }
                _ => {}
            }
        }
        // The tour returns to the welcome before it begins again.
        if !out.is_empty() {
            out.push(Page::Map);
        }
        out
    })
}

/// A window event listener with explicit capture/passive options, removed when dropped.
struct Listener {
    name: &'static str,
    capture: bool,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    fn new(
        name: &'static str,
        capture: bool,
        passive: bool,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<Listener> {
        let window = web_sys::window()?;
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(capture);
        options.set_passive(passive);
        window
            .add_event_listener_with_callback_and_add_event_listener_options(
                name,
                closure.as_ref().unchecked_ref(),
                &options,
            )
            .ok()?;
        Some(Listener {
            name,
            capture,
            closure,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback_and_bool(
                self.name,
                self.closure.as_ref().unchecked_ref(),
                self.capture,
            );
        }
    }
}

/// Whether a link leads out of the exhibit (another origin, or not http(s) at all).
fn leaves_exhibit(target: &web_sys::EventTarget) -> bool {
    let Some(el) = target.dyn_ref::<web_sys::Element>() else {
        return false;
    };
    let Ok(Some(a)) = el.closest("a[href]") else {
        return false;
    };
    let href = a.get_attribute("href").unwrap_or_default();
    let Some(window) = web_sys::window() else {
        return true;
    };
    let here = window.location().href().unwrap_or_default();
    match web_sys::Url::new_with_base(&href, &here) {
        Ok(url) => {
            url.origin() != window.location().origin().unwrap_or_default()
                || a.has_attribute("target")
        }
        Err(_) => true,
    }
}

fn set_root_class(on: bool) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let list = el.class_list();
        let _ = if on {
            list.add_1("kiosk")
        } else {
            list.remove_1("kiosk")
        };
    }
}

/// The kiosk's behaviour and its overlays (built only while the profile is on).
fn kiosk_profile() -> El {
    let c = ctx();
    let generation = use_context::<ResetGeneration>().map(|g| g.0);
    let phase = RwSignal::new(Phase::Active);
    let remaining = RwSignal::new(0u32);
    let last_input = StoredValue::new(now());
    // Clicks until this time are swallowed: the touch that stopped the tour does nothing else.
    let swallow_until = StoredValue::new(0.0f64);
    // (next screen of the tour, when to show it)
    let tour = StoredValue::new((0usize, 0.0f64));
    let screens = StoredValue::new(tour_screens(c));
    // Whether the start view shows the welcome (until "explore the map"; again after a reset).
    let welcome_on = RwSignal::new(true);

    set_root_class(true);
    on_cleanup(|| set_root_class(false));

    let reset = move || {
        c.replace(start_route(c));
        welcome_on.set(true);
        c.hovered.set(None);
        if let Some(g) = generation {
            g.update(|g| *g = g.wrapping_add(1));
        }
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
            if let Some(el) = w
                .document()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.blur();
            }
        }
    };
    let at_start = move || c.route.with_untracked(|r| *r == start_route(c));

    // Someone touched, typed or scrolled.
    let input = move |ev: &web_sys::Event| {
        // A pointer that did not really move (the browser re-checking hover after the page
        // changed under a resting cursor) is nobody's input.
        let moving = ev.type_() == "pointermove";
        if moving
            && ev
                .dyn_ref::<web_sys::MouseEvent>()
                .is_some_and(|m| m.movement_x() == 0 && m.movement_y() == 0)
        {
            return;
        }
        let t = now();
        last_input.set_value(t);
        match phase.get_untracked() {
            Phase::Active => {}
            Phase::Countdown { .. } => phase.set(Phase::Active),
            // A pointer merely moving does not stop the tour; a touch, a key or the wheel does,
            // and the start view is handed over.
            Phase::Attract if !moving => {
                swallow_until.set_value(t + 700.0);
                phase.set(Phase::Active);
                reset();
            }
            Phase::Attract => {}
        }
    };

    guard_the_page(input, swallow_until);

    let tick = move || {
        let t = now();
        let timing = Timing::of(c);
        match phase.get_untracked() {
            Phase::Active => {
                if t - last_input.get_value() >= timing.idle {
                    if at_start() {
                        // Nothing to lose: straight to the tour, from the welcome.
                        welcome_on.set(true);
                        phase.set(Phase::Attract);
                        tour.set_value((0, t + timing.dwell));
                    } else {
                        remaining.set((timing.countdown / 1000.0).ceil() as u32);
                        phase.set(Phase::Countdown {
                            until: t + timing.countdown,
                        });
                    }
                }
            }
            Phase::Countdown { until } => {
                let left = ((until - t) / 1000.0).ceil();
                if left <= 0.0 {
                    reset();
                    phase.set(Phase::Attract);
                    tour.set_value((0, t + timing.dwell));
                } else if remaining.get_untracked() != left as u32 {
                    remaining.set(left as u32);
                }
            }
            Phase::Attract => {
                let (next, when) = tour.get_value();
                if t >= when {
                    let page =
                        screens.with_value(|s| (!s.is_empty()).then(|| s[next % s.len()].clone()));
                    if let Some(page) = page {
                        if page == Page::Map {
                            welcome_on.set(true);
                        }
                        c.replace(start_route(c).with_page(page));
                        let n = screens.with_value(Vec::len).max(1);
                        tour.set_value(((next + 1) % n, t + timing.dwell));
                    }
                }
            }
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(200)) {
        on_cleanup(move || handle.clear());
    }

    // The Continue button of the card on screen: focused as the card appears.
    let continue_button = Handle::<web_sys::HtmlElement>::new();
    let counting = Memo::new(move |_| matches!(phase.get(), Phase::Countdown { .. }));
    let touring = Memo::new(move |_| phase.get() == Phase::Attract);
    Effect::new(move |_| {
        if counting.get()
            && let Some(b) = continue_button.get()
        {
            let _ = b.focus();
        }
    });
    let stay = move || {
        last_input.set_value(now());
        phase.set(Phase::Active);
    };

    let attract_hint = attract_hint(c);
    let welcome_shown = Memo::new(move |_| {
        welcome_on.get() && c.route.with(|r| *r == start_route(c)) && !counting.get()
    });
    // The welcome's cards open stories; its map button leaves it for the free map.
    let welcome_view = move || {
        welcome_shown
            .get()
            .then(|| untrack(|| crate::components::welcome::welcome(move || welcome_on.set(false))))
    };

    layer()
        .dyn_child(welcome_view)
        .maybe(handoff())
        .dyn_child(move || {
            counting
                .get()
                .then(|| idle_card(remaining, continue_button, stay))
        })
        .dyn_child(move || touring.get().then(&attract_hint))
}

/// The kiosk's hold on the page: every touch, key or wheel counts as `input`; no context
/// menu, page pinch or Ctrl + wheel zoom; a click that stopped the tour (until `swallow_until`)
/// or that would leave the exhibit does nothing. The listeners go with the profile.
fn guard_the_page(
    input: impl Fn(&web_sys::Event) + Copy + 'static,
    swallow_until: StoredValue<f64>,
) {
    let mut listeners: Vec<Listener> = Vec::new();
    for name in [
        "pointerdown",
        "pointermove",
        "keydown",
        "wheel",
        "touchstart",
    ] {
        listeners.extend(Listener::new(name, true, true, move |ev| input(&ev)));
    }
    listeners.extend(Listener::new("contextmenu", true, false, |ev| {
        ev.prevent_default()
    }));
    // Safari's page pinch; Chromium's is held off by `touch-action` in the stylesheet.
    for name in ["gesturestart", "gesturechange"] {
        listeners.extend(Listener::new(name, true, false, |ev| ev.prevent_default()));
    }
    // Ctrl + wheel (a trackpad pinch) would zoom the page: the map handles its own wheel.
    listeners.extend(Listener::new("wheel", false, false, |ev| {
        if ev
            .dyn_ref::<web_sys::WheelEvent>()
            .is_some_and(|w| w.ctrl_key())
        {
            ev.prevent_default();
        }
    }));
    for name in ["click", "auxclick"] {
        listeners.extend(Listener::new(name, true, false, move |ev| {
            let swallow = now() < swallow_until.get_value();
            let outward = ev.target().is_some_and(|t| leaves_exhibit(&t));
            if swallow || outward {
                ev.prevent_default();
            }
            if swallow {
                ev.stop_propagation();
            }
        }));
    }
    let listeners = StoredValue::new_local(Rc::new(RefCell::new(listeners)));
    on_cleanup(move || {
        listeners.try_with_value(|l| l.borrow_mut().clear());
    });
}

/// "Still there?": the countdown card, its Continue button bound to `continue_button` (focused
/// as the card appears) and calling `stay`.
fn idle_card(
    remaining: RwSignal<u32>,
    continue_button: Handle<web_sys::HtmlElement>,
    stay: impl Fn() + 'static,
) -> El {
    let c = ctx();
    el("div").class("kiosk-idle").child(
        el("div")
            .class("kiosk-idle-card")
            .attr("role", "alertdialog")
            .attr("aria-modal", "true")
            .attr("aria-labelledby", "kiosk-idle-title")
            .attr("aria-describedby", "kiosk-idle-note")
            .child(
                el("h2")
                    .attr("id", "kiosk-idle-title")
                    .dyn_text(tr("kiosk.still_there")),
            )
            .child(
                el("p")
                    .attr("id", "kiosk-idle-note")
                    .class("kiosk-idle-note")
                    .dyn_text(move || {
                        c.t("kiosk.starting_over")
                            .replace("{n}", &remaining.get().to_string())
                    }),
            )
            .child(
                el("div")
                    .class("kiosk-count")
                    .attr("aria-hidden", "true")
                    .child(
                        el("span")
                            .class("kiosk-count-n")
                            .dyn_text(move || remaining.get().to_string()),
                    ),
            )
            .child(
                el("button")
                    .class("kiosk-continue")
                    .bind(continue_button)
                    .on_click(stay)
                    .dyn_text(tr("kiosk.continue")),
            ),
    )
}

/// The attract tour's band: what is on screen, in every language, and "touch to explore".
fn attract_hint(c: Ctx) -> impl Fn() -> El + 'static {
    // The tour's caption: what is on screen, in every language, in a band over the header
    // (where it covers no label of the map); none on the welcome, which speaks for itself.
    let caption = Memo::new(move |_| {
        let page = c.route.with(|r| r.page.clone());
        c.with(|e| {
            let all: Vec<Lang> = Lang::ALL.to_vec();
            let pick = |t: &lilong_core::model::Localized| -> Vec<String> {
                all.iter().map(|l| t.get(*l).to_string()).collect()
            };
            match &page {
                Page::Stories => Some(
                    all.iter()
                        .map(|l| e.t(*l, "attract.stories").to_string())
                        .collect(),
                ),
                Page::Story { id, .. } => e.story(id).map(|s| pick(&s.title)),
                Page::Area { id } => e.area(id).map(|a| pick(&a.name)),
                Page::Place { id } => e.place(id).map(|p| pick(&p.name)),
                _ => None,
            }
        })
    });
    let touch_line = c.with(|e| {
        let mut seen: Vec<String> = Vec::new();
        for l in Lang::ALL {
            let t = e.t(l, "kiosk.touch_to_explore").to_string();
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        seen.join(" · ")
    });
    move || {
        let band = caption.get().map(|lines| {
            let mut seen: Vec<String> = Vec::new();
            for t in lines {
                if !t.is_empty() && !seen.contains(&t) {
                    seen.push(t);
                }
            }
            el("p")
                .class("kiosk-attract-caption")
                .child(
                    el("span")
                        .class("kiosk-attract-dot")
                        .attr("aria-hidden", "true"),
                )
                .text(&seen.join(" · "))
        });
        el("div")
            .class("kiosk-attract")
            .dyn_class("on-welcome", move || caption.get().is_none())
            .child(
                el("div")
                    .class("kiosk-attract-band")
                    .maybe(band)
                    .child(el("p").class("kiosk-attract-hint").text(&touch_line)),
            )
    }
}
