//! Sharing the view on screen: the system's share sheet where the browser has one
//! (`navigator.share`), else the link copied to the clipboard, with a visible "Link copied".
//! Both are reached through `js_sys::Reflect`, so a browser without either still runs.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::dom::{El, el};
use crate::state::ctx;
use crate::timers::set_timeout;

/// How long the "Link copied" note stays.
const NOTE_MS: u64 = 4000;

fn method(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
}

/// What sharing did.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Shared,
    Copied,
    Failed,
}

async fn share_link() -> Outcome {
    let Some(window) = web_sys::window() else {
        return Outcome::Failed;
    };
    let url = window.location().href().unwrap_or_default();
    let title = window.document().map(|d| d.title()).unwrap_or_default();
    let nav: JsValue = window.navigator().into();
    if let Some(share) = method(&nav, "share") {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
        let _ = js_sys::Reflect::set(&data, &"url".into(), &url.clone().into());
        if let Ok(p) = share.call1(&nav, &data)
            && let Ok(p) = p.dyn_into::<js_sys::Promise>()
        {
            // Cancelling the sheet is the visitor's choice, not a failure to report.
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            return Outcome::Shared;
        }
    }
    let clipboard = js_sys::Reflect::get(&nav, &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(write) = method(&clipboard, "writeText")
        && let Ok(p) = write.call1(&clipboard, &url.into())
        && let Ok(p) = p.dyn_into::<js_sys::Promise>()
        && wasm_bindgen_futures::JsFuture::from(p).await.is_ok()
    {
        return Outcome::Copied;
    }
    Outcome::Failed
}

/// The share button and its note.
pub fn share_button() -> El {
    let c = ctx();
    let note = RwSignal::new(None::<Outcome>);
    let generation = StoredValue::new(0u32);
    el("div")
        .class("share")
        .child(
            el("button")
                .class("share-button")
                .on("click", move |_: web_sys::Event| {
                    leptos::task::spawn_local(async move {
                        let outcome = share_link().await;
                        if outcome == Outcome::Shared {
                            return;
                        }
                        if note.try_set(Some(outcome)).is_some() {
                            return;
                        }
                        let g = generation.try_update_value(|g| {
                            *g += 1;
                            *g
                        });
                        set_timeout(
                            move || {
                                if generation.try_get_value() == g {
                                    note.try_set(None);
                                }
                            },
                            std::time::Duration::from_millis(NOTE_MS),
                        );
                    });
                })
                .child(
                    el("span")
                        .class("share-icon")
                        .attr("aria-hidden", "true")
                        .text("↗"),
                )
                .dyn_text(move || c.t("story.share")),
        )
        .child(
            el("p")
                .class("share-note")
                .attr("role", "status")
                .dyn_class("shown", move || note.get().is_some())
                .dyn_text(move || match note.get() {
                    Some(Outcome::Copied) => c.t("story.link_copied"),
                    Some(Outcome::Failed) => c.t("story.copy_failed"),
                    _ => String::new(),
                }),
        )
}
