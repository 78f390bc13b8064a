//! Fetching the data files by relative URL, so a curator can edit a deployed exhibit's JSON
//! and reload without rebuilding.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

/// Fetches `url`; `None` when it is missing or the request fails. The browser revalidates
/// with the server (`no-cache`), so an edited file is picked up on the next load.
pub async fn fetch_bytes(url: &str) -> Option<Vec<u8>> {
    let window = web_sys::window()?;
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoCache);
    let resp = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .ok()?;
    let resp: Response = resp.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    let buf = JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}

/// Fetches every file the loader reads from the folder `base` (e.g. `data`), all at once.
pub async fn fetch_data(base: &str) -> Vec<(String, Option<Vec<u8>>)> {
    let futures = lilong_core::load::FILES.iter().map(|f| {
        let url = format!("{base}/{f}");
        async move { (f.to_string(), fetch_bytes(&url).await) }
    });
    futures::future::join_all(futures).await
}
