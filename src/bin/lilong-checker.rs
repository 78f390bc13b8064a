//! The checker worker: reads the exhibit's JSON files off the page's thread and answers with the
//! checked exhibit (`lilong_core::checked`), which the app then reads as it reads `checked.bin`.
//!
//! The app starts it (`lilong-checker_loader.js?data=<folder>`) only when the data folder has no
//! `checked.bin` made from its files as they are now — a curator's edit, or a site served
//! straight from the sources. So the JSON loader and validator live in this module, not in the
//! app's, and the page stays responsive while they run.
//!
//! It answers with one message: `{checked, fromGood}` — the checked exhibit's bytes (an
//! `ArrayBuffer`, transferred) and `[file, why]` for each file read from this device's last good
//! copy because the server's could not be used (`last_good`) — or a text saying what went wrong.
//! Each file that loaded cleanly becomes the last good copy.

#[path = "../last_good.rs"]
mod last_good;

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

/// The files to check: each file as the server has it, or its last good copy (`last_good`)
/// when the server's cannot be used and this device has one. Answers the bytes of the checked
/// exhibit and, for each file read from its last good copy, the file and why.
async fn check(scope: &DedicatedWorkerGlobalScope, base: &str) -> (Vec<u8>, Vec<(String, String)>) {
    let fetches = lilong_core::load::FILES.iter().map(|f| {
        let url = format!("{base}/{f}");
        async move { (*f, fetch(scope, &url).await) }
    });
    let mut files = futures::future::join_all(fetches).await;
    let write = |files: &[(&str, Option<Vec<u8>>)]| {
        let refs: Vec<(&str, Option<&[u8]>)> =
            files.iter().map(|(n, b)| (*n, b.as_deref())).collect();
        lilong_core::checked::write(&refs)
    };
    let mut bytes = write(&files);
    let Ok(caches) = scope.caches() else {
        return (bytes, Vec::new());
    };
    let page = scope.location().href();
    let Ok(first) = lilong_core::checked::read(&bytes) else {
        return (bytes, Vec::new());
    };
    // A file that cannot be used is read from its last good copy, when this device has one.
    let mut from_good = Vec::new();
    for (name, content) in files.iter_mut() {
        if !first.loaded.unusable.iter().any(|u| u == name) {
            continue;
        }
        if let Some(good) = last_good::get(&caches, &last_good::key(&page, base, name)).await {
            let why = first
                .loaded
                .problems
                .iter()
                .find(|p| p.file == *name && p.is_error())
                .map(|p| format!("{}:{}:{}: {}", p.file, p.line, p.col, p.message))
                .unwrap_or_else(|| format!("{name}: missing"));
            *content = Some(good);
            from_good.push((name.to_string(), why));
        }
    }
    let loaded = if from_good.is_empty() {
        first.loaded
    } else {
        bytes = write(&files);
        match lilong_core::checked::read(&bytes) {
            Ok(c) => c.loaded,
            Err(_) => return (bytes, from_good),
        }
    };
    // Each file as the server has it that loaded cleanly becomes the last good copy.
    let names = files
        .iter()
        .filter(|(n, b)| b.is_some() && !from_good.iter().any(|(g, _)| g == n))
        .map(|(n, _)| *n);
    for name in last_good::clean_files(&loaded, names) {
        if let Some((_, Some(b))) = files.iter().find(|(n, _)| *n == name) {
            let arr = Uint8Array::from(b.as_slice());
            last_good::put(&caches, &last_good::key(&page, base, name), &arr).await;
        }
    }
    (bytes, from_good)
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    wasm_bindgen_futures::spawn_local(async move {
        let base = data_folder(&scope);
        let (bytes, from_good) = check(&scope, &base).await;
        let out = Uint8Array::new_with_length(bytes.len() as u32);
        out.copy_from(&bytes);
        drop(bytes);
        let buf = out.buffer();
        let good = js_sys::Array::new();
        for (file, why) in from_good {
            good.push(&js_sys::Array::of2(&file.into(), &why.into()));
        }
        let answer = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&answer, &"checked".into(), &buf);
        let _ = js_sys::Reflect::set(&answer, &"fromGood".into(), &good);
        let sent = scope.post_message_with_transfer(&answer, &js_sys::Array::of1(&buf));
        if sent.is_err() {
            let _ = scope.post_message(&JsValue::from_str("the checked exhibit could not be sent"));
        }
    });
}
