//! The app's side of the checker worker (`src/bin/lilong-checker.rs`): started when there is no
//! up-to-date `checked.bin`, it reads the JSON files off the page's thread and answers with the
//! checked exhibit's bytes.

use js_sys::{ArrayBuffer, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

/// What the checker answers: the checked exhibit's bytes, and each file it read from this
/// device's last good copy (`crate::last_good`) with the reason the server's was not used.
pub struct Answer {
    pub checked: Vec<u8>,
    pub from_good: Vec<(String, String)>,
}

/// Runs the checker on the data folder `base`: its answer, or why there is none.
pub async fn run(base: &str) -> Result<Answer, String> {
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
        Ok(v) if v.is_object() && !v.is_instance_of::<js_sys::Error>() => {
            let get = |k: &str| js_sys::Reflect::get(&v, &k.into()).unwrap_or(JsValue::UNDEFINED);
            let checked = get("checked");
            if !checked.is_instance_of::<ArrayBuffer>() {
                return Err("the checker answered nothing".into());
            }
            let from_good = js_sys::Array::from(&get("fromGood"))
                .iter()
                .filter_map(|pair| {
                    let pair = js_sys::Array::from(&pair);
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect();
            Ok(Answer {
                checked: crate::fetch::to_vec(checked.unchecked_ref()),
                from_good,
            })
        }
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
