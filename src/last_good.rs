//! The last good copy of each data file, kept on the device so that a broken upload never
//! reaches a visitor.
//!
//! A browser cache of its own (`lilong-good`, which the service worker leaves alone when a new
//! build takes over) holds, for each data file, the last version that loaded without an error.
//! A file is put there only after the loader found nothing wrong in it — by the app when it
//! showed `checked.bin` made from exactly these files, by the checker worker when it read the
//! JSON — so the copy is only ever replaced by a version that loads cleanly. When a file on the
//! server cannot be used (missing, not JSON, the wrong shape), the checker reads this copy
//! instead and the health view says so.
//!
//! Used by the app (`src/app.rs`) and the checker worker (`src/bin/lilong-checker.rs`, which
//! includes this file as a module of its own, so it does not link the app).

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, Response};

/// The name of the cache of last good copies.
pub const CACHE: &str = "lilong-good";

/// The key of `file` in the data folder `base` (relative to `page`, the address the folder is
/// named from): the file's absolute address, the same from the page and from the worker.
pub fn key(page: &str, base: &str, file: &str) -> String {
    let rel = format!("{base}/{file}");
    web_sys::Url::new_with_base(&rel, page)
        .map(|u| u.href())
        .unwrap_or(rel)
}

async fn open(caches: &CacheStorage) -> Option<Cache> {
    JsFuture::from(caches.open(CACHE))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// The last good copy stored under `key`, if any.
pub async fn get(caches: &CacheStorage, key: &str) -> Option<Vec<u8>> {
    let cache = open(caches).await?;
    let found = JsFuture::from(cache.match_with_str(key)).await.ok()?;
    let resp: Response = found.dyn_into().ok()?;
    let buf: ArrayBuffer = JsFuture::from(resp.array_buffer().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}

/// Stores `bytes` as the last good copy under `key`; whether it was stored.
pub async fn put(caches: &CacheStorage, key: &str, bytes: &Uint8Array) -> bool {
    let Some(cache) = open(caches).await else {
        return false;
    };
    // A copy: the caller's buffer may be transferred or reused afterwards.
    let copy = Uint8Array::new(&bytes.slice(0, bytes.length()).buffer());
    let Ok(resp) = Response::new_with_opt_buffer_source(Some(copy.unchecked_ref())) else {
        return false;
    };
    JsFuture::from(cache.put_with_str(key, &resp)).await.is_ok()
}

/// The files of `loaded` that loaded cleanly: present, usable, and with no error in them.
pub fn clean_files<'a>(
    loaded: &lilong_core::load::Loaded,
    files: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    files
        .into_iter()
        .filter(|f| {
            !loaded.unusable.iter().any(|u| u == f)
                && !loaded.problems.iter().any(|p| p.file == *f && p.is_error())
        })
        .collect()
}
