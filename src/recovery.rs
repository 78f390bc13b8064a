//! Self-recovery: an exhibit left alone must never stay broken.
//!
//! [`install`] (called by `main` before anything is mounted) sets a panic hook and listens for
//! the window's `error` and `unhandledrejection` events. On the first of these the page is covered
//! by a calm screen, built with plain DOM calls (text nodes only) because the app's own state may
//! be unusable by then:
//!
//! - in kiosk mode (`kiosk=1` in the link, or the app's root marked `.kiosk` by the settings) it
//!   says the exhibit is restarting and reloads the page after a few seconds — 3 s, then longer
//!   (up to a minute) when it keeps failing soon after each start, so a broken deployment does not
//!   reload in a tight loop;
//! - elsewhere it says something went wrong and offers a reload button.
//!
//! The reload is the browser's own `location.reload`, bound in JavaScript and handed to
//! `setTimeout` and `onclick`: no Rust code has to run again once the module has trapped
//! (release builds abort on panic).
//!
//! Test hook: the exported function `lilong_test_panic` panics on purpose. It is reachable only
//! from script (`window.wasmBindings.lilong_test_panic()`, as the end-to-end tests call it from
//! the DevTools protocol), never from a link or anything a visitor can touch.
//! `lilong_wasm_memory_bytes` reports the module's memory for the soak test.

use std::cell::Cell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, Window};

/// The id of the recovery screen (one per page).
pub const SCREEN_ID: &str = "recovery";

/// Storage key of the recent restarts: `"<count> <ms since the epoch of the last one>"`.
const RESTARTS_KEY: &str = "lilong.restarts";

thread_local! {
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Installs the panic hook and the window's error listeners. Call once, before mounting.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        // The message and stack in the console first, for whoever looks at the machine.
        console_error_panic_hook::hook(info);
        fail();
    }));
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let message = js_sys::Reflect::get(&ev, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        // Chromium reports a harmless ResizeObserver hiccup as a window error; it is not a failure.
        if message.contains("ResizeObserver loop") {
            return;
        }
        fail();
    });
    let _ = window.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    let _ = window
        .add_event_listener_with_callback("unhandledrejection", on_error.as_ref().unchecked_ref());
    // Listeners for the page's whole life.
    on_error.forget();
}

/// Panics on purpose, to test the recovery (see the module's documentation).
#[wasm_bindgen]
pub fn lilong_test_panic() {
    panic!("lilong_test_panic: a panic asked for by a test");
}

/// The bytes of the module's linear memory, for the soak test's before/after figures (read from
/// script as `window.wasmBindings.lilong_wasm_memory_bytes()`).
#[wasm_bindgen]
pub fn lilong_wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as f64
        })
        .unwrap_or(0.0)
}

/// Shows the recovery screen (once) and, in kiosk mode, schedules the reload.
fn fail() {
    if SHOWN.with(|s| s.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(doc) = window.document() else {
        return;
    };
    let kiosk = in_kiosk(&window, &doc);
    let reload = bound_reload(&window);
    let delay_ms = if kiosk { restart_delay_ms(&window) } else { 0 };
    let _ = show(&doc, kiosk, delay_ms, reload.as_ref());
    if kiosk && let Some(f) = &reload {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(f, delay_ms as i32);
    }
}

/// Whether the page runs as a kiosk: the link says so, or the app marked its root.
fn in_kiosk(window: &Window, doc: &Document) -> bool {
    let by_root = doc.query_selector("main.kiosk").ok().flatten().is_some();
    let search = window.location().search().unwrap_or_default();
    let by_link = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("kiosk"))
        .is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "no"));
    by_root || by_link
}

/// `location.reload` bound to the location, as a plain JavaScript function.
fn bound_reload(window: &Window) -> Option<js_sys::Function> {
    let location: JsValue = window.location().into();
    let reload = js_sys::Reflect::get(&location, &JsValue::from_str("reload")).ok()?;
    let reload: js_sys::Function = reload.dyn_into().ok()?;
    Some(reload.bind0(&location))
}

/// 3 s after the first failure; doubled for each failure within five minutes of the previous
/// one, up to a minute. Counted in the tab's session storage, so it survives the reloads.
fn restart_delay_ms(window: &Window) -> u32 {
    let now = js_sys::Date::now();
    let storage = window.session_storage().ok().flatten();
    let previous = storage
        .as_ref()
        .and_then(|s| s.get_item(RESTARTS_KEY).ok().flatten())
        .unwrap_or_default();
    let mut parts = previous.split_whitespace();
    let count: u32 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
    let last: f64 = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0.0);
    let recent = if now - last < 5.0 * 60_000.0 {
        count
    } else {
        0
    };
    if let Some(s) = &storage {
        let _ = s.set_item(RESTARTS_KEY, &format!("{} {now}", recent + 1));
    }
    (3_000u32 << recent.min(5)).min(60_000)
}

/// Covers the page with the calm screen. Text nodes only; styles through the CSS object model
/// (allowed by the content security policy, unlike style attributes).
fn show(
    doc: &Document,
    kiosk: bool,
    delay_ms: u32,
    reload: Option<&js_sys::Function>,
) -> Result<(), JsValue> {
    let body = doc.body().ok_or(JsValue::NULL)?;
    let screen: HtmlElement = doc.create_element("div")?.dyn_into()?;
    screen.set_id(SCREEN_ID);
    screen.set_class_name("recovery");
    screen.set_attribute("role", "alert")?;
    screen.set_attribute("data-kiosk", if kiosk { "true" } else { "false" })?;
    let s = screen.style();
    for (k, v) in [
        ("position", "fixed"),
        ("inset", "0"),
        ("z-index", "2147483647"),
        ("display", "flex"),
        ("flex-direction", "column"),
        ("align-items", "center"),
        ("justify-content", "center"),
        ("gap", "1.25rem"),
        ("padding", "2rem"),
        ("text-align", "center"),
        ("background", "#f4efe6"),
        ("color", "#2b2622"),
        ("font-size", "clamp(1.05rem, 2.2vw, 1.6rem)"),
        ("line-height", "1.5"),
    ] {
        s.set_property(k, v)?;
    }
    let line = |tag: &str, text: &str, size: &str| -> Result<(), JsValue> {
        let el: HtmlElement = doc.create_element(tag)?.dyn_into()?;
        el.set_text_content(Some(text));
        el.style().set_property("margin", "0")?;
        el.style().set_property("font-size", size)?;
        el.style().set_property("max-width", "36em")?;
        screen.append_child(&el)?;
        Ok(())
    };
    if kiosk {
        let secs = delay_ms.div_ceil(1000);
        line("h2", "展览正在重新启动…", "1.6em")?;
        line("p", "The exhibit is restarting…", "1.1em")?;
        line(
            "p",
            &format!("{secs} 秒后自动恢复 · back in {secs} seconds"),
            "0.85em",
        )?;
    } else {
        line("h2", "出了点问题 · Something went wrong", "1.5em")?;
        line(
            "p",
            "重新载入页面即可继续浏览。· Reload the page to carry on.",
            "1em",
        )?;
        let button: HtmlElement = doc.create_element("button")?.dyn_into()?;
        button.set_class_name("recovery-reload");
        button.set_attribute("type", "button")?;
        button.set_text_content(Some("重新载入 · Reload"));
        let b = button.style();
        for (k, v) in [
            ("font", "inherit"),
            ("padding", "0.6em 1.6em"),
            ("border", "0"),
            ("border-radius", "999px"),
            ("background", "#b5473a"),
            ("color", "#fff"),
            ("cursor", "pointer"),
            ("min-height", "48px"),
        ] {
            b.set_property(k, v)?;
        }
        if let Some(f) = reload {
            button.set_onclick(Some(f));
        }
        screen.append_child(&button)?;
    }
    body.append_child(&screen)?;
    if let Ok(Some(button)) = screen.query_selector("button")
        && let Ok(button) = button.dyn_into::<HtmlElement>()
    {
        let _ = button.focus();
    }
    if let Some(root) = doc.get_element_by_id("app") {
        let _ = root.set_attribute("aria-hidden", "true");
    }
    Ok(())
}
