//! The browser half of `cargo xtask bench`: lilong and the Leaflet comparison page, measured in the
//! same run in headless Chromium at 1920×1080.
//!
//! `cargo run -p lilong-e2e --example bench -- SITE OUT.json [RUNS]`: SITE is a release build of lilong with the city data set in
//! `SITE/city/` and the Leaflet page in `SITE/bench/`. Each page is opened in a fresh browser
//! RUNS + 1 times (the first run is a warm-up and is discarded); the figures of every run go to
//! OUT.json, for `cargo xtask bench` to take medians and print the table.
//!
//! Per run, at city scale: time from navigation to the page's performance mark of its first
//! painted map; rAF frame intervals over a scripted drag pan (three drags) and wheel zoom (in,
//! then out), including the frames that redraw after each gesture; the longest Event Timing
//! duration of a tap on an area at 4× CPU throttling, and whether the panel then shows. On the
//! last run, memory (JS heap after a garbage collection, wasm memory, DOM nodes) before and after
//! 10,000 scripted interactions (hover moves, wheel steps, taps). On exhibit data: time to
//! interactive only.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use headless_chrome::protocol::cdp::{Emulation, HeapProfiler, Runtime};
use lilong_e2e::{Exhibit, Options, Viewport};
use serde_json::{Value, json};

/// One page under test.
struct Page {
    name: &'static str,
    /// Path with `{data}` for the data folder.
    path: &'static str,
    /// The performance mark set when the map is first painted.
    mark: &'static str,
    /// The element gestures are aimed at.
    map: &'static str,
    /// What shows once an area is selected.
    panel: &'static str,
    /// What shows once the page has finished starting (lilong compares its checked exhibit with
    /// the data files after the first picture); the gestures wait for it.
    settled: &'static str,
}

const PAGES: [Page; 3] = [
    Page {
        name: "lilong",
        path: "/?data={data}",
        mark: "lilong-interactive",
        map: ".map",
        panel: ".panel-head",
        settled: "[data-ready=\"true\"]",
    },
    Page {
        name: "leaflet-canvas",
        path: "/bench/leaflet.html?data={data}&renderer=canvas",
        mark: "leaflet-interactive",
        map: "#map",
        panel: "#panel:not([hidden])",
        settled: "#map",
    },
    Page {
        name: "leaflet-svg",
        path: "/bench/leaflet.html?data={data}&renderer=svg",
        mark: "leaflet-interactive",
        map: "#map",
        panel: "#panel:not([hidden])",
        settled: "#map",
    },
];

/// Scripted events dispatched in the page, the same for every page: pointer events for lilong,
/// mouse events for Leaflet (which takes the mouse from mouse events), one move per frame as a
/// real 60 Hz mouse would send them.
const DRIVER: &str = r#"
window.__bench = (() => {
  const raf = () => new Promise(r => requestAnimationFrame(r));
  const centre = sel => { const r = document.querySelector(sel).getBoundingClientRect();
                          return [r.left + r.width / 2, r.top + r.height / 2, r.width, r.height]; };
  const fire = (type, x, y, extra = {}) => {
    const el = document.elementFromPoint(x, y) || document.body;
    const init = Object.assign({ bubbles: true, cancelable: true, composed: true, view: window,
      clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0,
      buttons: (type.endsWith('up') || extra.hover) ? 0 : 1 }, extra);
    if (type === 'wheel') el.dispatchEvent(new WheelEvent('wheel', Object.assign(init, { deltaMode: 0 })));
    else if (type.startsWith('pointer')) el.dispatchEvent(new PointerEvent(type, init));
    else el.dispatchEvent(new MouseEvent(type, init));
  };
  const both = (kind, x, y, extra) => { fire('pointer' + kind, x, y, extra); fire('mouse' + kind, x, y, extra); };
  async function gestures(sel) {
    const [cx, cy] = centre(sel);
    const times = [];
    let running = true;
    const loop = t => { times.push(t); if (running) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    await raf(); await raf();
    for (let d = 0; d < 3; d++) {
      let x = cx, y = cy;
      both('down', x, y);
      for (let i = 0; i < 40; i++) { await raf(); x += (d % 2 ? -9 : 9); y += 3; both('move', x, y); }
      both('up', x, y);
      for (let i = 0; i < 30; i++) await raf();
    }
    for (const dir of [-1, 1]) {
      for (let i = 0; i < 10; i++) { await raf(); fire('wheel', cx, cy, { deltaY: dir * 100, buttons: 0 }); }
      for (let i = 0; i < 45; i++) await raf();
    }
    running = false;
    const iv = [];
    for (let i = 1; i < times.length; i++) iv.push(times[i] - times[i - 1]);
    return iv;
  }
  async function soak(sel, n, seed0) {
    const [cx, cy, w, h] = centre(sel);
    let seed = seed0;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let zoom = 0;
    for (let i = 0; i < n; i++) {
      const x = cx + (rnd() - 0.5) * w * 0.6, y = cy + (rnd() - 0.5) * h * 0.6;
      const k = i % 10;
      if (k < 7) both('move', x, y, { hover: true });
      else if (k === 7) { const dy = zoom > 2 ? 100 : -100; zoom += dy < 0 ? 1 : -1; fire('wheel', x, y, { deltaY: dy, buttons: 0 }); }
      else if (k === 8) { both('down', x, y); both('up', x, y); fire('click', x, y, { buttons: 0 }); }
      else { both('move', x, y, { hover: true }); }
      if (i % 25 === 24) await raf();
    }
    for (let i = 0; i < 30; i++) await raf();
    return n;
  }
  function watchEvents() {
    window.__events = [];
    new PerformanceObserver(list => { for (const e of list.getEntries()) window.__events.push([e.name, e.duration]); })
      .observe({ type: 'event', buffered: true, durationThreshold: 16 });
  }
  return { gestures, soak, watchEvents, centre };
})();
true
"#;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out, rest @ ..] = &args[..] else {
        bail!("usage: bench SITE OUT.json [RUNS]");
    };
    let runs: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(3);
    let site = PathBuf::from(site);
    let mut results = Vec::new();
    // `BENCH_PAGES=lilong,leaflet-canvas` measures only those pages (a quick re-run after a change).
    let only: Option<Vec<String>> = std::env::var("BENCH_PAGES")
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| s.split(',').map(str::to_string).collect());
    for page in PAGES
        .iter()
        .filter(|p| only.as_ref().is_none_or(|o| o.iter().any(|n| n == p.name)))
    {
        for data in ["data", "city"] {
            let city = data == "city";
            for run in 0..=runs {
                let soak = city && run == runs;
                let started = Instant::now();
                match measure(&site, page, data, soak) {
                    Ok(mut r) => {
                        r["page"] = json!(page.name);
                        r["data"] = json!(data);
                        r["run"] = json!(run);
                        r["warmup"] = json!(run == 0);
                        eprintln!(
                            "{:<15} {data:<5} run {run}: {} ({:.0?})",
                            page.name,
                            summary(&r),
                            started.elapsed()
                        );
                        results.push(r);
                    }
                    Err(e) => {
                        eprintln!("{:<15} {data:<5} run {run}: failed: {e:#}", page.name);
                        results.push(json!({ "page": page.name, "data": data, "run": run, "error": format!("{e:#}") }));
                    }
                }
            }
        }
    }
    std::fs::write(out, serde_json::to_string_pretty(&Value::Array(results))?)
        .with_context(|| format!("writing {out}"))?;
    Ok(())
}

fn summary(r: &Value) -> String {
    let f = |k: &str| {
        r.get(k)
            .and_then(Value::as_f64)
            .map(|v| format!("{v:.0}"))
            .unwrap_or("-".into())
    };
    format!(
        "interactive {} ms, frames p95 {} max {}, tap {} ms",
        f("interactive_ms"),
        f("frame_p95"),
        f("frame_max"),
        f("tap_ms")
    )
}

fn measure(site: &std::path::Path, page: &Page, data: &str, soak: bool) -> Result<Value> {
    let path = page.path.replace("{data}", data);
    let app = Exhibit::start_with(Options {
        dist: Some(site.to_path_buf()),
        path: path.clone(),
        viewport: Viewport::Desktop,
        wait_ready: false,
        screenshot_on_failure: false,
        ..Options::default()
    })?;
    let mark = serde_json::to_string(page.mark)?;
    let probe = format!("(performance.getEntriesByName({mark})[0] || {{}}).startTime ?? null");
    let start = Instant::now();
    let interactive = loop {
        if let Some(t) = app.eval(&probe)?.as_f64() {
            break t;
        }
        if start.elapsed() > Duration::from_secs(90) {
            bail!("{path}: no `{}` mark within 90 s", page.mark);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut r = json!({ "interactive_ms": interactive });
    if data != "city" {
        let _ = app.finish();
        return Ok(r);
    }
    // Let the page finish starting and the first frames settle before measuring.
    let settled = format!(
        "!!document.querySelector({})",
        serde_json::to_string(page.settled)?
    );
    while app.eval(&settled)?.as_bool() != Some(true) {
        if start.elapsed() > Duration::from_secs(90) {
            bail!("{path}: `{}` not shown within 90 s", page.settled);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    app.eval(DRIVER)?;
    let before = memory(&app)?;
    r["mem_before"] = before.clone();

    let sel = serde_json::to_string(page.map)?;
    let iv = app.eval(&format!("__bench.gestures({sel})"))?;
    let mut iv: Vec<f64> = iv
        .as_array()
        .ok_or_else(|| anyhow!("no frame intervals"))?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    iv.sort_by(f64::total_cmp);
    if iv.is_empty() {
        bail!("no frames recorded");
    }
    let pct = |p: f64| iv[((iv.len() - 1) as f64 * p).round() as usize];
    r["frames"] = json!(iv.len());
    r["frame_p50"] = json!(pct(0.5));
    r["frame_p95"] = json!(pct(0.95));
    r["frame_max"] = json!(iv[iv.len() - 1]);
    r["frames_over_50"] = json!(iv.iter().filter(|v| **v > 50.0).count());

    // Tap → highlighted and panel painted, at 4× CPU throttling, with real input events.
    std::thread::sleep(Duration::from_millis(400));
    app.eval("__bench.watchEvents(), true")?;
    app.tab()
        .call_method(Emulation::SetCPUThrottlingRate { rate: 4.0 })?;
    let (cx, cy) = app.center(page.map)?;
    for (dx, dy) in [(0.0, 0.0), (-160.0, 90.0), (180.0, -70.0)] {
        app.click_at(cx + dx, cy + dy)?;
        std::thread::sleep(Duration::from_millis(1500));
    }
    app.tab()
        .call_method(Emulation::SetCPUThrottlingRate { rate: 1.0 })?;
    let events = app.eval(
        "window.__events.filter(e => /^(pointer|mouse)(down|up)$|^click$/.test(e[0]))\
         .reduce((m, e) => Math.max(m, e[1]), 0)",
    )?;
    r["tap_ms"] = json!(events.as_f64().unwrap_or(0.0));
    r["panel_shown"] = json!(app.count(page.panel)? > 0);

    if soak {
        // Ten rounds of 1,000, so no single evaluation outlasts the protocol's timeout.
        let mut n = 0;
        for round in 0..10 {
            let done = app.eval(&format!("__bench.soak({sel}, 1000, {})", 12345 + round))?;
            n += done.as_u64().unwrap_or(0);
        }
        r["soak_interactions"] = json!(n);
        r["mem_after"] = memory(&app)?;
    }
    let _ = app.finish();
    Ok(r)
}

/// JS heap after a garbage collection, the wasm module's memory, DOM nodes.
fn memory(app: &Exhibit) -> Result<Value> {
    app.tab().call_method(HeapProfiler::CollectGarbage(None))?;
    let heap = app.tab().call_method(Runtime::GetHeapUsage(None))?;
    let wasm = app.eval("window.__lilongMemory ? window.__lilongMemory.buffer.byteLength : 0")?;
    let nodes = app.eval("document.getElementsByTagName('*').length")?;
    Ok(json!({
        "js_heap": heap.used_size,
        "wasm": wasm.as_f64().unwrap_or(0.0),
        "dom_nodes": nodes.as_f64().unwrap_or(0.0),
    }))
}
