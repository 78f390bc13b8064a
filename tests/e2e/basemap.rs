//! The base map (issue #16): the Huangpu and Suzhou Creek painted as water where they run,
//! street names at close zoom in the visitor's language and clear of every other label, and
//! the OpenStreetMap credit always on the map.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use lilong_e2e::{Exhibit, Options, Viewport, wait_js};

/// The view of the picture on screen, as the map sets it after each paint: the world position
/// at the centre (Web Mercator metres) and px per metre.
fn shown_view(app: &Exhibit) -> Result<(f64, f64, f64)> {
    wait_js(
        app,
        "document.querySelector('.map[data-view]') !== null",
        Duration::from_secs(10),
        "the map shows a picture",
    )?;
    let v = app
        .attr(".map", "data-view")?
        .context("the map names its view")?;
    let n: Vec<f64> = v
        .split(' ')
        .map(|s| s.parse::<f64>())
        .collect::<Result<_, _>>()?;
    ensure!(n.len() == 3, "data-view {v:?}");
    Ok((n[0], n[1], n[2]))
}

/// Screen position (CSS px, relative to the map) of `lon`, `lat` in the view on screen.
fn to_screen(app: &Exhibit, lon: f64, lat: f64) -> Result<(f64, f64)> {
    const R: f64 = 6_378_137.0;
    let (cx, cy, scale) = shown_view(app)?;
    let x = R * lon.to_radians();
    let y = R
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    let (w, h) = (
        app.eval("document.querySelector('.map').clientWidth")?
            .as_f64()
            .context("width")?,
        app.eval("document.querySelector('.map').clientHeight")?
            .as_f64()
            .context("height")?,
    );
    Ok(((x - cx) * scale + w / 2.0, (cy - y) * scale + h / 2.0))
}

/// The share of the 9×9 device pixels around `(x, y)` (CSS px in the map) of the painted map
/// that are water blue: clearly bluer than they are red, as no paper, street or area colour is.
fn water_share(app: &Exhibit, (x, y): (f64, f64)) -> Result<f64> {
    let js = format!(
        "(() => {{ const cv = document.querySelector('.map-canvas'); \
         const k = cv.width / cv.clientWidth; \
         const d = cv.getContext('2d').getImageData(Math.round({x} * k) - 4, Math.round({y} * k) - 4, 9, 9).data; \
         let n = 0; for (let i = 0; i < d.length; i += 4) {{ if (d[i + 2] - d[i] > 40 && d[i + 2] > 150) n++; }} \
         return n / 81; }})()"
    );
    app.eval(&js)?.as_f64().context("pixel share")
}

#[test]
fn the_huangpu_and_suzhou_creek_are_painted_as_water_at_the_first_zoom() -> Result<()> {
    for viewport in [Viewport::Desktop, Viewport::Phone] {
        let app = Exhibit::start_with(Options {
            viewport,
            ..Options::default()
        })?;
        let (_, _, scale) = shown_view(&app)?;
        // On the river off the Bund and further south, on Suzhou Creek near its mouth and
        // upstream (a few pixels wide at this zoom, so a smaller share of the patch); on land
        // at People's Square and in Lujiazui.
        let water = [
            ("the Huangpu off the Bund", 121.4915, 31.235, 0.6),
            ("the Huangpu at the South Bund", 121.5025, 31.225, 0.6),
            ("Suzhou Creek near its mouth", 121.4785, 31.2442, 0.3),
            ("Suzhou Creek upstream", 121.4700, 31.2435, 0.3),
        ];
        for (what, lon, lat, least) in water {
            let at = to_screen(&app, lon, lat)?;
            let share = water_share(&app, at)?;
            ensure!(
                share >= least,
                "{viewport:?}: {what} at ({:.0}, {:.0}) is not painted as water ({share:.2})",
                at.0,
                at.1
            );
        }
        for (what, lon, lat) in [
            ("People's Square", 121.4737, 31.2304),
            ("Lujiazui", 121.5115, 31.2390),
        ] {
            let at = to_screen(&app, lon, lat)?;
            let share = water_share(&app, at)?;
            ensure!(
                share < 0.2,
                "{viewport:?}: {what} is painted as water ({share:.2})"
            );
        }
        app.note(&format!(
            "{viewport:?} at {scale:.3} px/m: water sampled on the Huangpu and Suzhou Creek, land elsewhere"
        ));
        app.finish()?;
    }
    Ok(())
}

/// The boxes (CSS px) of every visible element matching `selector`.
fn boxes(app: &Exhibit, selector: &str) -> Result<Vec<[f64; 4]>> {
    let js = format!(
        "JSON.stringify([...document.querySelectorAll('{selector}')].map(e => e.getBoundingClientRect()) \
         .filter(r => r.width > 0 && r.height > 0).map(r => [r.left, r.top, r.right, r.bottom]))"
    );
    let v = app.eval(&js)?;
    Ok(serde_json::from_str(v.as_str().context("boxes")?)?)
}

fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] - 1.0 && b[0] < a[2] - 1.0 && a[1] < b[3] - 1.0 && b[1] < a[3] - 1.0
}

#[test]
fn street_names_show_close_in_in_the_visitors_language_clear_of_other_labels() -> Result<()> {
    // Nanchang, in Ruijin Er Road subdistrict, opened from its link: the map flies to it.
    let app = Exhibit::start_with(Options {
        path: "/?area=310101023005&lang=en".into(),
        ..Options::default()
    })?;
    app.wait_for(".map[data-view]")?;
    wait_js(
        &app,
        "document.querySelectorAll('.street-label').length > 0",
        Duration::from_secs(15),
        "street names appear close in",
    )?;
    std::thread::sleep(Duration::from_millis(600));
    let names = app.texts(".street-label")?;
    ensure!(
        names.iter().any(|n| n.contains("Ruijin")),
        "no Ruijin road named close in: {names:?}"
    );
    ensure!(
        names.iter().all(|n| n.is_ascii()),
        "street names not in English: {names:?}"
    );
    let streets = boxes(&app, ".street-label")?;
    let others = [
        boxes(&app, ".area-pin.labelled")?,
        boxes(&app, ".place-pin .dot")?,
    ]
    .concat();
    for (i, a) in streets.iter().enumerate() {
        for b in &streets[i + 1..] {
            ensure!(!overlap(a, b), "two street names overlap: {a:?} {b:?}");
        }
        for b in &others {
            ensure!(
                !overlap(a, b),
                "a street name covers a label or marker: {a:?} {b:?}"
            );
        }
    }
    app.note(&format!("{} street names close in: {names:?}", names.len()));
    // In traditional Chinese, the same streets in traditional characters.
    app.open("/?area=310101023005&lang=zh-Hant")?;
    wait_js(
        &app,
        "document.querySelectorAll('.street-label').length > 0",
        Duration::from_secs(15),
        "street names appear close in",
    )?;
    std::thread::sleep(Duration::from_millis(600));
    let names = app.texts(".street-label")?;
    ensure!(
        names.iter().any(|n| n.contains("瑞金")) && !names.iter().any(|n| n.contains("Road")),
        "street names not in traditional Chinese: {names:?}"
    );
    app.finish()
}

#[test]
fn the_openstreetmap_credit_is_always_on_the_map() -> Result<()> {
    for viewport in [Viewport::Desktop, Viewport::Phone] {
        let app = Exhibit::start_with(Options {
            viewport,
            ..Options::default()
        })?;
        for path in ["/", "/?area=310101023005"] {
            app.open(path)?;
            std::thread::sleep(Duration::from_millis(400));
            let text = app.text(".map-attribution")?;
            ensure!(
                text.contains("© OpenStreetMap contributors"),
                "credit reads {text:?}"
            );
            let seen = app.eval(
                "(() => { const a = document.querySelector('.map-attribution'); \
                 const r = a.getBoundingClientRect(); \
                 const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
                 return r.width > 0 && (e === a || a.contains(e)); })()",
            )?;
            ensure!(
                seen == serde_json::Value::Bool(true),
                "{viewport:?} {path}: the credit is covered or hidden"
            );
        }
        app.finish()?;
    }
    Ok(())
}
