//! The app's side of the checker worker (`src/bin/lilong-checker.rs`): started when there is no
//! up-to-date `checked.bin`, it reads the JSON files off the page's thread and answers with the
//! checked exhibit's bytes.

use js_sys::{ArrayBuffer, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

/// Runs the checker on the data folder `base`: the checked exhibit's bytes, or why not.
pub async fn run(base: &str) -> Result<Vec<u8>, String> {
    let url = format!(
        "lilong-checker_loader.js?data={}",
        String::from(js_sys::encode_uri_component(base))
    );
    let worker = Worker::new(&url).map_err(|e| describe(&e))?;
    let answer = Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |ev: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &ev.data());
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        let on_error = Closure::once_into_js(move |ev: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &ev);
        });
        worker.set_onerror(Some(on_error.unchecked_ref()));
    });
    let answer = JsFuture::from(answer).await;
    worker.terminate();
    match answer {
        Ok(v) if v.is_instance_of::<ArrayBuffer>() => Ok(crate::fetch::to_vec(v.unchecked_ref())),
        Ok(v) => Err(v
            .as_string()
            .unwrap_or_else(|| "the checker answered nothing".into())),
        Err(e) => Err(describe(&e)),
    }
}

/// A JS error or error event in words.
fn describe(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "the checker could not be started".into())
}
