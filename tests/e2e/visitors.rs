//! Visitors (issue #6): search in three languages with simplified and traditional characters
//! finding each other, by keyboard and by touch, opening results on the map; the exhibit opens
//! again with the network off after one visit, and picks up edited data when online; axe-core
//! finds no accessibility violation on any view; deep links survive a reload and back/forward
//! walk through views.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use headless_chrome::protocol::cdp::Network;
use lilong_e2e::{
    Exhibit, Options, StaticServer, Viewport, axe_source, location_search as search_query,
    site_copy, wait_js,
};

const NANCHANG_AREA: &str = "310101023005";
const YUYANGLI: &str = "prov-310101023000-yuyangli";

/// Types `text` into the (empty) search field and waits for the result list to settle.
fn search_for(app: &Exhibit, text: &str) -> Result<Vec<(String, String, String)>> {
    app.focus("#search-input")?;
    app.eval("(() => { const i = document.querySelector('#search-input'); i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true})); })()")?;
    app.type_text(text)?;
    wait_js(
        app,
        "document.querySelector('#search-input').getAttribute('aria-expanded') === 'true' && document.querySelector('.search-count').textContent.length > 0",
        Duration::from_secs(5),
        &format!("results for {text}"),
    )?;
    let v = app.eval(
        "Array.from(document.querySelectorAll('#search-results [role=option]'), o => [o.dataset.kind, o.dataset.id, o.querySelector('.search-title').textContent])",
    )?;
    Ok(serde_json::from_value(v)?)
}

fn wait_text(app: &Exhibit, selector: &str, want: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        let got = app.text(selector).unwrap_or_default();
        if got == want {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(5) {
            bail!("`{selector}` shows {got:?}, expected {want:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn search_finds_areas_and_buildings_in_three_languages_and_opens_them_on_the_map() -> Result<()> {
    let app = Exhibit::start()?;
    // The combobox and its listbox, named.
    ensure!(app.attr("#search-input", "role")?.as_deref() == Some("combobox"));
    ensure!(app.attr("#search-input", "aria-controls")?.as_deref() == Some("search-results"));
    ensure!(
        !app.accessible_name("#search-input")?.is_empty(),
        "the search field has a name"
    );

    // Traditional characters in the simplified interface find the building.
    let hits = search_for(&app, "南昌大樓")?;
    ensure!(
        hits.first().map(|h| (h.0.as_str(), h.1.as_str())) == Some(("place", "nanchang-building")),
        "first result: {hits:?}"
    );
    ensure!(
        hits[0].2 == "南昌大楼",
        "shown in the interface's language: {hits:?}"
    );
    let count = app.text(".search-count")?;
    ensure!(
        count.contains(&hits.len().to_string()),
        "the live count says {count:?} for {} results",
        hits.len()
    );
    ensure!(app.attr(".search-count", "aria-live")?.as_deref() == Some("polite"));
    // Arrows move the active option; focus stays in the field.
    app.press_key("ArrowDown")?;
    ensure!(
        app.attr("#search-input", "aria-activedescendant")?
            .as_deref()
            == Some("search-opt-0")
    );
    ensure!(app.attr("#search-opt-0", "aria-selected")?.as_deref() == Some("true"));
    if hits.len() > 1 {
        app.press_key("ArrowDown")?;
        ensure!(
            app.attr("#search-input", "aria-activedescendant")?
                .as_deref()
                == Some("search-opt-1")
        );
        app.press_key("ArrowUp")?;
    }
    ensure!(
        app.focused()?.starts_with("input#search-input"),
        "focus stays in the field: {}",
        app.focused()?
    );
    app.press_key("Enter")?;
    wait_text(&app, "#panel-title", "南昌大楼")?;
    ensure!(
        search_query(&app)? == "?place=nanchang-building",
        "the link names the place: {}",
        search_query(&app)?
    );
    app.wait_for(r#".map .place-pin[data-place="nanchang-building"][aria-pressed="true"]"#)?;
    ensure!(
        app.attr("#search-input", "aria-expanded")?.as_deref() == Some("false"),
        "the list closes"
    );
    app.note(&format!(
        "南昌大樓 → {} results, first 南昌大楼",
        hits.len()
    ));

    // English, any case: the area named exactly "Nanchang" comes first; a click opens it.
    app.open("/?lang=en")?;
    let hits = search_for(&app, "NANCHANG")?;
    ensure!(
        hits.first().map(|h| (h.0.as_str(), h.1.as_str())) == Some(("area", NANCHANG_AREA)),
        "first result: {hits:?}"
    );
    ensure!(
        hits.iter().any(|h| h.1 == "nanchang-building"),
        "the building is found too: {hits:?}"
    );
    ensure!(
        app.text(".search-count")?.contains("result"),
        "English count: {}",
        app.text(".search-count")?
    );
    app.click(&format!(r#"#search-results [data-id="{NANCHANG_AREA}"]"#))?;
    wait_text(&app, "#panel-title", "Nanchang")?;
    ensure!(
        search_query(&app)? == format!("?area={NANCHANG_AREA}&lang=en"),
        "link: {}",
        search_query(&app)?
    );
    app.wait_for(&format!(
        r#".map .area-pin[data-area="{NANCHANG_AREA}"][aria-pressed="true"]"#
    ))?;

    // Traditional interface, simplified query: the result is shown in traditional characters.
    app.open("/?lang=zh-Hant")?;
    let hits = search_for(&app, "渔阳里")?;
    let area = hits
        .iter()
        .find(|h| h.1 == YUYANGLI)
        .context("the Yuyangli area")?;
    ensure!(area.2 == "漁陽里居民區", "{hits:?}");
    ensure!(
        app.text(".search-kind")?.len() > 0,
        "each result says what it is"
    );

    // Escape closes the list without leaving the page; a second Escape empties the field.
    app.open(&format!("/?area={NANCHANG_AREA}"))?;
    let hits = search_for(&app, "zzzz")?;
    ensure!(hits.is_empty(), "{hits:?}");
    ensure!(
        app.text(".search-count")? == "没有找到",
        "no-result note: {}",
        app.text(".search-count")?
    );
    app.press_key("Escape")?;
    ensure!(
        app.attr("#search-input", "aria-expanded")?.as_deref() == Some("false"),
        "Escape closes the list"
    );
    ensure!(
        app.eval("document.querySelector('#search-input').value")?
            .as_str()
            == Some("zzzz")
    );
    app.press_key("Escape")?;
    ensure!(
        app.eval("document.querySelector('#search-input').value")?
            .as_str()
            == Some(""),
        "a second Escape empties the field"
    );
    ensure!(
        search_query(&app)? == format!("?area={NANCHANG_AREA}"),
        "Escape in the search left the area open"
    );
    app.screenshot("desktop-after-escape")?;

    // A screenshot of the open list for the record.
    search_for(&app, "南昌")?;
    app.press_key("ArrowDown")?;
    app.screenshot("desktop-results")?;
    app.finish()
}

#[test]
fn search_by_touch_on_a_phone() -> Result<()> {
    let app = Exhibit::start_with(Options {
        viewport: Viewport::Phone,
        ..Options::default()
    })?;
    // On a phone the field hides behind a button.
    ensure!(
        app.eval("document.querySelector('#search-input').getBoundingClientRect().width === 0")?
            .as_bool()
            == Some(true),
        "the field is folded away"
    );
    app.tap(".search-open")?;
    wait_js(
        &app,
        "document.activeElement && document.activeElement.id === 'search-input'",
        Duration::from_secs(3),
        "the field takes focus",
    )?;
    ensure!(app.attr(".search-open", "aria-expanded")?.as_deref() == Some("true"));
    let hits = search_for(&app, "漁陽里")?;
    ensure!(hits.iter().any(|h| h.1 == YUYANGLI), "{hits:?}");
    // Results fit the phone's width and are big enough to tap.
    let r: Vec<f64> = serde_json::from_value(app.eval(&format!(
        "(() => {{ const r = document.querySelector('#search-results [data-id=\"{YUYANGLI}\"]').getBoundingClientRect(); return [r.left, r.right, r.height]; }})()"
    ))?)?;
    ensure!(
        r[0] >= 0.0 && r[1] <= 390.0 && r[2] >= 44.0,
        "result box {r:?}"
    );
    app.screenshot("phone-results")?;
    app.tap(&format!(r#"#search-results [data-id="{YUYANGLI}"]"#))?;
    wait_text(&app, "#panel-title", "渔阳里居民区")?;
    ensure!(
        search_query(&app)? == format!("?area={YUYANGLI}"),
        "link: {}",
        search_query(&app)?
    );
    ensure!(
        app.attr(".search-open", "aria-expanded")?.as_deref() == Some("false"),
        "the search panel closes"
    );
    app.screenshot("phone-opened")?;
    app.finish()
}

// ---------------------------------------------------------------------------------------------
// Offline
// ---------------------------------------------------------------------------------------------

fn goto(app: &Exhibit, url: &str) -> Result<()> {
    app.tab().navigate_to(url)?;
    app.tab().wait_until_navigated()?;
    app.wait_ready(Duration::from_secs(30))
}

/// Waits until a service worker controls the page and has stored the exhibit.
fn wait_offline_ready(app: &Exhibit) -> Result<serde_json::Value> {
    let v = app.eval(
        "(async () => { \
           const reg = await navigator.serviceWorker.ready; \
           if (!navigator.serviceWorker.controller) await new Promise(r => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true })); \
           const names = await caches.keys(); \
           let urls = []; \
           for (const n of names) { const c = await caches.open(n); urls = urls.concat((await c.keys()).map(k => new URL(k.url).pathname)); } \
           return { scope: reg.scope, script: reg.active && reg.active.scriptURL, caches: names, urls }; \
         })()",
    )?;
    Ok(v)
}

fn set_offline(app: &Exhibit, offline: bool) -> Result<()> {
    app.tab().call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })?;
    app.tab().call_method(Network::EmulateNetworkConditions {
        offline,
        latency: 0.0,
        download_throughput: -1.0,
        upload_throughput: -1.0,
        connection_Type: None,
        packet_loss: None,
        packet_queue_length: None,
        packet_reordering: None,
    })?;
    Ok(())
}

#[test]
fn after_one_visit_the_exhibit_opens_offline_and_edited_data_is_picked_up_online() -> Result<()> {
    let app = Exhibit::start()?;
    let site = site_copy("offline", |_| Ok(()))?;
    let server = StaticServer::start(&site)?;
    goto(&app, &server.url("/"))?;
    let stored = wait_offline_ready(&app)?;
    let urls: Vec<String> = serde_json::from_value(stored["urls"].clone())?;
    for want in [
        "/",
        "/data/exhibit.json",
        "/data/areas.geojson",
        "/data/stories.json",
        "/data/i18n/en.json",
        "/manifest.webmanifest",
    ] {
        ensure!(
            urls.iter().any(|u| u == want),
            "{want} is not cached: {urls:?}"
        );
    }
    ensure!(
        urls.iter().any(|u| u.ends_with("_bg.wasm")),
        "the wasm is cached: {urls:?}"
    );
    ensure!(
        urls.iter().any(|u| u.ends_with(".css")),
        "the style is cached: {urls:?}"
    );
    let script = stored["script"].as_str().unwrap_or_default().to_string();
    ensure!(
        script.contains("sw.js?v=lilong-"),
        "the worker is versioned by the build: {script}"
    );
    app.note(&format!(
        "service worker {script} cached {} files",
        urls.len()
    ));
    let title = app.text("h1")?;

    // The curator edits the title on the server: the next online load shows it.
    let exhibit = site.join("data/exhibit.json");
    let text = std::fs::read_to_string(&exhibit)?;
    ensure!(
        text.contains(&format!("\"{title}\"")),
        "the title {title:?} is in exhibit.json"
    );
    std::fs::write(
        &exhibit,
        text.replacen(&format!("\"{title}\""), "\"里弄·家园（新版）\"", 1),
    )?;
    goto(&app, &server.url("/"))?;
    wait_text(&app, "h1", "里弄·家园（新版）")?;

    // Network off (emulated, and the server gone): a deep link still opens, with the new data.
    set_offline(&app, true)?;
    drop(server);
    let url = app
        .eval("location.origin")?
        .as_str()
        .unwrap_or_default()
        .to_string();
    goto(
        &app,
        &format!("{url}/?story=nanchang-building&ch=2&lang=en"),
    )?;
    app.wait_for(".story-page")?;
    ensure!(
        app.text(".story-progress")?.contains('2'),
        "chapter 2 of the story: {}",
        app.text(".story-progress")?
    );
    ensure!(
        app.text("h1")? == "里弄·家园（新版）" || !app.text("h1")?.is_empty(),
        "the title shows"
    );
    app.screenshot("offline-story")?;
    goto(&app, &format!("{url}/?area={NANCHANG_AREA}"))?;
    wait_text(&app, "#panel-title", "南昌居民区")?;
    wait_text(&app, "h1", "里弄·家园（新版）")?;
    app.note("offline reload showed the story and the area, with the edited title");
    set_offline(&app, false)?;
    let _ = std::fs::remove_dir_all(&site);
    // Offline, every request the page made was answered from the cache: no failed load.
    app.finish()
}

// ---------------------------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------------------------

#[test]
fn axe_finds_no_violation_on_any_view() -> Result<()> {
    let source = axe_source()?;
    let app = Exhibit::start()?;
    let mut report = Vec::new();
    let views: [(&str, &str, &str); 6] = [
        ("home", "/", ".map"),
        ("area panel", "/?area=310101023005", "#panel-title"),
        ("story", "/?story=nanchang-building", ".story-page"),
        ("timeline", "/?timeline", ".tl-event"),
        ("kiosk", "/?kiosk=1", ".map"),
        ("search", "/?lang=en", "#search-input"),
    ];
    for (name, path, wait) in views {
        app.open(path)?;
        app.wait_for(wait)?;
        if name == "search" {
            search_for(&app, "Nanchang")?;
            app.press_key("ArrowDown")?;
        }
        // Let transitions settle so colours are measured as seen.
        std::thread::sleep(Duration::from_millis(400));
        for v in app.axe(&source)? {
            report.push(format!("{name} ({path}): {v}"));
        }
    }
    // And the phone layout of the home view and the open search panel.
    app.set_viewport(Viewport::Phone)?;
    app.open("/")?;
    std::thread::sleep(Duration::from_millis(400));
    for v in app.axe(&source)? {
        report.push(format!("phone home: {v}"));
    }
    app.click(".search-open")?;
    search_for(&app, "南昌")?;
    for v in app.axe(&source)? {
        report.push(format!("phone search: {v}"));
    }
    ensure!(
        report.is_empty(),
        "axe found {} violation(s):\n  {}",
        report.len(),
        report.join("\n  ")
    );
    app.note("axe: no violations on home, area, story, timeline, kiosk, search (desktop) and home, search (phone)");
    app.finish()
}

// ---------------------------------------------------------------------------------------------
// Links and history
// ---------------------------------------------------------------------------------------------

#[test]
fn deep_links_reload_to_the_same_view_and_back_forward_walk_through_views() -> Result<()> {
    let app = Exhibit::start()?;
    // Three views by the interface: an area from search, the timeline, a story chapter.
    search_for(&app, "延中")?;
    app.press_key("Enter")?;
    wait_text(&app, "#panel-title", "延中居民区")?;
    let area_link = search_query(&app)?;
    app.click(r#".view-link[data-view="timeline"]"#)?;
    app.wait_for(".tl-event")?;
    ensure!(search_query(&app)? == "?timeline");
    search_for(&app, "南昌大楼：")?;
    app.click(r#"#search-results [data-kind="story"]"#)?;
    app.wait_for(".story-page")?;
    let first_chapter = search_query(&app)?;
    ensure!(
        first_chapter.starts_with("?story=nanchang-building"),
        "{first_chapter}"
    );
    app.click(".story-next")?;
    wait_js(
        &app,
        "location.search.includes('ch=2')",
        Duration::from_secs(5),
        "chapter 2 in the link",
    )?;
    let story_link = search_query(&app)?;
    let heading = app.text(".chapter-heading")?;

    // Reload: the same chapter.
    app.eval("location.reload()")?;
    std::thread::sleep(Duration::from_millis(500));
    app.wait_ready(Duration::from_secs(30))?;
    ensure!(
        search_query(&app)? == story_link,
        "the reload kept the link"
    );
    app.wait_for(".story-page")?;
    wait_text(&app, ".chapter-heading", &heading)?;

    // Back and forward walk the views in order.
    app.eval("history.back()")?;
    wait_js(
        &app,
        &format!(
            "location.search === {}",
            serde_json::to_string(&first_chapter)?
        ),
        Duration::from_secs(5),
        "back to chapter 1",
    )?;
    app.eval("history.back()")?;
    wait_js(
        &app,
        "location.search === '?timeline'",
        Duration::from_secs(5),
        "back to the timeline",
    )?;
    app.wait_for(".tl-event")?;
    app.eval("history.back()")?;
    wait_js(
        &app,
        &format!("location.search === {}", serde_json::to_string(&area_link)?),
        Duration::from_secs(5),
        "back to the area",
    )?;
    wait_text(&app, "#panel-title", "延中居民区")?;
    app.eval("history.forward()")?;
    wait_js(
        &app,
        "location.search === '?timeline'",
        Duration::from_secs(5),
        "forward to the timeline",
    )?;
    app.wait_for(".tl-event")?;

    // A language in the link survives a reload too.
    app.open(&format!("{area_link}&lang=zh-Hant").replacen('?', "/?", 1))?;
    wait_text(&app, "#panel-title", "延中居民區")?;
    ensure!(app.eval("document.documentElement.lang")?.as_str() == Some("zh-Hant"));
    app.finish()
}
