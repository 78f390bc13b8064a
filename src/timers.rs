//! Timeouts, intervals and animation frames whose callbacks run whatever becomes of the view that
//! scheduled them, each freed once it has run.
//!
//! Leptos 0.9's helpers of the same names tie a timer to the reactive owner current when it is
//! set and cancel it when that owner is cleaned up, which for an effect is each time it runs
//! again. The app is written for timers that always fire: the map's highlight effect keeps the
//! handle of the frame it asked for and asks for no other until that frame has run (a frame
//! cancelled by the effect's next run would leave the highlight unpainted for good), and
//! `state::after_paint` writes the address after the view that asked for it may be gone. These
//! are what the app uses instead; imported by name, they take the place of the prelude's.

use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

fn window() -> Result<web_sys::Window, JsValue> {
    web_sys::window().ok_or(JsValue::NULL)
}

fn millis(d: Duration) -> i32 {
    d.as_millis().min(i32::MAX as u128) as i32
}

/// An animation frame asked for, which can be cancelled before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnimationFrameRequestHandle(i32);

impl AnimationFrameRequestHandle {
    pub fn cancel(&self) {
        if let Ok(w) = window() {
            let _ = w.cancel_animation_frame(self.0);
        }
    }
}

/// A timeout set, which can be cleared before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutHandle(i32);

impl TimeoutHandle {
    pub fn clear(&self) {
        if let Ok(w) = window() {
            w.clear_timeout_with_handle(self.0);
        }
    }
}

/// An interval set, which runs until it is cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntervalHandle(i32);

impl IntervalHandle {
    pub fn clear(&self) {
        if let Ok(w) = window() {
            w.clear_interval_with_handle(self.0);
        }
    }
}

/// Runs `cb` before the next repaint.
pub fn request_animation_frame_with_handle(
    cb: impl FnOnce() + 'static,
) -> Result<AnimationFrameRequestHandle, JsValue> {
    let cb = Closure::once_into_js(cb);
    window()?
        .request_animation_frame(cb.unchecked_ref())
        .map(AnimationFrameRequestHandle)
}

/// Runs `cb` before the next repaint.
pub fn request_animation_frame(cb: impl FnOnce() + 'static) {
    let _ = request_animation_frame_with_handle(cb);
}

/// Runs `cb` once `duration` has passed.
pub fn set_timeout_with_handle(
    cb: impl FnOnce() + 'static,
    duration: Duration,
) -> Result<TimeoutHandle, JsValue> {
    let cb = Closure::once_into_js(cb);
    window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), millis(duration))
        .map(TimeoutHandle)
}

/// Runs `cb` once `duration` has passed.
pub fn set_timeout(cb: impl FnOnce() + 'static, duration: Duration) {
    let _ = set_timeout_with_handle(cb, duration);
}

/// Runs `cb` every `duration` until the handle is cleared.
pub fn set_interval_with_handle(
    cb: impl Fn() + 'static,
    duration: Duration,
) -> Result<IntervalHandle, JsValue> {
    let cb = Closure::<dyn Fn()>::new(cb).into_js_value();
    window()?
        .set_interval_with_callback_and_timeout_and_arguments_0(
            cb.unchecked_ref(),
            millis(duration),
        )
        .map(IntervalHandle)
}
