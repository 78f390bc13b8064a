//! The map (issue #4): every area and building can be found and opened, by mouse on the
//! canvas, by touch, by keyboard and from the list, in the desktop and the phone layouts; zoom
//! buttons and the wheel change the view; the panel names what was selected; the list and the
//! map agree.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use lilong_e2e::{Exhibit, Options, Viewport, dist_dir, site_copy, wait_js};

/// `(id, zh-Hans name)` of every feature of a GeoJSON file in the served data.
fn features(file: &str) -> Result<Vec<(String, String, bool)>> {
    let path = dist_dir().join("data").join(file);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)?;
    let mut out = Vec::new();
    for f in json["features"].as_array().context("features")? {
        let p = &f["properties"];
        let has_geometry = f["geometry"]["coordinates"]
            .as_array()
            .is_some_and(|c| !c.is_empty());
        out.push((
            p["id"].as_str().context("id")?.to_string(),
            p["name"]["zh-Hans"].as_str().context("name")?.to_string(),
            has_geometry,
        ));
    }
    Ok(out)
}

fn wait_text(app: &Exhibit, selector: &str, want: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let got = app.text(selector).unwrap_or_default();
        if got == want {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("`{selector}` shows {got:?}, expected {want:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The area pin's centre, with the accessible layer made transparent to the pointer so that
/// a click or tap there reaches the canvas and its hit test.
fn canvas_point_of(app: &Exhibit, id: &str) -> Result<(f64, f64)> {
    let xy = app.center(&format!(r#".area-pin[data-area="{id}"]"#))?;
    app.eval("document.querySelector('.map-pins').style.pointerEvents = 'none'")?;
    Ok(xy)
}

fn pins_through(app: &Exhibit) -> Result<()> {
    app.eval("document.querySelector('.map-pins').style.pointerEvents = ''")?;
    Ok(())
}

const NANCHANG: &str = "310101023005";

#[test]
fn clicking_an_area_on_the_canvas_opens_its_panel() -> Result<()> {
    let app = Exhibit::start()?;
    let (_, name, _) = features("areas.geojson")?
        .into_iter()
        .find(|a| a.0 == NANCHANG)
        .context("Nanchang area")?;
    // Zoom in on the area first so the click is well inside it.
    app.click(&format!(r#".area-item[data-area="{NANCHANG}"]"#))?;
    wait_text(&app, "#panel-title", &name)?;
    app.click(".panel-close")?;
    app.wait_for_timeout(".map:not(:has(.panel))", Duration::from_secs(3))
        .ok();
    std::thread::sleep(Duration::from_millis(900));
    let (x, y) = canvas_point_of(&app, NANCHANG)?;
    app.click_at(x, y)?;
    pins_through(&app)?;
    wait_text(&app, "#panel-title", &name)?;
    // The address follows just after the panel is painted.
    wait_js(
        &app,
        &format!("location.search === '?area={NANCHANG}'"),
        Duration::from_secs(3),
        "the link names the area",
    )?;
    // With the panel open, the zoom buttons are still there to press, beside it, not under it.
    let uncovered = app.eval(
        "[...document.querySelectorAll('.map-btn')].every(b => { const r = b.getBoundingClientRect(); \
         const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
         return e === b || b.contains(e); })",
    )?;
    ensure!(
        uncovered == serde_json::Value::Bool(true),
        "a zoom button is covered by the panel"
    );
    app.note(&format!(
        "canvas click at ({x:.0}, {y:.0}) opened {name}; zoom buttons beside the panel"
    ));
    app.finish()
}

#[test]
fn tapping_an_area_on_a_phone_opens_a_bottom_sheet() -> Result<()> {
    let app = Exhibit::start_with(Options {
        viewport: Viewport::Phone,
        path: format!("/?area={NANCHANG}"),
        ..Options::default()
    })?;
    let (_, name, _) = features("areas.geojson")?
        .into_iter()
        .find(|a| a.0 == NANCHANG)
        .context("Nanchang area")?;
    wait_text(&app, "#panel-title", &name)?;
    app.click(".panel-close")?;
    std::thread::sleep(Duration::from_millis(300));
    let (x, y) = canvas_point_of(&app, NANCHANG)?;
    app.tap_at(x, y)?;
    pins_through(&app)?;
    wait_text(&app, "#panel-title", &name)?;
    // A bottom sheet: the panel spans the width and sits in the lower part of the screen.
    let rect = app.eval("(() => { const r = document.querySelector('.panel').getBoundingClientRect(); return [r.left, r.top, r.width, r.bottom]; })()")?;
    let r: Vec<f64> = serde_json::from_value(rect)?;
    ensure!(
        r[0] <= 1.0 && r[2] >= 389.0,
        "the panel spans the phone's width: {r:?}"
    );
    ensure!(
        r[1] > 844.0 * 0.35 && r[3] >= 843.0,
        "the panel is a bottom sheet: {r:?}"
    );
    app.note(&format!(
        "tap at ({x:.0}, {y:.0}) opened {name} as a bottom sheet from y={:.0}",
        r[1]
    ));
    app.finish()
}

#[test]
fn the_keyboard_reaches_and_opens_every_labelled_area_on_the_map() -> Result<()> {
    let app = Exhibit::start()?;
    let areas = features("areas.geojson")?;
    app.focus(".map")?;
    let mut opened = Vec::new();
    // Tab through the map's buttons: each area pin is reachable; Enter opens its panel.
    for _ in 0..80 {
        app.press_key("Tab")?;
        let id = app.eval("document.activeElement && document.activeElement.dataset.area || ''")?;
        let id = id.as_str().unwrap_or_default().to_string();
        if id.is_empty() || opened.contains(&id) {
            if app
                .eval("!!document.activeElement.closest('.map')")?
                .as_bool()
                != Some(true)
            {
                break;
            }
            continue;
        }
        opened.push(id);
    }
    let on_map: Vec<&(String, String, bool)> = areas.iter().filter(|a| a.2).collect();
    for a in &on_map {
        ensure!(
            opened.contains(&a.0),
            "Tab never reached the pin of {} ({}); reached {opened:?}",
            a.1,
            a.0
        );
    }
    // Enter on a focused pin selects it; Escape closes the panel.
    app.focus(&format!(r#".area-pin[data-area="{NANCHANG}"]"#))?;
    app.press_key("Enter")?;
    let name = &areas
        .iter()
        .find(|a| a.0 == NANCHANG)
        .context("Nanchang")?
        .1;
    wait_text(&app, "#panel-title", name)?;
    app.press_key("Escape")?;
    std::thread::sleep(Duration::from_millis(300));
    ensure!(app.count(".panel")? == 0, "Escape closes the panel");
    app.note(&format!(
        "Tab reached {} area pins; Enter opened {name}; Escape closed it",
        opened.len()
    ));
    app.finish()
}

/// Distance in px between two area pins: it grows when the map zooms in.
fn spread(app: &Exhibit, a: &str, b: &str) -> Result<f64> {
    let v = app.eval(&format!(
        r#"(() => {{ const p = document.querySelector('.area-pin[data-area="{a}"]'), q = document.querySelector('.area-pin[data-area="{b}"]');
            if (!p || !q) return -1; const r = p.getBoundingClientRect(), s = q.getBoundingClientRect();
            return Math.hypot(r.x - s.x, r.y - s.y); }})()"#
    ))?;
    v.as_f64().context("spread")
}

#[test]
fn zoom_buttons_wheel_and_keys_change_the_view_within_bounds() -> Result<()> {
    let app = Exhibit::start()?;
    let areas = features("areas.geojson")?;
    let on_map: Vec<&String> = areas.iter().filter(|a| a.2).map(|a| &a.0).collect();
    let (a, b) = (on_map[0], on_map[on_map.len() - 1]);
    let settle = || std::thread::sleep(Duration::from_millis(900));
    let s0 = spread(&app, a, b)?;
    ensure!(s0 > 0.0, "both pins are on the map");
    app.click(r#".map-btn:nth-child(2)"#)?; // zoom out
    settle();
    let s1 = spread(&app, a, b)?;
    ensure!(
        s1 < s0 * 0.8,
        "zoom out brings the areas together: {s0:.0} → {s1:.0}"
    );
    app.click(r#".map-btn:nth-child(1)"#)?; // zoom in
    settle();
    let s2 = spread(&app, a, b)?;
    ensure!(s2 > s1 * 1.3, "zoom in spreads them: {s1:.0} → {s2:.0}");
    // The wheel zooms around the cursor.
    app.eval(
        "(() => { const m = document.querySelector('.map'); const r = m.getBoundingClientRect(); \
         for (let i = 0; i < 3; i++) m.dispatchEvent(new WheelEvent('wheel', {deltaY: -200, clientX: r.left + r.width/2, clientY: r.top + r.height/2, bubbles: true, cancelable: true})); })()",
    )?;
    settle();
    let s3 = spread(&app, a, b)?;
    ensure!(
        s3 < 0.0 || s3 > s2 * 1.3,
        "the wheel zooms in: {s2:.0} → {s3:.0}"
    );
    // Zooming out is bounded: the map cannot be lost.
    app.focus(".map")?;
    for _ in 0..25 {
        app.press_key("-")?;
    }
    settle();
    // However far out, the map stays on Shanghai: the scale bar never passes 20 km (the whole
    // city on half the screen) and the exhibit's areas are still on the map.
    let bar = app.text(".map-scale span")?;
    let km: f64 = match bar.strip_suffix(" km") {
        Some(k) => k.trim().parse().unwrap_or(f64::MAX),
        None => 0.0,
    };
    ensure!(
        km <= 20.0,
        "zooming out is bounded: the scale bar reads {bar}"
    );
    let far = app.count(".area-pin")?;
    ensure!(
        far > 0,
        "the areas are still on the map when fully zoomed out"
    );
    ensure!(app.count(".map-scale")? == 1, "a scale bar is shown");
    app.note(&format!("spread of two pins: {s0:.0} px, out {s1:.0}, in {s2:.0}, wheel {s3:.0}; fully out: scale bar {bar}, {far} pins"));
    app.finish()
}

#[test]
fn every_area_and_building_opens_from_the_list_and_the_map_agrees() -> Result<()> {
    let app = Exhibit::start()?;
    let areas = features("areas.geojson")?;
    let listed = app.count(".area-item")?;
    ensure!(
        listed == areas.len(),
        "the list has {listed} areas, the data {}",
        areas.len()
    );
    for (id, name, on_map) in &areas {
        app.click(&format!(r#".area-item[data-area="{id}"]"#))?;
        wait_text(&app, "#panel-title", name)?;
        let current = app.attr(&format!(r#".area-item[data-area="{id}"]"#), "aria-current")?;
        ensure!(
            current.as_deref() == Some("true"),
            "the list marks {name} as current"
        );
        if *on_map {
            std::thread::sleep(Duration::from_millis(800));
            let pressed = app.attr(&format!(r#".area-pin[data-area="{id}"]"#), "aria-pressed")?;
            ensure!(
                pressed.as_deref() == Some("true"),
                "the map marks {name} as selected"
            );
        } else {
            ensure!(
                app.text(".panel .boundary")?.len() > 0,
                "{name} has no outline; its panel says why"
            );
        }
    }
    // Buildings and places: each opens from its link, its panel names it, and the map shows its marker.
    let places = features("places.geojson")?;
    for (id, name, _) in &places {
        app.open(&format!("/?place={id}"))?;
        wait_text(&app, "#panel-title", name)?;
        app.wait_for_timeout(
            &format!(r#".place-pin[data-place="{id}"][aria-pressed="true"]"#),
            Duration::from_secs(5),
        )
        .with_context(|| format!("the marker of {name} is on the map and selected"))?;
    }
    app.note(&format!(
        "{} areas opened from the list, {} places from their links",
        areas.len(),
        places.len()
    ));
    app.finish()
}

#[test]
fn a_place_marker_opens_its_summary_and_story() -> Result<()> {
    let app = Exhibit::start_with(Options {
        path: "/?area=310101023005".into(),
        ..Options::default()
    })?;
    std::thread::sleep(Duration::from_millis(900));
    app.click(r#".place-pin[data-place="nanchang-building"]"#)?;
    let places = features("places.geojson")?;
    let name = &places
        .iter()
        .find(|p| p.0 == "nanchang-building")
        .context("nanchang-building")?
        .1;
    wait_text(&app, "#panel-title", name)?;
    ensure!(
        app.count(".panel .story-link")? >= 1,
        "the summary offers its story"
    );
    app.finish()
}

/// A copy of the site whose data has `n` areas: the exhibit's, then copies of them with new
/// ids and names (same subdistricts and outlines, moved a little).
fn site_with_areas(n: usize) -> Result<std::path::PathBuf> {
    site_copy(&format!("map-{n}-areas"), |dir| add_areas(dir, n))
}

/// Adds copies of the site's areas (`dir`) until it has `n`.
fn add_areas(dir: &std::path::Path, n: usize) -> Result<()> {
    // A city set left in the site by the benchmark is not needed here.
    let _ = std::fs::remove_dir_all(dir.join("city"));
    let path = dir.join("data/areas.geojson");
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let originals = json["features"].as_array().context("features")?.clone();
    let features = json["features"].as_array_mut().context("features")?;
    let mut k = 0;
    while features.len() < n {
        let mut f = originals[k % originals.len()].clone();
        k += 1;
        let id = format!(
            "prov-{}-copy-{k}",
            f["properties"]["subdistrict"]
                .as_str()
                .context("subdistrict")?
        );
        f["properties"]["id"] = id.into();
        for lang in ["zh-Hans", "zh-Hant", "en"] {
            let name = format!(
                "{} {k}",
                f["properties"]["name"][lang].as_str().unwrap_or_default()
            );
            f["properties"]["name"][lang] = name.into();
        }
        let d = 0.0004 * (k % 7) as f64;
        fn shift(v: &mut serde_json::Value, d: f64) {
            match v.as_array_mut() {
                Some(a) if a.len() == 2 && a[0].is_number() => {
                    a[0] = (a[0].as_f64().unwrap_or(0.0) + d).into();
                    a[1] = (a[1].as_f64().unwrap_or(0.0) + d).into();
                }
                Some(a) => a.iter_mut().for_each(|x| shift(x, d)),
                None => {}
            }
        }
        shift(&mut f["geometry"]["coordinates"], d);
        features.push(f);
    }
    std::fs::write(&path, serde_json::to_string(&json)?)?;
    Ok(())
}

#[test]
fn a_long_list_folds_into_districts_and_opens_where_the_visitor_is() -> Result<()> {
    let site = site_with_areas(240)?;
    let app = Exhibit::start_with(Options {
        dist: Some(site.clone()),
        ..Options::default()
    })?;
    // Folded: district buttons, closed, and no area buttons yet.
    let districts = app.count(".area-list h2 .group-toggle")?;
    ensure!(districts >= 1, "the list shows its districts as buttons");
    ensure!(
        app.count(r#".area-list .group-toggle[aria-expanded="true"]"#)? == 0,
        "every group starts closed"
    );
    ensure!(
        app.count(".area-item")? == 0,
        "no area buttons are rendered while every group is closed"
    );
    // The keyboard opens a district, then a subdistrict, then an area.
    app.focus(".area-list h2 .group-toggle")?;
    app.press_key("Enter")?;
    app.wait_for(r#".area-list h2 .group-toggle[aria-expanded="true"]"#)?;
    ensure!(
        app.count(".area-list h3 .group-toggle")? >= 1,
        "an open district shows its subdistricts"
    );
    app.focus(".area-list h3 .group-toggle")?;
    app.press_key("Enter")?;
    app.wait_for(".area-item")?;
    let shown = app.count(".area-item")?;
    ensure!(
        shown > 0 && shown < 240,
        "only the open subdistrict's areas are listed: {shown}"
    );
    // Opening every group reaches every area.
    for _ in 0..20 {
        let closed = app.count(r#".area-list .group-toggle[aria-expanded="false"]"#)?;
        if closed == 0 {
            break;
        }
        app.eval(r#"document.querySelectorAll('.area-list .group-toggle[aria-expanded="false"]').forEach(b => b.click())"#)?;
        std::thread::sleep(Duration::from_millis(200));
    }
    let all = app.count(".area-item")?;
    ensure!(
        all == 240,
        "every area is reachable from the list: {all} of 240"
    );
    app.finish()?;

    // A link to an area opens its groups and scrolls its button into view, marked current.
    let id = format!("prov-310101023000-copy-{}", 13 * 17 + 1);
    let app = Exhibit::start_with(Options {
        dist: Some(site.clone()),
        path: format!("/?area={id}"),
        ..Options::default()
    })?;
    let item = format!(r#".area-item[data-area="{id}"]"#);
    app.wait_for(&format!(r#"{item}[aria-current="true"]"#))?;
    std::thread::sleep(Duration::from_millis(400));
    let seen = app.eval(&format!(
        r#"(() => {{ const b = document.querySelector('{item}').getBoundingClientRect();
            const s = document.querySelector('.sidebar').getBoundingClientRect();
            return b.top >= s.top - 1 && b.bottom <= s.bottom + 1 && b.height > 0; }})()"#
    ))?;
    ensure!(
        seen.as_bool() == Some(true),
        "the selected area's button is scrolled into view in the list"
    );
    let open = app.count(r#".area-list .group-toggle[aria-expanded="true"]"#)?;
    ensure!(
        open == 2,
        "exactly its district and subdistrict are open: {open}"
    );
    // The visitor opens another district and one of its subdistricts and picks an area there:
    // the groups opened for the first selection close, the ones the visitor opened stay.
    let other = app.eval(
        r#"(() => { const secs = [...document.querySelectorAll('.area-list .district-group')];
            const i = secs.findIndex(s => s.querySelector('h2 .group-toggle[aria-expanded="false"]'));
            if (i >= 0) secs[i].querySelector('h2 .group-toggle').click();
            return i; })()"#,
    )?;
    let other = other.as_i64().unwrap_or(-1);
    ensure!(other >= 0, "the list has a second district to open");
    std::thread::sleep(Duration::from_millis(300));
    let picked = app.eval(&format!(
        r#"(() => {{ const s = document.querySelectorAll('.area-list .district-group')[{other}];
            s.querySelector('h3 .group-toggle').click();
            return new Promise(r => setTimeout(() => {{
                const b = s.querySelector('.area-item'); b.click(); r(b.dataset.area); }}, 300)); }})()"#
    ))?;
    let picked = picked.as_str().unwrap_or_default().to_string();
    app.wait_for(&format!(
        r#".area-item[data-area="{picked}"][aria-current="true"]"#
    ))?;
    std::thread::sleep(Duration::from_millis(500));
    ensure!(
        app.count(&item)? == 0,
        "the first selection's groups closed again when the visitor picked an area elsewhere"
    );
    let open_after = app.count(r#".area-list .group-toggle[aria-expanded="true"]"#)?;
    ensure!(
        open_after == 2,
        "the district and subdistrict the visitor opened stay open, and only they: {open_after}"
    );
    app.note(&format!(
        "{districts} districts folded; {shown} areas in one subdistrict; all 240 reachable"
    ));
    app.finish()?;
    let _ = std::fs::remove_dir_all(&site);
    Ok(())
}
