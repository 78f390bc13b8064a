//! Fetching the data files by relative URL, so a curator can edit a deployed exhibit's JSON
//! and reload without rebuilding.
//!
//! `index.html` requests `checked.bin` itself while the app's code downloads and compiles
//! (`window.lilongPrefetch`, keyed by URL); the app takes that answer when it is waiting, and
//! fetches anew otherwise.

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use lilong_core::checked::{Fingerprint, Stamp};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

/// The answer `index.html` already asked for, taken (so a later fetch asks the server again).
fn prefetched(url: &str) -> Option<Promise> {
    let window = web_sys::window()?;
    let table = js_sys::Reflect::get(&window, &"lilongPrefetch".into()).ok()?;
    if !table.is_object() {
        return None;
    }
    let key = JsValue::from_str(url);
    let p = js_sys::Reflect::get(&table, &key)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let _ = js_sys::Reflect::delete_property(table.unchecked_ref::<js_sys::Object>(), &key);
    Some(p)
}

/// Fetches `url` into an `ArrayBuffer` (in the JS heap); `None` when it is missing or the
/// request fails. The browser revalidates with the server (`no-cache`), so an edited file is
/// picked up on the next load.
pub async fn fetch_buffer(url: &str) -> Option<ArrayBuffer> {
    let window = web_sys::window()?;
    let request = match prefetched(url) {
        Some(p) => p,
        None => {
            let init = RequestInit::new();
            init.set_cache(RequestCache::NoCache);
            window.fetch_with_str_and_init(url, &init)
        }
    };
    let resp: Response = JsFuture::from(request).await.ok()?.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    JsFuture::from(resp.array_buffer().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// The whole of a fetched buffer, copied into the wasm memory.
pub fn to_vec(buf: &ArrayBuffer) -> Vec<u8> {
    Uint8Array::new(buf).to_vec()
}

/// Every file the loader reads from one data folder (`None`: missing).
pub struct Fetched {
    pub files: Vec<(&'static str, Option<ArrayBuffer>)>,
}

/// Fetches every file the loader reads from the folder `base` (e.g. `data`), all at once.
pub async fn fetch_data(base: &str) -> Fetched {
    let files = lilong_core::load::FILES.iter().map(|f| {
        let url = format!("{base}/{f}");
        async move { (*f, fetch_buffer(&url).await) }
    });
    Fetched {
        files: futures::future::join_all(files).await,
    }
}

impl Fetched {
    /// Each file's stamp, fed from the JS heap in slices: the files are never copied whole
    /// into the wasm memory for this.
    pub fn stamps(&self) -> Vec<(&'static str, Option<Stamp>)> {
        let mut slice = vec![0u8; 256 * 1024];
        self.files
            .iter()
            .map(|(name, buf)| {
                let stamp = buf.as_ref().map(|b| {
                    let all = Uint8Array::new(b);
                    let mut f = Fingerprint::new();
                    let n = all.length();
                    let mut at = 0;
                    while at < n {
                        let end = (at + slice.len() as u32).min(n);
                        let piece = &mut slice[..(end - at) as usize];
                        all.subarray(at, end).copy_to(piece);
                        f.update(piece);
                        at = end;
                    }
                    f.finish()
                });
                (*name, stamp)
            })
            .collect()
    }
}
