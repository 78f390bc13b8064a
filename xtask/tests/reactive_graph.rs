//! The app's reactive graph forgets what a view leaves behind when it is dropped.
//!
//! Every view the app builds (`src/dom.rs`) runs under an `Owner`: its text and attributes are
//! render effects, its derived values memos, all reading long-lived signals (the language, the
//! route, a page's own state). When the view is rebuilt its owner is cleaned up and dropped. An
//! effect dropped that way does not run again, so it never unsubscribes itself from the signals it
//! read: the signal must forget it on its own, or every rebuild leaves the dead effect's allocation
//! in the signal's subscriber set for as long as the signal lives (reactive_graph 0.2 did: about
//! 1.6 KB per language change and 3.9 KB per page change in the app, without bound).
//!
//! reactive_graph keeps its subscriber sets private, so this counts the bytes live on the heap
//! (a counting global allocator, as `src/memory.rs` does in the app) before and after thousands
//! of rebuilds. The version tested is the app's: `Cargo.lock` holds one `reactive_graph`
//! (checked in `invariants.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, Ordering};

use any_spawner::Executor;
use reactive_graph::computed::Memo;
use reactive_graph::effect::RenderEffect;
use reactive_graph::owner::{Owner, on_cleanup};
use reactive_graph::signal::ArcRwSignal;
use reactive_graph::traits::{Get, Set};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The heap is shared: one measurement at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Rebuilds before measuring (sets and pools reach their working size), then rebuilds measured.
const WARM_UP: usize = 1_000;
const REBUILDS: usize = 10_000;
/// What the measured rebuilds may add to the heap in all: 16 KB, under 2 bytes a rebuild, for the
/// test harness's own threads. reactive_graph 0.3.0-rc1 adds 0 bytes in both tests; 0.2.16 added
/// 418 bytes a view in the first and 582 in the second, and 0.2.16 with its subscriber sets swept
/// still 164 bytes a view in the second (each dropped child kept by its parent owner).
const ALLOWED: isize = 16 * 1024;

fn start_executor() {
    // The effects' tasks run on this thread's local pool, driven by `Executor::poll_local`.
    let _ = Executor::init_futures_executor();
}

/// What one view of the app does with a long-lived signal: a render effect reads it, a memo
/// derives from it and another effect reads the memo; the signal changes while the view lives,
/// so the effects run again (unsubscribe, subscribe); then the view's owner is cleaned up.
fn build_view(language: &ArcRwSignal<usize>) {
    let text = RenderEffect::new({
        let language = language.clone();
        move |_| language.get() + 1
    });
    let derived = Memo::new({
        let language = language.clone();
        move |_| language.get() * 2
    });
    let attribute = RenderEffect::new(move |_| derived.get());
    // As `dom.rs` keeps a view's effects: until its owner is cleaned up.
    on_cleanup(move || drop((text, attribute)));
}

/// Live heap bytes added by `REBUILDS` rebuilds after `WARM_UP` ones.
fn growth(mut rebuild: impl FnMut(usize)) -> isize {
    for i in 0..WARM_UP {
        rebuild(i);
    }
    let before = LIVE.load(Ordering::Relaxed);
    for i in WARM_UP..WARM_UP + REBUILDS {
        rebuild(i);
    }
    LIVE.load(Ordering::Relaxed) - before
}

#[test]
fn effects_dropped_with_their_owner_leave_nothing_in_the_signals_they_read() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    start_executor();
    // Outlives every view, as the app's language signal does. Each view has its own root owner,
    // so the signal's subscriber set is the only place a dropped view could be kept.
    let language = ArcRwSignal::new(0usize);
    let grew = growth(|i| {
        let view = Owner::new();
        view.with(|| build_view(&language));
        Executor::poll_local();
        language.set(i);
        Executor::poll_local();
        view.cleanup();
        drop(view);
        Executor::poll_local();
    });
    assert!(
        grew < ALLOWED,
        "{REBUILDS} views that read one signal, each dropped with its owner, left {grew} bytes \
         on the heap ({:.1} a view): the signal keeps the effects that were dropped",
        grew as f64 / REBUILDS as f64
    );
}

#[test]
fn views_rebuilt_under_a_long_lived_owner_leave_nothing_behind() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    start_executor();
    // The app's shape: one owner for the page, a child owner for each view built under it (a list
    // row, `dom.rs`'s `dyn_keyed`), the signal created under the page's owner.
    let page = Owner::new();
    let language = page.with(|| ArcRwSignal::new(0usize));
    let grew = growth(|i| {
        let view = page.child();
        view.with(|| build_view(&language));
        Executor::poll_local();
        language.set(i);
        Executor::poll_local();
        view.cleanup();
        drop(view);
        Executor::poll_local();
    });
    assert!(
        grew < ALLOWED,
        "{REBUILDS} views rebuilt under one owner left {grew} bytes on the heap ({:.1} a view)",
        grew as f64 / REBUILDS as f64
    );
    page.cleanup();
}
