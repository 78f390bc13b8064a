//! The checker worker: reads the exhibit's JSON files off the page's thread and answers with the
//! checked exhibit (`lilong_core::checked`), which the app then reads as it reads `checked.bin`.
//!
//! The app starts it (`lilong-checker_loader.js?data=<folder>`) only when the data folder has no
//! `checked.bin` made from its files as they are now — a curator's edit, or a site served
//! straight from the sources. So the JSON loader and validator live in this module, not in the
//! app's, and the page stays responsive while they run.
//!
//! It answers with one message: the checked exhibit's bytes (an `ArrayBuffer`, transferred), or
//! a text saying what went wrong.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, RequestCache, RequestInit, Response};

/// Fetches `url` from the worker; `None` when it is missing or the request fails.
async fn fetch(scope: &DedicatedWorkerGlobalScope, url: &str) -> Option<Vec<u8>> {
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoCache);
    let resp: Response = JsFuture::from(scope.fetch_with_str_and_init(url, &init))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !resp.ok() {
        return None;
    }
    let buf: ArrayBuffer = JsFuture::from(resp.array_buffer().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}

/// The data folder named by this worker's own address (`?data=`), as the app names it.
fn data_folder(scope: &DedicatedWorkerGlobalScope) -> String {
    let search = scope.location().search();
    let route = lilong_core::route::Route::parse(&search);
    route.data.unwrap_or_else(|| "data".to_string())
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    wasm_bindgen_futures::spawn_local(async move {
        let base = data_folder(&scope);
        let fetches = lilong_core::load::FILES.iter().map(|f| {
            let url = format!("{base}/{f}");
            let scope = scope.clone();
            async move { (*f, fetch(&scope, &url).await) }
        });
        let files = futures::future::join_all(fetches).await;
        let refs: Vec<(&str, Option<&[u8]>)> =
            files.iter().map(|(n, b)| (*n, b.as_deref())).collect();
        let bytes = lilong_core::checked::write(&refs);
        drop(refs);
        drop(files);
        let out = Uint8Array::new_with_length(bytes.len() as u32);
        out.copy_from(&bytes);
        drop(bytes);
        let buf = out.buffer();
        let sent = scope.post_message_with_transfer(&buf, &js_sys::Array::of1(&buf));
        if sent.is_err() {
            let _ = scope.post_message(&JsValue::from_str("the checked exhibit could not be sent"));
        }
    });
}
