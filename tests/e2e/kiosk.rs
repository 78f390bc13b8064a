//! The kiosk profile and the visitor's links (issue #6): the idle countdown and the full reset,
//! the attract tour and the touch that stops it, what a kiosk refuses (context menu, selection,
//! pinch, outward links), touch targets, the hand-off QR code, the language switch and deep links.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use lilong_e2e::{
    Exhibit, Options, Viewport, location_search as search, site_copy, wait_js as wait_until,
};

const NANCHANG: &str = "310101023005";

fn html_lang(app: &Exhibit) -> Result<String> {
    Ok(app
        .eval("document.documentElement.lang")?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

fn edit_json(path: &Path, f: impl FnOnce(&mut serde_json::Value)) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut json: serde_json::Value = serde_json::from_str(&text)?;
    f(&mut json);
    std::fs::write(path, serde_json::to_string_pretty(&json)?)?;
    Ok(())
}

/// Reads the hand-off QR code off the page (its SVG module runs) and decodes it.
fn decode_qr(app: &Exhibit) -> Result<String> {
    let v = app.eval(
        "(() => { const svg = document.querySelector('.handoff-qr'); if (!svg) return null; \
         const side = Number(svg.getAttribute('viewBox').split(' ')[2]); \
         const runs = Array.from(svg.querySelectorAll('rect.qr-m'), r => \
           ['x', 'y', 'width', 'height'].map(a => Number(r.getAttribute(a)))); \
         return { side, runs }; })()",
    )?;
    ensure!(!v.is_null(), "no QR code on the page");
    let side = v["side"].as_u64().context("the code's size")? as usize;
    let runs: Vec<[f64; 4]> = serde_json::from_value(v["runs"].clone())?;
    ensure!(
        side > 20 && !runs.is_empty(),
        "an empty QR code: side {side}, {} runs",
        runs.len()
    );
    // Paint the modules 6 px each, dark on white, and let a QR reader find and decode the code.
    const PX: usize = 6;
    let mut dark = vec![false; side * side];
    for [x, y, w, h] in runs {
        for yy in y as usize..(y + h) as usize {
            for xx in x as usize..(x + w) as usize {
                if xx < side && yy < side {
                    dark[yy * side + xx] = true;
                }
            }
        }
    }
    let n = side * PX;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(n, n, |x, y| {
        if dark[(y / PX) * side + x / PX] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    ensure!(
        grids.len() == 1,
        "found {} QR codes in the drawing",
        grids.len()
    );
    let (_, content) = grids[0]
        .decode()
        .map_err(|e| anyhow::anyhow!("the QR code does not decode: {e:?}"))?;
    Ok(content)
}

#[test]
fn idle_counts_down_then_resets_view_language_and_panel() -> Result<()> {
    let app = Exhibit::start_with(Options {
        // Six seconds: short enough for a test, long enough that a loaded machine still gets its
        // first tap in before the kiosk, left alone at its start view, begins its tour.
        path: "/?kiosk=1&idle=6".into(),
        ..Options::default()
    })?;
    ensure!(
        app.count(".app.kiosk")? == 1,
        "?kiosk=1 turns the kiosk profile on"
    );
    // Time on the page's own clock: the last pointer input, and when the countdown appeared.
    app.eval(
        "window.__lastInput = 0; window.__shownAt = 0; \
         addEventListener('pointerdown', () => { window.__lastInput = performance.now(); }, true); \
         new MutationObserver(() => { if (!window.__shownAt && document.querySelector('.kiosk-idle')) \
           window.__shownAt = performance.now(); }).observe(document.body, { childList: true, subtree: true }); 0",
    )?;
    // A visitor leaves the welcome for the map, opens an area and switches to English.
    app.wait_for_timeout(".welcome-explore", Duration::from_secs(5))?;
    app.click(".welcome-explore")?;
    wait_until(
        &app,
        "!document.querySelector('.welcome')",
        Duration::from_secs(3),
        "the map",
    )?;
    app.click(&format!(r#".area-item[data-area="{NANCHANG}"]"#))?;
    app.wait_for_timeout(".panel", Duration::from_secs(5))?;
    app.click(r#".lang[lang="en"]"#)?;
    wait_until(
        &app,
        "document.documentElement.lang === 'en'",
        Duration::from_secs(3),
        "English",
    )?;
    ensure!(
        search(&app)?.contains("lang=en") && search(&app)?.contains(NANCHANG),
        "the link holds the view: {}",
        search(&app)?
    );
    // Then walks away: after 6 s a countdown, in the visitor's language.
    let shown = wait_until(
        &app,
        "!!document.querySelector('.kiosk-idle')",
        Duration::from_secs(12),
        "the countdown",
    )?;
    // Everything about the card at once: the countdown is short, and a loaded machine must not
    // see it run out between one question and the next.
    let card = app.eval(
        "JSON.stringify([window.__shownAt - window.__lastInput, \
           document.querySelector('.kiosk-idle-card h2')?.textContent ?? '', \
           document.querySelector('.kiosk-count-n')?.textContent ?? '', \
           document.activeElement?.className ?? '', \
           document.querySelectorAll('.panel').length, location.search])",
    )?;
    let card: (f64, String, String, String, usize, String) =
        serde_json::from_str(card.as_str().context("the card's state")?)?;
    let (after, heading, count, focused, panels, link) = card;
    ensure!(
        after >= 5900.0,
        "the countdown came {after:.0} ms after the last input, before the idle time"
    );
    ensure!(heading == "Still there?", "the card asks {heading:?}");
    let n: u32 = count
        .trim()
        .parse()
        .context("the countdown shows a number")?;
    ensure!(
        (1..=6).contains(&n),
        "a short idle gets a short countdown, not {n}"
    );
    ensure!(
        focused.contains("kiosk-continue"),
        "the Continue button has the focus: {focused}"
    );
    ensure!(
        panels == 1 && link.contains("lang=en"),
        "nothing is reset during the countdown: {panels} panel(s), link {link}"
    );
    app.screenshot("kiosk-still-there")?;
    // Nobody answers: everything back to the start.
    wait_until(
        &app,
        "!document.querySelector('.kiosk-idle')",
        Duration::from_secs(10),
        "the reset",
    )?;
    ensure!(
        search(&app)? == "?kiosk=1&idle=6",
        "the start view keeps only the profile: {}",
        search(&app)?
    );
    ensure!(
        html_lang(&app)? == "zh-Hans",
        "the language is back to the default: {}",
        html_lang(&app)?
    );
    ensure!(app.count(".panel")? == 0, "the area panel is closed");
    ensure!(
        app.count(".welcome")? == 1,
        "the kiosk is back at its welcome"
    );
    ensure!(
        app.text("h1")? == "里弄·家园",
        "the title is in the default language: {}",
        app.text("h1")?
    );
    app.note(&format!(
        "countdown {after:.0} ms after the last touch (waited {shown:.1?}), from {n} s"
    ));
    app.finish()
}

#[test]
fn continue_keeps_the_visitor_where_they_were() -> Result<()> {
    let path = format!("/?area={NANCHANG}&lang=en&kiosk=1&idle=6");
    let app = Exhibit::start_with(Options {
        path: path.clone(),
        ..Options::default()
    })?;
    wait_until(
        &app,
        "!!document.querySelector('.kiosk-idle')",
        Duration::from_secs(12),
        "the countdown",
    )?;
    app.click(".kiosk-continue")?;
    wait_until(
        &app,
        "!document.querySelector('.kiosk-idle')",
        Duration::from_secs(2),
        "the card closes",
    )?;
    std::thread::sleep(Duration::from_millis(1500));
    ensure!(
        search(&app)? == path.trim_start_matches('/'),
        "the view stays: {}",
        search(&app)?
    );
    ensure!(app.count(".panel")? == 1, "the panel stays open");
    // And the idle clock started over: a new countdown only after another 6 s.
    ensure!(
        app.count(".kiosk-idle")? == 0,
        "no new countdown before the idle time"
    );
    wait_until(
        &app,
        "!!document.querySelector('.kiosk-idle')",
        Duration::from_secs(10),
        "the next countdown",
    )?;
    app.finish()
}

#[test]
fn the_attract_tour_starts_by_itself_and_stops_on_a_tap() -> Result<()> {
    let app = Exhibit::start_with(Options {
        path: "/?kiosk=1&idle=3".into(),
        ..Options::default()
    })?;
    let history = app.eval("history.length")?;
    // At the start view there is nothing to lose: the tour starts after the idle time.
    wait_until(
        &app,
        "!!document.querySelector('.kiosk-attract')",
        Duration::from_secs(8),
        "the tour",
    )?;
    // The tour starts at the welcome, then shows the shelf of story covers, with a caption
    // and the hint in every language.
    wait_until(
        &app,
        "location.search.startsWith('?stories')",
        Duration::from_secs(10),
        "the shelf of stories",
    )?;
    let hint = app.text(".kiosk-attract-hint")?;
    ensure!(
        [
            "轻触屏幕，开始探索",
            "輕觸螢幕，開始探索",
            "Touch the screen to explore"
        ]
        .iter()
        .all(|h| hint.contains(h)),
        "the hint in three languages: {hint:?}"
    );
    // Then the Nanchang Building story, a chapter or two.
    wait_until(
        &app,
        "location.search.startsWith('?story=nanchang-building&ch=1')",
        Duration::from_secs(10),
        "the first story",
    )?;
    let first = app.text(".chapter-heading").unwrap_or_default();
    wait_until(
        &app,
        "location.search.startsWith('?story=nanchang-building&ch=2')",
        Duration::from_secs(8),
        "the next chapter",
    )?;
    app.screenshot("kiosk-attract-story")?;
    ensure!(
        app.count(".kiosk-attract-hint")? == 1,
        "the hint stays during the tour"
    );
    ensure!(
        app.eval("history.length")? == history,
        "the tour adds no history entries"
    );
    app.note(&format!("tour opened “{first}”, then the next chapter"));
    // A tap anywhere stops it and hands over the start view; the tap itself opens nothing.
    app.tap_at(960.0, 600.0)?;
    wait_until(
        &app,
        "!document.querySelector('.kiosk-attract')",
        Duration::from_secs(3),
        "the tour stops",
    )?;
    ensure!(
        search(&app)? == "?kiosk=1&idle=3",
        "handed over at the start view: {}",
        search(&app)?
    );
    std::thread::sleep(Duration::from_millis(2000));
    ensure!(
        search(&app)? == "?kiosk=1&idle=3",
        "the tour stays stopped: {}",
        search(&app)?
    );
    ensure!(
        app.count(".welcome")? == 1,
        "the visitor is handed the welcome"
    );
    ensure!(
        app.count(".panel")? == 0 && app.count(".story-page")? == 0,
        "the stopping tap opened nothing"
    );
    app.finish()
}

#[test]
fn a_kiosk_has_no_context_menu_selection_pinch_or_way_out() -> Result<()> {
    let app = Exhibit::start_with(Options {
        path: "/?kiosk=1&idle=600".into(),
        ..Options::default()
    })?;
    let probe = "(() => { \
        const menu = !document.querySelector('.intro').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })); \
        const a = document.createElement('a'); a.href = 'https://example.org/'; a.textContent = 'out'; \
        document.querySelector('.sidebar-body').append(a); \
        const out = !a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })); a.remove(); \
        const select = getComputedStyle(document.querySelector('.intro')).userSelect; \
        const touch = getComputedStyle(document.querySelector('.app')).touchAction; \
        const pinch = !window.dispatchEvent(new WheelEvent('wheel', { ctrlKey: true, deltaY: -100, bubbles: true, cancelable: true })); \
        return { menu, out, select, touch, pinch }; })()";
    let k = app.eval(probe)?;
    ensure!(k["menu"] == true, "the context menu is prevented: {k}");
    ensure!(
        k["out"] == true,
        "a link out of the exhibit does nothing: {k}"
    );
    ensure!(k["select"] == "none", "text cannot be selected: {k}");
    ensure!(
        k["touch"] == "pan-x pan-y",
        "the page cannot be pinch-zoomed: {k}"
    );
    ensure!(
        k["pinch"] == true,
        "a trackpad pinch (ctrl + wheel) does not zoom the page: {k}"
    );
    // Every visible control is a touch target of at least 44 × 44 px (controls shrunk to a few
    // pixels are keyboard-only stand-ins for crowded map pins, not touch targets).
    let small = app.eval(
        "Array.from(document.querySelectorAll('.app button, .app a[href], .app select, .app [role=button], .app input')) \
           .map(el => el.closest('label') || el) \
           .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); \
              return r.width > 3 && r.height > 3 && s.visibility !== 'hidden' && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }) \
           .map(el => { const r = el.getBoundingClientRect(); return [el.className || el.tagName, Math.round(r.width), Math.round(r.height)]; }) \
           .filter(([, w, h]) => w < 44 || h < 44)",
    )?;
    ensure!(
        small.as_array().is_some_and(Vec::is_empty),
        "touch targets under 44 px: {small}"
    );
    let counted = app.eval(
        "document.querySelectorAll('.app button, .app a[href], .app select, .app input').length",
    )?;
    app.note(&format!("{counted} controls measured, none under 44 px"));
    app.screenshot("kiosk-home")?;

    // Outside the kiosk the same page keeps its context menu and selectable text.
    app.open("/")?;
    let k = app.eval(
        "(() => ({ menu: !document.querySelector('.intro').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })), \
                   select: getComputedStyle(document.querySelector('.intro')).userSelect }))()",
    )?;
    ensure!(
        k["menu"] == false && k["select"] != "none",
        "an ordinary visit is not locked down: {k}"
    );
    ensure!(
        app.count(".app.kiosk")? == 0 && app.count(".handoff")? == 0,
        "no kiosk outside the kiosk"
    );
    app.finish()
}

#[test]
fn the_hand_off_code_encodes_the_current_view() -> Result<()> {
    let base = "https://lilong.example.org/exhibit/";
    let dist = site_copy("kiosk-handoff", |site| {
        let data = &site.join("data");
        edit_json(&data.join("exhibit.json"), |j| {
            j["public_base_url"] = base.into()
        })
    })?;
    let app = Exhibit::start_with(Options {
        dist: Some(dist.clone()),
        path: format!("/?area={NANCHANG}&kiosk=1&idle=600"),
        ..Options::default()
    })?;
    app.wait_for_timeout(".handoff-qr", Duration::from_secs(5))?;
    ensure!(
        app.text(".handoff-caption")? == "用手机接着看",
        "caption: {:?}",
        app.text(".handoff-caption")?
    );
    let link = decode_qr(&app)?;
    ensure!(
        link == format!("{base}?area={NANCHANG}"),
        "the code gives the public link of this view, without the kiosk: {link}"
    );
    app.screenshot("kiosk-handoff")?;
    // The code follows the view and the language.
    app.click(r#".lang[lang="en"]"#)?;
    wait_until(
        &app,
        "document.querySelector('.handoff').dataset.link.endsWith('lang=en')",
        Duration::from_secs(3),
        "the link follows",
    )?;
    let link = decode_qr(&app)?;
    ensure!(
        link == format!("{base}?area={NANCHANG}&lang=en"),
        "after switching to English: {link}"
    );
    ensure!(
        app.text(".handoff-caption")? == "Continue on your phone",
        "caption in English"
    );
    app.open("/?story=new-youth-office&ch=3&kiosk=1&idle=600")?;
    app.wait_for_timeout(".handoff-qr", Duration::from_secs(5))?;
    let link = decode_qr(&app)?;
    ensure!(
        link == format!("{base}?story=new-youth-office&ch=3"),
        "a story chapter: {link}"
    );
    app.note(&format!("decoded {link}"));
    app.finish()?;
    let _ = std::fs::remove_dir_all(&dist);

    // With the bundled settings (no public address) there is no code.
    let app = Exhibit::start_with(Options {
        path: "/?kiosk=1&idle=600".into(),
        ..Options::default()
    })?;
    ensure!(
        app.count(".app.kiosk")? == 1 && app.count(".handoff")? == 0,
        "no hand-off without a public address"
    );
    app.finish()
}

#[test]
fn the_language_switch_changes_text_link_and_document_language() -> Result<()> {
    // One area name and one interface string lack a zh-Hant text: they fall back to zh-Hans.
    let dist = site_copy("kiosk-lang", |site| {
        let data = &site.join("data");
        edit_json(&data.join("areas.geojson"), |j| {
            if let Some(fs) = j["features"].as_array_mut() {
                for f in fs {
                    if f["properties"]["id"] == NANCHANG
                        && let Some(name) = f["properties"]["name"].as_object_mut()
                    {
                        name.remove("zh-Hant");
                    }
                }
            }
        })?;
        edit_json(&data.join("i18n/zh-Hant.json"), |j| {
            if let Some(s) = j["strings"].as_object_mut() {
                s.remove("list.label");
            }
        })
    })?;
    let app = Exhibit::start_with(Options {
        dist: Some(dist.clone()),
        ..Options::default()
    })?;
    ensure!(
        app.text("h1")? == "里弄·家园" && html_lang(&app)? == "zh-Hans",
        "starts in zh-Hans"
    );
    ensure!(
        search(&app)?.is_empty(),
        "the default language is not in the link"
    );
    app.click(r#".lang[lang="en"]"#)?;
    wait_until(
        &app,
        "document.querySelector('h1').innerText.trim() === 'Lanes and Homes'",
        Duration::from_secs(3),
        "English title",
    )?;
    ensure!(
        search(&app)? == "?lang=en" && html_lang(&app)? == "en",
        "English in the link and the document: {} {}",
        search(&app)?,
        html_lang(&app)?
    );
    ensure!(
        app.eval("document.title")?.as_str() == Some("Lanes and Homes"),
        "the document title follows"
    );
    app.click(r#".lang[lang="zh-Hant"]"#)?;
    wait_until(
        &app,
        "document.querySelector('h1').innerText.trim() === '里弄·家園'",
        Duration::from_secs(3),
        "zh-Hant title",
    )?;
    ensure!(
        search(&app)? == "?lang=zh-Hant" && html_lang(&app)? == "zh-Hant",
        "zh-Hant in the link and the document"
    );
    // The fallbacks: the area name without a zh-Hant text shows its zh-Hans one.
    let hans = {
        let text = std::fs::read_to_string(dist.join("data/areas.geojson"))?;
        let j: serde_json::Value = serde_json::from_str(&text)?;
        j["features"]
            .as_array()
            .and_then(|fs| fs.iter().find(|f| f["properties"]["id"] == NANCHANG))
            .and_then(|f| f["properties"]["name"]["zh-Hans"].as_str())
            .context("Nanchang's name")?
            .to_string()
    };
    let item = app.text(&format!(r#".area-item[data-area="{NANCHANG}"]"#))?;
    ensure!(
        item.contains(&hans),
        "the list shows the zh-Hans name {hans:?} under zh-Hant: {item:?}"
    );
    let zh_hans_list = {
        let text = std::fs::read_to_string(dist.join("data/i18n/zh-Hans.json"))?;
        let j: serde_json::Value = serde_json::from_str(&text)?;
        j["strings"]["list.label"]
            .as_str()
            .context("list.label")?
            .to_string()
    };
    let label = app.attr("nav.area-list", "aria-label")?.unwrap_or_default();
    app.note(&format!(
        "zh-Hant fallbacks: area {hans}, list label {label} (zh-Hans {zh_hans_list})"
    ));
    ensure!(
        label == zh_hans_list,
        "a missing zh-Hant interface string falls back to zh-Hans: {label}"
    );
    // The same on a phone: the switch stays within reach.
    app.set_viewport(Viewport::Phone)?;
    std::thread::sleep(Duration::from_millis(400));
    app.screenshot("phone-zh-Hant")?;
    app.set_viewport(Viewport::Desktop)?;
    app.click(r#".lang[lang="zh-Hans"]"#)?;
    wait_until(
        &app,
        "location.search === ''",
        Duration::from_secs(3),
        "back to the default",
    )?;
    app.finish()?;
    let _ = std::fs::remove_dir_all(&dist);
    Ok(())
}

#[test]
fn a_deep_link_reloads_to_the_same_view() -> Result<()> {
    let story = "/?story=nanchang-building&ch=2&lang=en";
    let app = Exhibit::start_with(Options {
        path: story.into(),
        ..Options::default()
    })?;
    app.wait_for_timeout(".chapter-heading", Duration::from_secs(5))?;
    let heading = app.text(".story-progress")?;
    let title = app.text(".story-title")?;
    ensure!(html_lang(&app)? == "en", "the link's language");
    app.eval("location.reload()").ok();
    std::thread::sleep(Duration::from_millis(300));
    app.wait_ready(Duration::from_secs(30))?;
    app.wait_for_timeout(".chapter-heading", Duration::from_secs(5))?;
    ensure!(
        search(&app)? == story.trim_start_matches('/'),
        "the link survives a reload: {}",
        search(&app)?
    );
    ensure!(
        app.text(".story-progress")? == heading && app.text(".story-title")? == title,
        "the same chapter after a reload"
    );
    // An area in the kiosk, in zh-Hant.
    let area = format!("/?area={NANCHANG}&lang=zh-Hant&kiosk=1&idle=600");
    app.open(&area)?;
    app.wait_for_timeout(".panel", Duration::from_secs(5))?;
    let panel = app.text("#panel-title")?;
    app.eval("location.reload()").ok();
    std::thread::sleep(Duration::from_millis(300));
    app.wait_ready(Duration::from_secs(30))?;
    app.wait_for_timeout(".panel", Duration::from_secs(5))?;
    ensure!(
        app.text("#panel-title")? == panel
            && html_lang(&app)? == "zh-Hant"
            && app.count(".app.kiosk")? == 1,
        "the area, language and kiosk survive a reload"
    );
    app.note(&format!("reloaded “{title}” ({heading}) and {panel}"));
    app.finish()
}
