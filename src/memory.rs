//! Counts the bytes the app holds on its heap, so a long run can tell a leak (live bytes that
//! keep rising) from the allocator keeping its high-water mark (linear memory only ever grows).
//! Read from script as `window.wasmBindings.lilong_heap_bytes()` (the soak test does), and the
//! start-up's performance marks with the heap's peak in each phase (`lilong_heap_phases()`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::prelude::wasm_bindgen;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes live at once since the last start-up mark (see [`mark`]).
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes currently allocated by the app (not counting the allocator's own free lists).
#[wasm_bindgen]
pub fn lilong_heap_bytes() -> f64 {
    LIVE.load(Ordering::Relaxed) as f64
}

thread_local! {
    /// For each start-up mark: its name, the bytes live then, and the most live since the mark
    /// before it.
    static PHASES: std::cell::RefCell<Vec<(String, usize, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A `performance.mark` for the benchmark's breakdown of the start-up (data fetched, loaded,
/// map prepared, first frame painted), with the heap's figures for the phase it ends.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
    let live = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.swap(live, Ordering::Relaxed);
    let _ = PHASES.try_with(|p| p.borrow_mut().push((name.to_string(), live, peak)));
    if name == "lilong-interactive" {
        let waiting = INTERACTIVE
            .try_with(|w| w.borrow_mut().take())
            .ok()
            .flatten();
        for resolve in waiting.unwrap_or_default() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    }
}

thread_local! {
    /// Who waits for the first picture (`None` once it is there).
    static INTERACTIVE: std::cell::RefCell<Option<Vec<js_sys::Function>>> =
        const { std::cell::RefCell::new(Some(Vec::new())) };
}

/// Resolves once the map's first picture is on screen (the `lilong-interactive` mark), or after
/// `max_ms` when no map is shown (the health page, a story without a map).
pub async fn interactive_or(max_ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let queued = INTERACTIVE
            .try_with(|w| match w.borrow_mut().as_mut() {
                Some(list) => {
                    list.push(resolve.clone());
                    true
                }
                None => false,
            })
            .unwrap_or(false);
        if !queued {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        } else if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, max_ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The start-up's phases as JSON: `[[mark, bytes live at the mark, most bytes live during the
/// phase], …]`; the phase's peak is the most the linear memory had to hold in it.
#[wasm_bindgen]
pub fn lilong_heap_phases() -> String {
    PHASES.with(|p| {
        let rows: Vec<String> = p
            .borrow()
            .iter()
            .map(|(n, l, k)| format!("[\"{n}\",{l},{k}]"))
            .collect();
        format!("[{}]", rows.join(","))
    })
}
