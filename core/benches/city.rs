//! Native timing of what the app does with a data folder before its first frame: parse and
//! validate every file (`load`), then prepare the map geometry (`Scene::new`: projection, levels
//! of detail, R-tree, label anchors), build every level of detail and project the base map.
//!
//! `cargo bench -p lilong-core --bench city -- DIR [RUNS]` (`cargo xtask bench` runs it on the
//! generated city set). One warm-up run is discarded; the medians (and the minimums) of RUNS
//! runs (default 5) are printed as one JSON line, in milliseconds, with `peak_heap_mb`: the most heap bytes live at
//! once during one load and levels of detail (counted by the global allocator below during the
//! warm-up run only, so that counting does not slow the timed runs; from the moment the file
//! bytes are in memory, so the files themselves are not counted). `peak_load_mb` is that peak
//! while `load` runs (when the app also holds the files' bytes), `peak_lod_mb` the peak while
//! the scene and its levels of detail are built (the loaded exhibit included, the files no
//! longer), and `live_after_load_mb` what `load` leaves.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use lilong_core::geo::MultiPolygon;
use lilong_core::geometry::Scene;
use lilong_core::load::{FILES, load, load_precisely};

/// The system allocator, counting (while `COUNTING` is on) the bytes live and the most live
/// since the last reset.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            // Wrapping: a block allocated before counting began may be freed during it.
            let _ = LIVE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                Some(l.saturating_sub(layout.size()))
            });
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                let shrink = layout.size() - new_size;
                let _ = LIVE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                    Some(l.saturating_sub(shrink))
                });
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The fastest run: on a shared machine, the one least disturbed by other work.
fn least(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::min)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    // cargo passes `--bench`; the rest are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench -p lilong-core --bench city -- DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let contents: Vec<(&str, Option<Vec<u8>>)> = FILES
        .iter()
        .map(|f| (*f, std::fs::read(std::path::Path::new(dir).join(f)).ok()))
        .collect();
    let files: Vec<(&str, Option<&[u8]>)> =
        contents.iter().map(|(f, b)| (*f, b.as_deref())).collect();
    let (mut parse, mut prepare, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut counts = (0, 0, 0);
    let (mut peak_bytes, mut peak_load, mut peak_lod, mut after_load) = (0, 0, 0, 0);
    for run in 0..=runs {
        // Only the warm-up run counts memory.
        LIVE.store(0, Ordering::Relaxed);
        PEAK.store(0, Ordering::Relaxed);
        COUNTING.store(run == 0, Ordering::Relaxed);
        let t0 = Instant::now();
        let mut loaded = load(&files);
        let t1 = Instant::now();
        if run == 0 {
            peak_load = PEAK.load(Ordering::Relaxed);
            after_load = LIVE.load(Ordering::Relaxed);
            // From here, the peak of the scene part alone (what load left is still live).
            PEAK.store(after_load, Ordering::Relaxed);
        }
        // As the app does: the scene takes the loaded outlines over.
        let polys: Vec<MultiPolygon<f64>> = loaded
            .exhibit
            .areas
            .iter_mut()
            .map(|a| std::mem::replace(&mut a.geometry, MultiPolygon::new(Vec::new())))
            .collect();
        let scene = Scene::from_lonlat(polys);
        scene.lod().build_all();
        // The base map (streets and water), projected as `checked::write` does.
        let base = lilong_core::basemap::BaseLayer::new(&loaded.exhibit.basemap);
        std::hint::black_box(&base);
        let t2 = Instant::now();
        if run == 0 {
            COUNTING.store(false, Ordering::Relaxed);
            peak_lod = PEAK.load(Ordering::Relaxed);
            peak_bytes = peak_load.max(peak_lod);
        }
        let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
        counts = (
            loaded.exhibit.areas.len(),
            scene.lod().vertex_count(0),
            errors,
        );
        if run > 0 {
            parse.push((t1 - t0).as_secs_f64() * 1e3);
            prepare.push((t2 - t1).as_secs_f64() * 1e3);
            total.push((t2 - t0).as_secs_f64() * 1e3);
        }
    }
    // The precise path alone (every file one `Value`), for the comparison with the one-pass
    // reader: its time over RUNS runs and its peak heap in the warm-up run.
    let mut precise = Vec::new();
    let mut peak_precise = 0;
    for run in 0..=runs {
        LIVE.store(0, Ordering::Relaxed);
        PEAK.store(0, Ordering::Relaxed);
        COUNTING.store(run == 0, Ordering::Relaxed);
        let t0 = Instant::now();
        let loaded = load_precisely(&files, &[]);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        COUNTING.store(false, Ordering::Relaxed);
        if run == 0 {
            peak_precise = PEAK.load(Ordering::Relaxed);
        } else {
            precise.push(ms);
        }
        drop(loaded);
    }
    // The checked exhibit: written once, then read (and the files fingerprinted) RUNS times.
    let t = Instant::now();
    let checked_bytes = lilong_core::checked::write(&files);
    let write_ms = t.elapsed().as_secs_f64() * 1e3;
    let (mut read, mut stamp) = (Vec::new(), Vec::new());
    for _ in 0..=runs {
        let t0 = Instant::now();
        let stamps: Vec<_> = files
            .iter()
            .map(|(f, b)| (*f, b.map(lilong_core::checked::Fingerprint::of)))
            .collect();
        let t1 = Instant::now();
        let c = lilong_core::checked::read(&checked_bytes).expect("the checked file reads back");
        assert!(c.stale(&stamps).is_empty());
        let t2 = Instant::now();
        stamp.push((t1 - t0).as_secs_f64() * 1e3);
        read.push((t2 - t1).as_secs_f64() * 1e3);
    }
    read.remove(0);
    stamp.remove(0);
    println!(
        "{{\"checked_mb\":{:.2},\"checked_write_ms\":{write_ms:.1},\"checked_read_ms\":{:.1},\"fingerprint_ms\":{:.1},\"areas\":{},\"vertices\":{},\"errors\":{},\"runs\":{runs},\"load_ms\":{:.1},\"lod_ms\":{:.1},\"total_ms\":{:.1},\"min_load_ms\":{:.1},\"min_lod_ms\":{:.1},\"min_total_ms\":{:.1},\"peak_heap_mb\":{:.1},\"peak_load_mb\":{:.1},\"peak_lod_mb\":{:.1},\"live_after_load_mb\":{:.1},\"precise_load_ms\":{:.1},\"min_precise_load_ms\":{:.1},\"peak_precise_load_mb\":{:.1}}}",
        mb(checked_bytes.len()),
        median(read),
        median(stamp),
        counts.0,
        counts.1,
        counts.2,
        median(parse.clone()),
        median(prepare.clone()),
        median(total.clone()),
        least(&parse),
        least(&prepare),
        least(&total),
        mb(peak_bytes),
        mb(peak_load),
        mb(peak_lod),
        mb(after_load),
        median(precise.clone()),
        least(&precise),
        mb(peak_precise)
    );
}
