//! End-to-end harness: the release build (`dist/`, or `$LILONG_DIST`) served on 127.0.0.1, driven
//! in headless Chromium through the DevTools protocol.
//!
//! ```no_run
//! use lilong_e2e::Exhibit;
//!
//! let app = Exhibit::start().unwrap(); // serves dist/, opens `/`, waits for the app to start
//! assert_eq!(app.text("h1").unwrap(), "上海里弄");
//! app.finish().unwrap(); // fails on console errors; marks the test as passed
//! ```
//!
//! A test that ends without `finish()` — a panic, or an early return through `?` — leaves a
//! screenshot in `tests/artifacts/<test name>.png` and prints the page's console.

pub mod server;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Accessibility, Emulation, Input, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};

pub use server::StaticServer;

/// The selector the app sets once its data has loaded and the map is drawn.
pub const READY: &str = r#"[data-ready="true"]"#;

/// The flags Chromium needs on these machines: headless, no sandbox as root, and no background
/// traffic on the closed network.
pub const CHROMIUM_FLAGS: [&str; 6] = [
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
];

/// The two screens the exhibit is designed for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Viewport {
    /// A 1920×1080 kiosk or desktop screen, mouse and keyboard.
    Desktop,
    /// A 390×844 phone, touch, device pixel ratio 3.
    Phone,
}

impl Viewport {
    pub fn size(self) -> (u32, u32) {
        match self {
            Viewport::Desktop => (1920, 1080),
            Viewport::Phone => (390, 844),
        }
    }
}

/// How to start the exhibit.
#[derive(Clone, Debug)]
pub struct Options {
    /// The built site; default `$LILONG_DIST`, else `dist/` at the workspace root.
    pub dist: Option<PathBuf>,
    /// The first page to open (path, query, fragment).
    pub path: String,
    pub viewport: Viewport,
    /// How long the app may take to set `data-ready="true"`; default `$LILONG_E2E_TIMEOUT`
    /// seconds, else 30 s (the test machine's two cores are shared).
    pub start_timeout: Duration,
    /// Wait for the app to start (false: only for the page to load).
    pub wait_ready: bool,
    /// Save a screenshot when the test fails (off for a test whose page is meant to fail).
    pub screenshot_on_failure: bool,
}

impl Default for Options {
    fn default() -> Self {
        let secs = std::env::var("LILONG_E2E_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(30);
        Options {
            dist: None,
            path: "/".into(),
            viewport: Viewport::Desktop,
            start_timeout: Duration::from_secs(secs),
            wait_ready: true,
            screenshot_on_failure: true,
        }
    }
}

/// One console message, uncaught exception or browser log entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleEntry {
    /// `error`, `warning`, `info`, `log`, `debug`…, or `exception` for an uncaught exception.
    pub level: String,
    pub text: String,
}

impl ConsoleEntry {
    /// An error a visitor's page should never have: console errors, uncaught exceptions, failed
    /// loads and Rust panics.
    pub fn is_error(&self) -> bool {
        self.level == "error" || self.level == "exception" || self.is_panic()
    }

    pub fn is_panic(&self) -> bool {
        self.text.contains("panicked at")
    }
}

/// An element in the accessibility tree: what a screen reader announces.
#[derive(Clone, Debug, PartialEq)]
pub struct AxNode {
    pub role: String,
    pub name: String,
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// The built site the tests run against.
pub fn dist_dir() -> PathBuf {
    match std::env::var_os("LILONG_DIST").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join("dist"),
    }
}

/// A copy of the built site (`dist_dir()`) in a fresh folder named after `label`, changed by
/// `edit(site folder)` (its data is in `data/`): the one way a test serves a site it altered.
pub fn site_copy(label: &str, edit: impl FnOnce(&Path) -> Result<()>) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("lilong-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&dist_dir(), &dir)
        .with_context(|| format!("copying the site to {}", dir.display()))?;
    edit(&dir)?;
    Ok(dir)
}

/// Copies a folder and everything in it (a built site, before a test edits its data).
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Polls a JavaScript expression until it is `true`; returns how long that took.
pub fn wait_js(app: &Exhibit, expression: &str, timeout: Duration, what: &str) -> Result<Duration> {
    let start = Instant::now();
    loop {
        if let Ok(serde_json::Value::Bool(true)) = app.eval(expression) {
            return Ok(start.elapsed());
        }
        if start.elapsed() > timeout {
            bail!("{what}: `{expression}` still not true after {timeout:.0?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The page's query string (`location.search`): the view the link holds.
pub fn location_search(app: &Exhibit) -> Result<String> {
    // The app writes the address just after the next paint (a frame, then a task): read it once
    // a change made before this call has been written.
    Ok(app
        .eval(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => \
             setTimeout(() => r(location.search), 0))))",
        )?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// Where failure screenshots go: `tests/artifacts/`.
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts")
}

/// The Chromium binary: `$LILONG_CHROMIUM`, else the first of the usual names on PATH.
pub fn chromium_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("LILONG_CHROMIUM").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!(
        "no Chromium found: run the tests with `cargo xtask test` (it installs one), \
         or set LILONG_CHROMIUM to a Chrome/Chromium binary"
    )
}

/// The name of the running test (cargo's test threads are named after their test).
fn test_name() -> String {
    let name = std::thread::current().name().unwrap_or("e2e").to_string();
    name.replace("::", "-")
        .replace(|c: char| !c.is_alphanumeric() && c != '-' && c != '_', "_")
}

/// The running exhibit: a server over the built site, a browser and its one page.
pub struct Exhibit {
    name: String,
    // Field order is drop order: the page, then the browser, then the server.
    tab: Arc<Tab>,
    _browser: Browser,
    server: StaticServer,
    console: Arc<Mutex<Vec<ConsoleEntry>>>,
    finished: bool,
    screenshot_on_failure: bool,
    started: Instant,
}

impl Exhibit {
    /// Serves `dist/`, opens `/` on a desktop screen and waits for the app to start.
    pub fn start() -> Result<Exhibit> {
        Exhibit::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> Result<Exhibit> {
        let started = Instant::now();
        let dist = options.dist.clone().unwrap_or_else(dist_dir);
        if !dist.join("index.html").is_file() {
            bail!(
                "no built site at {}: run `cargo xtask build` first (`cargo xtask test` does it)",
                dist.display()
            );
        }
        let server = StaticServer::start(&dist)?;
        let chromium = chromium_path()?;
        let (w, h) = Viewport::Desktop.size();
        let flags: Vec<&std::ffi::OsStr> =
            CHROMIUM_FLAGS.iter().map(std::ffi::OsStr::new).collect();
        let launch = LaunchOptions::default_builder()
            .path(Some(chromium.clone()))
            .headless(true)
            .sandbox(false)
            .enable_gpu(false)
            .window_size(Some((w, h)))
            .args(flags)
            // No user_data_dir: the crate makes a fresh temporary profile for each browser.
            .idle_browser_timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| anyhow!("browser options: {e}"))?;
        let browser =
            Browser::new(launch).with_context(|| format!("launching {}", chromium.display()))?;
        let tab = browser.new_tab().context("opening a page")?;
        tab.set_default_timeout(options.start_timeout);

        let console = Arc::new(Mutex::new(Vec::new()));
        let sink = console.clone();
        tab.add_event_listener(Arc::new(move |event: &Event| {
            if let Some(entry) = console_entry(event)
                && let Ok(mut log) = sink.lock()
            {
                log.push(entry);
            }
        }))?;
        tab.enable_runtime()?;
        tab.enable_log()?;

        let app = Exhibit {
            name: test_name(),
            tab,
            _browser: browser,
            server,
            console,
            finished: false,
            screenshot_on_failure: options.screenshot_on_failure,
            started,
        };
        app.set_viewport(options.viewport)?;
        let navigated = app.navigate(&options.path);
        let ready = navigated.and_then(|()| {
            if options.wait_ready {
                app.wait_ready(options.start_timeout)
            } else {
                Ok(())
            }
        });
        match ready {
            Ok(()) => {
                app.note(&format!(
                    "app started in {:.1}s at {}",
                    app.started.elapsed().as_secs_f64(),
                    app.server.url(&options.path)
                ));
                Ok(app)
            }
            // `app` is dropped unfinished here, which saves a screenshot.
            Err(e) => Err(e),
        }
    }

    /// Prints a line tagged with the test's name (shown by `cargo test -- --show-output`).
    pub fn note(&self, what: &str) {
        println!("[{}] {what}", self.name);
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    pub fn tab(&self) -> &Tab {
        &self.tab
    }

    fn navigate(&self, path: &str) -> Result<()> {
        let url = self.server.url(path);
        self.tab
            .navigate_to(&url)
            .with_context(|| format!("opening {url}"))?;
        self.tab
            .wait_until_navigated()
            .with_context(|| format!("loading {url}"))?;
        Ok(())
    }

    /// Opens `path` (e.g. `/?lang=en#area=310101023005`) and waits for the app to start.
    pub fn open(&self, path: &str) -> Result<()> {
        let mark = self.console().len();
        self.navigate(path)?;
        self.wait_ready_after(mark, Options::default().start_timeout)
    }

    /// Waits until the app has set `data-ready="true"`. Fails at once with "app did not start"
    /// when the page throws or panics first, and after `timeout` otherwise.
    pub fn wait_ready(&self, timeout: Duration) -> Result<()> {
        self.wait_ready_after(0, timeout)
    }

    /// [`Exhibit::wait_ready`], minding only what the console got after its first `mark` entries.
    fn wait_ready_after(&self, mark: usize, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        let probe = format!("document.querySelector('{READY}') !== null");
        loop {
            if let Ok(serde_json::Value::Bool(true)) = self.eval(&probe) {
                return Ok(());
            }
            let fatal: Vec<String> = self
                .console()
                .into_iter()
                .skip(mark)
                .filter(|e| e.level == "exception" || e.is_panic())
                .map(|e| e.text)
                .collect();
            if !fatal.is_empty() {
                bail!("app did not start: {}", fatal.join("\n"));
            }
            if start.elapsed() > timeout {
                let errors = self.console_errors();
                bail!(
                    "app did not start within {:.0?}: nothing matches {READY}{}",
                    timeout,
                    if errors.is_empty() {
                        " and the console has no error".to_string()
                    } else {
                        format!("; console errors:\n  {}", errors.join("\n  "))
                    }
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Evaluates a JavaScript expression (promises are awaited) and returns its value as JSON.
    pub fn eval(&self, expression: &str) -> Result<serde_json::Value> {
        let out = self.tab.call_method(Runtime::Evaluate {
            expression: expression.to_string(),
            object_group: None,
            include_command_line_api: None,
            silent: Some(true),
            context_id: None,
            return_by_value: Some(true),
            generate_preview: None,
            user_gesture: Some(true),
            await_promise: Some(true),
            throw_on_side_effect: None,
            timeout: None,
            disable_breaks: None,
            repl_mode: None,
            allow_unsafe_eval_blocked_by_csp: None,
            unique_context_id: None,
            serialization_options: None,
        })?;
        if let Some(ex) = out.exception_details {
            let detail = ex.exception.and_then(|e| e.description).unwrap_or(ex.text);
            bail!("`{expression}` threw: {detail}");
        }
        Ok(out.result.value.unwrap_or(serde_json::Value::Null))
    }

    /// Calls `f(element, …args)` on the first element matching `selector` (an error when none).
    fn on_element(&self, selector: &str, body: &str) -> Result<serde_json::Value> {
        let sel = serde_json::to_string(selector)?;
        let value = self.eval(&format!(
            "(() => {{ const el = document.querySelector({sel}); \
             if (!el) return {{ missing: true }}; return {{ value: (el => {body})(el) }}; }})()"
        ))?;
        if value.get("missing").is_some() {
            bail!("no element matches `{selector}`");
        }
        Ok(value
            .get("value")
            .cloned()
            .unwrap_or(serde_json::Value::Null))
    }

    /// Waits (up to the start timeout) until an element matches `selector`.
    pub fn wait_for(&self, selector: &str) -> Result<()> {
        self.wait_for_timeout(selector, Options::default().start_timeout)
    }

    pub fn wait_for_timeout(&self, selector: &str, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        while self.count(selector)? == 0 {
            if start.elapsed() > timeout {
                bail!("nothing matched `{selector}` within {timeout:.0?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// How many elements match `selector`.
    pub fn count(&self, selector: &str) -> Result<usize> {
        let sel = serde_json::to_string(selector)?;
        let n = self.eval(&format!("document.querySelectorAll({sel}).length"))?;
        n.as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| anyhow!("count of `{selector}`: {n}"))
    }

    /// The rendered text of the first element matching `selector` (`innerText`, trimmed).
    pub fn text(&self, selector: &str) -> Result<String> {
        let v = self.on_element(selector, "el.innerText")?;
        Ok(v.as_str().unwrap_or_default().trim().to_string())
    }

    /// The rendered texts of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Result<Vec<String>> {
        let sel = serde_json::to_string(selector)?;
        let v = self.eval(&format!(
            "Array.from(document.querySelectorAll({sel}), el => el.innerText.trim())"
        ))?;
        Ok(serde_json::from_value(v)?)
    }

    /// An attribute of the first element matching `selector` (`None` when it has none).
    pub fn attr(&self, selector: &str, name: &str) -> Result<Option<String>> {
        let name = serde_json::to_string(name)?;
        let v = self.on_element(selector, &format!("el.getAttribute({name})"))?;
        Ok(v.as_str().map(String::from))
    }

    /// The accessible name of the first element matching `selector`, as the browser computes it.
    pub fn accessible_name(&self, selector: &str) -> Result<String> {
        Ok(self.ax_node(selector)?.name)
    }

    /// The accessible role and name of the first element matching `selector`.
    pub fn ax_node(&self, selector: &str) -> Result<AxNode> {
        let element = self
            .tab
            .find_element(selector)
            .with_context(|| format!("finding `{selector}`"))?;
        let tree = self.tab.call_method(Accessibility::GetPartialAXTree {
            node_id: None,
            backend_node_id: Some(element.backend_node_id),
            object_id: None,
            fetch_relatives: Some(false),
        })?;
        let node = tree
            .nodes
            .first()
            .ok_or_else(|| anyhow!("`{selector}` has no accessibility node"))?;
        Ok(ax_node(node))
    }

    /// Every element (not hidden from assistive technology) with this role, and this accessible
    /// name when one is given.
    pub fn by_role(&self, role: &str, name: Option<&str>) -> Result<Vec<AxNode>> {
        let doc = self.tab.get_document()?;
        let found = self.tab.call_method(Accessibility::QueryAXTree {
            node_id: None,
            backend_node_id: Some(doc.backend_node_id),
            object_id: None,
            accessible_name: name.map(String::from),
            role: Some(role.to_string()),
        })?;
        Ok(found
            .nodes
            .iter()
            .filter(|n| !n.ignored)
            .map(ax_node)
            .collect())
    }

    /// Clicks the middle of the first element matching `selector`, with real mouse events.
    pub fn click(&self, selector: &str) -> Result<()> {
        let element = self
            .tab
            .find_element(selector)
            .with_context(|| format!("finding `{selector}`"))?;
        element.scroll_into_view()?;
        element
            .click()
            .with_context(|| format!("clicking `{selector}`"))?;
        Ok(())
    }

    /// Clicks at a point of the viewport (CSS pixels).
    pub fn click_at(&self, x: f64, y: f64) -> Result<()> {
        self.tab
            .click_point(headless_chrome::browser::tab::point::Point { x, y })?;
        Ok(())
    }

    /// Presses a key on the focused element: `Enter`, `Escape`, `Tab`, `ArrowLeft`, `a`…
    pub fn press_key(&self, key: &str) -> Result<()> {
        self.tab
            .press_key(key)
            .with_context(|| format!("pressing {key}"))?;
        Ok(())
    }

    /// Types text into the focused element.
    pub fn type_text(&self, text: &str) -> Result<()> {
        self.tab.type_str(text)?;
        Ok(())
    }

    /// Focuses the first element matching `selector`.
    pub fn focus(&self, selector: &str) -> Result<()> {
        self.on_element(selector, "el.focus()")?;
        Ok(())
    }

    /// The element that has keyboard focus, as a short description (`button#close.x`).
    pub fn focused(&self) -> Result<String> {
        let v = self.eval(
            "(() => { const el = document.activeElement; if (!el) return ''; \
             return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + \
             Array.from(el.classList, c => '.' + c).join(''); })()",
        )?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Dispatches one touch event (`TouchStart`, `TouchMove`, `TouchEnd`, `TouchCancel`) with
    /// fingers at these viewport points; `TouchEnd` takes no points.
    pub fn touch(
        &self,
        kind: Input::DispatchTouchEventTypeOption,
        points: &[(f64, f64)],
    ) -> Result<()> {
        let touch_points = points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| Input::TouchPoint {
                x,
                y,
                radius_x: None,
                radius_y: None,
                rotation_angle: None,
                force: None,
                tangential_pressure: None,
                tilt_x: None,
                tilt_y: None,
                twist: None,
                id: Some(i as f64),
            })
            .collect();
        self.tab.call_method(Input::DispatchTouchEvent {
            Type: kind,
            touch_points,
            modifiers: None,
            timestamp: None,
        })?;
        Ok(())
    }

    /// A one-finger tap at a viewport point.
    pub fn tap_at(&self, x: f64, y: f64) -> Result<()> {
        self.touch(Input::DispatchTouchEventTypeOption::TouchStart, &[(x, y)])?;
        self.touch(Input::DispatchTouchEventTypeOption::TouchEnd, &[])
    }

    /// A one-finger tap on the middle of the first element matching `selector`.
    pub fn tap(&self, selector: &str) -> Result<()> {
        let (x, y) = self.center(selector)?;
        self.tap_at(x, y)
    }

    /// A one-finger drag from one point to another, in `steps` moves.
    pub fn swipe(&self, from: (f64, f64), to: (f64, f64), steps: u32) -> Result<()> {
        use Input::DispatchTouchEventTypeOption as T;
        self.touch(T::TouchStart, &[from])?;
        let steps = steps.max(1);
        for i in 1..=steps {
            let t = f64::from(i) / f64::from(steps);
            self.touch(
                T::TouchMove,
                &[(from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t)],
            )?;
        }
        self.touch(T::TouchEnd, &[])
    }

    /// The centre of the first element matching `selector`, in viewport CSS pixels.
    pub fn center(&self, selector: &str) -> Result<(f64, f64)> {
        let v = self.on_element(
            selector,
            "(() => { el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; })()",
        )?;
        let xy: Vec<f64> = serde_json::from_value(v)?;
        match xy.as_slice() {
            [x, y] => Ok((*x, *y)),
            _ => bail!("no box for `{selector}`"),
        }
    }

    /// Resizes the page to one of the exhibit's screens; `Phone` also turns on touch.
    pub fn set_viewport(&self, viewport: Viewport) -> Result<()> {
        let (width, height) = viewport.size();
        let phone = viewport == Viewport::Phone;
        self.tab.call_method(Emulation::SetDeviceMetricsOverride {
            width,
            height,
            device_scale_factor: if phone { 3.0 } else { 1.0 },
            mobile: phone,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })?;
        self.tab.call_method(Emulation::SetTouchEmulationEnabled {
            enabled: phone,
            max_touch_points: if phone { Some(5) } else { None },
        })?;
        Ok(())
    }

    /// The viewport's size in CSS pixels, as the page sees it.
    pub fn viewport_size(&self) -> Result<(u32, u32)> {
        let v = self.eval("[window.innerWidth, window.innerHeight]")?;
        let wh: Vec<u32> = serde_json::from_value(v)?;
        match wh.as_slice() {
            [w, h] => Ok((*w, *h)),
            _ => bail!("unexpected viewport size"),
        }
    }

    /// Saves a PNG of the viewport as `tests/artifacts/<test name>-<label>.png`.
    pub fn screenshot(&self, label: &str) -> Result<PathBuf> {
        let png = self.tab.capture_screenshot(
            Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )?;
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!("{}-{label}.png", self.name));
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// Everything the page logged so far.
    pub fn console(&self) -> Vec<ConsoleEntry> {
        self.console.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The console errors, uncaught exceptions, failed loads and panics so far.
    pub fn console_errors(&self) -> Vec<String> {
        self.console()
            .into_iter()
            .filter(ConsoleEntry::is_error)
            .map(|e| format!("{}: {}", e.level, e.text))
            .collect()
    }

    /// Fails when the page logged an error; call it at the end of every test. A test that ends
    /// without it has failed, and leaves a screenshot.
    pub fn finish(mut self) -> Result<()> {
        let errors = self.console_errors();
        if !errors.is_empty() {
            bail!(
                "the page logged {} error(s):\n  {}",
                errors.len(),
                errors.join("\n  ")
            );
        }
        self.finished = true;
        self.note(&format!(
            "passed in {:.1}s",
            self.started.elapsed().as_secs_f64()
        ));
        Ok(())
    }
}

impl Drop for Exhibit {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if self.screenshot_on_failure {
            match self.screenshot("failure") {
                Ok(path) => eprintln!(
                    "[{}] screenshot of the failing page: {}",
                    self.name,
                    path.display()
                ),
                Err(e) => eprintln!("[{}] no screenshot: {e}", self.name),
            }
        }
        let log = self.console();
        if !log.is_empty() {
            eprintln!("[{}] page console:", self.name);
            for e in log {
                eprintln!("  {}: {}", e.level, e.text);
            }
        }
    }
}

fn ax_node(node: &Accessibility::AXNode) -> AxNode {
    let text = |v: &Option<Accessibility::AXValue>| -> String {
        v.as_ref()
            .and_then(|v| v.value.as_ref())
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default()
    };
    AxNode {
        role: text(&node.role),
        name: text(&node.name),
    }
}

/// Turns a DevTools event into a console entry, when it is one.
fn console_entry(event: &Event) -> Option<ConsoleEntry> {
    match event {
        Event::RuntimeConsoleAPICalled(e) => {
            let level = format!("{:?}", e.params.Type).to_lowercase();
            let text = e
                .params
                .args
                .iter()
                .map(|a| match &a.value {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                    None => a.description.clone().unwrap_or_default(),
                })
                .collect::<Vec<_>>()
                .join(" ");
            Some(ConsoleEntry { level, text })
        }
        Event::RuntimeExceptionThrown(e) => {
            let d = &e.params.exception_details;
            let what = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_default();
            Some(ConsoleEntry {
                level: "exception".into(),
                text: format!("{} {what}", d.text),
            })
        }
        Event::LogEntryAdded(e) => {
            let entry = &e.params.entry;
            let url = entry.url.clone().unwrap_or_default();
            // Chromium asks every site for a favicon on its own; the exhibit does not need one.
            if url.ends_with("/favicon.ico") {
                return None;
            }
            let level = format!("{:?}", entry.level).to_lowercase();
            let text = if url.is_empty() {
                entry.text.clone()
            } else {
                format!("{} ({url})", entry.text)
            };
            Some(ConsoleEntry { level, text })
        }
        _ => None,
    }
}

/// axe-core's script, installed by `cargo xtask test` into the tools folder.
pub fn axe_source() -> Result<String> {
    let path = match std::env::var_os("LILONG_AXE").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => {
            let tools = match std::env::var_os("LILONG_TOOLS_DIR").filter(|d| !d.is_empty()) {
                Some(d) => PathBuf::from(d),
                None => {
                    let cache = std::env::var_os("XDG_CACHE_HOME")
                        .filter(|d| !d.is_empty())
                        .map(PathBuf::from)
                        .or_else(|| {
                            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache"))
                        })
                        .context("no HOME")?;
                    cache.join("lilong").join("tools")
                }
            };
            tools.join("npm/node_modules/axe-core/axe.min.js")
        }
    };
    std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (run `cargo xtask test`, which installs axe-core)",
            path.display()
        )
    })
}

/// Runs axe on the page (WCAG 2.x A and AA rules, and best practices); returns the violations.
impl Exhibit {
    pub fn axe(&self, source: &str) -> Result<Vec<String>> {
        let app = self;
        if app.eval("typeof window.axe")?.as_str() != Some("object") {
            app.eval(source).context("injecting axe-core")?;
        }
        let v = app.eval(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }) \
         .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 4).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ').slice(0, 160) + ']' : '')).join(' | ')))",
    )?;
        Ok(serde_json::from_value(v)?)
    }
}
