//! Stories first, end to end in Chromium: the two headline stories are one tap away on every
//! start screen (desktop, kiosk welcome, phone) without scrolling; the phone reader shows the
//! chapter's text on opening; the story text scrolls by keyboard and the focus goes to the
//! chapter heading on opening and back to the card on closing; the skip link; the share
//! control; axe on the story views; the kiosk's attract tour from its welcome to a story.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use lilong_e2e::{
    Exhibit, Options, Viewport, axe_source, location_search as search, wait_js as wait_until,
};

/// The stories the exhibit is known for, offered first on every start screen.
const HEADLINE: [&str; 2] = ["nanchang-building", "new-youth-office"];

const WAIT: Duration = Duration::from_secs(8);

fn card(id: &str) -> String {
    format!(r#"[data-open-story="{id}"]"#)
}

/// Whether the last element matching `selector` is wholly inside the viewport and is what a
/// touch at its centre reaches (nothing covers it).
fn on_screen_and_reachable(app: &Exhibit, selector: &str) -> Result<serde_json::Value> {
    let sel = serde_json::to_string(selector)?;
    app.eval(&format!(
        "(() => {{ const all = document.querySelectorAll({sel}); const e = all[all.length - 1]; \
           if (!e) return {{ found: false }}; const r = e.getBoundingClientRect(); \
           const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
           return {{ found: true, top: r.top, bottom: r.bottom, left: r.left, right: r.right, \
             inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0, \
             reached: !!hit && e.contains(hit), w: r.width, h: r.height }}; }})()"
    ))
}

/// Checks both headline stories on the start screen now shown, then opens each with a tap
/// (or click) and comes back.
fn headline_stories_reachable(
    app: &Exhibit,
    profile: &str,
    start: &str,
    phone: bool,
) -> Result<()> {
    for id in HEADLINE {
        app.open(start)?;
        app.wait_for_timeout(&card(id), WAIT)?;
        let r = on_screen_and_reachable(app, &card(id))?;
        ensure!(
            r["inside"] == true && r["reached"] == true,
            "{profile}: the card of `{id}` is on screen without scrolling and uncovered: {r}"
        );
        ensure!(
            r["w"].as_f64().unwrap_or(0.0) >= 44.0 && r["h"].as_f64().unwrap_or(0.0) >= 44.0,
            "{profile}: the card of `{id}` is a big target: {r}"
        );
        let scrolled = app.eval("Math.max(scrollY, document.scrollingElement.scrollTop)")?;
        ensure!(
            scrolled == 0,
            "{profile}: the page was not scrolled: {scrolled}"
        );
        let (x, y) = {
            let v = app.eval(&format!(
                "(() => {{ const all = document.querySelectorAll({s}); const r = all[all.length - 1].getBoundingClientRect(); \
                  return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
                s = serde_json::to_string(&card(id))?
            ))?;
            (v[0].as_f64().context("x")?, v[1].as_f64().context("y")?)
        };
        if phone {
            app.tap_at(x, y)?;
        } else {
            app.click_at(x, y)?;
        }
        wait_until(
            app,
            &format!(
                "!!document.querySelector('.story-page[data-story=\"{id}\"] .chapter-heading')"
            ),
            WAIT,
            &format!("{profile}: the story `{id}` opens"),
        )?;
        ensure!(
            search(app)?.starts_with(&format!("?story={id}&ch=1")),
            "{profile}: the link names the story: {}",
            search(app)?
        );
    }
    app.note(&format!("{profile}: both headline stories one tap away"));
    Ok(())
}

#[test]
fn the_headline_stories_are_one_tap_away_on_every_start_screen() -> Result<()> {
    let app = Exhibit::start()?;
    headline_stories_reachable(&app, "desktop 1920×1080", "/", false)?;
    app.open("/")?;
    app.screenshot("start-desktop")?;
    headline_stories_reachable(&app, "kiosk", "/?kiosk=1&idle=600", false)?;
    app.open("/?kiosk=1&idle=600")?;
    app.wait_for_timeout(".welcome", WAIT)?;
    app.screenshot("start-kiosk-welcome")?;
    app.set_viewport(Viewport::Phone)?;
    headline_stories_reachable(&app, "phone 390×844", "/", true)?;
    app.open("/")?;
    app.screenshot("start-phone")?;
    app.finish()
}

#[test]
fn the_kiosk_welcome_speaks_three_languages_and_leads_to_the_map() -> Result<()> {
    let app = Exhibit::start_with(Options {
        path: "/?kiosk=1&idle=600".into(),
        ..Options::default()
    })?;
    app.wait_for_timeout(".welcome", WAIT)?;
    let title = app.text(".welcome-title")?;
    let touch = app.text(".welcome-touch")?;
    for t in ["里弄·家园", "里弄·家園", "Lanes and Homes"] {
        ensure!(title.contains(t), "the title in every language: {title:?}");
    }
    for t in ["触摸一个故事", "觸摸一個故事", "Touch a story to begin"] {
        ensure!(
            touch.contains(t),
            "what to do, in every language: {touch:?}"
        );
    }
    let cards = app.count(".welcome-card")?;
    ensure!(
        (2..=3).contains(&cards),
        "two or three story cards: {cards}"
    );
    // A story opened from the welcome closes back onto it, its card focused.
    app.click(&format!(".welcome {}", card(HEADLINE[0])))?;
    app.wait_for_timeout(".story-page .chapter-heading", WAIT)?;
    app.click(".story-exit")?;
    wait_until(
        &app,
        &format!(
            "!!document.querySelector('.welcome') && document.activeElement?.matches('.welcome {}')",
            card(HEADLINE[0]).replace('"', "\\\"")
        ),
        WAIT,
        "back at the welcome with its card focused",
    )?;
    // "Explore the map" leaves the welcome for the free map.
    app.click(".welcome-explore")?;
    wait_until(
        &app,
        "!document.querySelector('.welcome') && !!document.querySelector('.map-page .map')",
        WAIT,
        "the map",
    )?;
    app.finish()
}

#[test]
fn the_phone_reader_opens_on_text_and_its_map_strip_grows() -> Result<()> {
    let app = Exhibit::start()?;
    app.set_viewport(Viewport::Phone)?;
    for id in HEADLINE {
        app.open(&format!("/?story={id}"))?;
        app.wait_for_timeout(".chapter-heading", WAIT)?;
        let seen = app.eval(
            "(() => { const col = document.querySelector('.story-column').getBoundingClientRect(); \
               const vis = e => { const r = e.getBoundingClientRect(); \
                 return r.height > 0 && r.top >= col.top - 1 && r.bottom <= Math.min(col.bottom, innerHeight) + 1; }; \
               return { heading: vis(document.querySelector('.chapter-heading')), \
                        lead: vis(document.querySelector('.chapter-text.lead')), \
                        map: document.querySelector('.story-map').getBoundingClientRect().height }; })()",
        )?;
        ensure!(
            seen["heading"] == true && seen["lead"] == true,
            "`{id}` on a phone: the heading and first paragraph are visible on opening: {seen}"
        );
        ensure!(
            seen["map"].as_f64().unwrap_or(999.0) <= 200.0,
            "the map is a strip: {seen}"
        );
    }
    app.screenshot("phone-reader")?;
    let small = app.eval("document.querySelector('.story-map').getBoundingClientRect().height")?;
    app.tap(".story-map-toggle")?;
    wait_until(
        &app,
        &format!(
            "document.querySelector('.story-map').getBoundingClientRect().height > {small} + 100"
        ),
        WAIT,
        "the map strip grows",
    )?;
    ensure!(
        app.attr(".story-map-toggle", "aria-expanded")?.as_deref() == Some("true"),
        "the toggle says it is expanded"
    );
    // Every control of the reader at least 24 px (WCAG 2.5.8), the chapter dots too (links
    // inside a sentence, the sources, are exempt).
    let small_targets = app.eval(
        "[...document.querySelectorAll('.story-reader button, .story-map-toggle')] \
           .map(e => [e.className, e.getBoundingClientRect()]) \
           .filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24)) \
           .map(([c, r]) => `${c} ${r.width}×${r.height}`)",
    )?;
    ensure!(
        small_targets.as_array().is_some_and(Vec::is_empty),
        "targets under 24 px: {small_targets}"
    );
    app.finish()
}

#[test]
fn the_share_control_shares_or_copies_the_link() -> Result<()> {
    let app = Exhibit::start()?;
    app.set_viewport(Viewport::Phone)?;
    app.open("/?story=new-youth-office&ch=2")?;
    app.wait_for_timeout(".share-button", WAIT)?;
    // A browser without a share sheet: the link goes to the clipboard, and the page says so.
    app.eval(
        "Object.defineProperty(navigator, 'share', { value: undefined, configurable: true }); \
         Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: t => { window.__copied = t; return Promise.resolve(); } } }); 0",
    )?;
    app.tap(".share-button")?;
    wait_until(
        &app,
        "document.querySelector('.share-note.shown')?.textContent === '链接已复制'",
        WAIT,
        "“link copied”",
    )?;
    let copied = app.eval("window.__copied === location.href")?;
    ensure!(copied == true, "the copied link is the chapter's");
    let note = on_screen_and_reachable(&app, ".share-note")?;
    ensure!(note["inside"] == true, "the note is visible: {note}");
    app.screenshot("phone-share-copied")?;
    // A browser with one: the system sheet gets the link, nothing is copied.
    app.eval(
        "window.__copied = null; Object.defineProperty(navigator, 'share', { configurable: true, \
           value: d => { window.__shared = d.url; return Promise.resolve(); } }); 0",
    )?;
    app.tap(".share-button")?;
    wait_until(
        &app,
        "window.__shared === location.href",
        WAIT,
        "the share sheet gets the link",
    )?;
    ensure!(
        app.eval("window.__copied === null")? == true,
        "nothing copied when the sheet is there"
    );
    app.finish()
}

#[test]
fn the_keyboard_scrolls_the_story_and_focus_comes_back() -> Result<()> {
    let app = Exhibit::start()?;
    // Opened from the shelf with the keyboard: the focus goes to the chapter's heading.
    app.open("/?stories")?;
    app.wait_for_timeout(&card(HEADLINE[0]), WAIT)?;
    app.focus(&card(HEADLINE[0]))?;
    app.press_key("Enter")?;
    wait_until(
        &app,
        "document.activeElement?.classList.contains('chapter-heading')",
        WAIT,
        "the focus on the chapter heading",
    )?;
    // Closing returns to the shelf, the focus on the card that opened the story.
    app.press_key("Escape")?;
    wait_until(
        &app,
        &format!(
            "location.search === '?stories' && document.activeElement?.matches('{}')",
            card(HEADLINE[0]).replace('"', "\\\"")
        ),
        WAIT,
        "the focus back on the card",
    )?;
    // The same with the story's own close button.
    app.press_key("Enter")?;
    app.wait_for_timeout(".story-exit", WAIT)?;
    app.focus(".story-exit")?;
    app.press_key("Enter")?;
    wait_until(
        &app,
        &format!(
            "document.activeElement?.matches('{}')",
            card(HEADLINE[0]).replace('"', "\\\"")
        ),
        WAIT,
        "the focus back after the close button",
    )?;
    // On a phone the column is short: arrows, Page Down and Space scroll it.
    app.set_viewport(Viewport::Phone)?;
    app.open(&format!("/?story={}", HEADLINE[1]))?;
    app.wait_for_timeout(".chapter-heading", WAIT)?;
    let col = ".story-column";
    ensure!(
        app.attr(col, "tabindex")?.as_deref() == Some("0") && !app.accessible_name(col)?.is_empty(),
        "the text column is focusable and named"
    );
    let scrollable = app.eval(
        "(() => { const c = document.querySelector('.story-column'); return c.scrollHeight > c.clientHeight + 20; })()",
    )?;
    ensure!(scrollable == true, "the chapter is longer than the column");
    app.focus(col)?;
    let top = |app: &Exhibit| -> Result<f64> {
        Ok(app
            .eval("document.querySelector('.story-column').scrollTop")?
            .as_f64()
            .unwrap_or(0.0))
    };
    let mut last = top(&app)?;
    for key in ["ArrowDown", "PageDown", " "] {
        app.press_key(key)?;
        let before = last;
        wait_until(
            &app,
            &format!("document.querySelector('.story-column').scrollTop > {before}"),
            WAIT,
            &format!("{key:?} scrolls the text"),
        )
        .or_else(|e| {
            // At the very end there is nothing left to scroll.
            let end = app.eval(
                "(() => { const c = document.querySelector('.story-column'); return c.scrollTop + c.clientHeight >= c.scrollHeight - 2; })()",
            )?;
            if end == true { Ok(Duration::ZERO) } else { Err(e) }
        })?;
        last = top(&app)?;
    }
    ensure!(last > 0.0, "the text scrolled: {last}");
    // The skip link is the first stop of the keyboard and leads to the story's text.
    app.eval("document.activeElement?.blur(); document.body.focus(); 0")?;
    app.press_key("Tab")?;
    ensure!(
        app.focused()?.contains("skip-link"),
        "the first Tab reaches the skip link: {}",
        app.focused()?
    );
    app.press_key("Enter")?;
    wait_until(
        &app,
        "document.activeElement?.id === 'content'",
        WAIT,
        "the skip link moves the focus to the text",
    )?;
    app.finish()
}

#[test]
fn axe_finds_no_violation_on_the_story_views() -> Result<()> {
    let source = axe_source()?;
    let app = Exhibit::start()?;
    let views: [(&str, &str, &str); 4] = [
        ("shelf", "/?stories", ".story-card"),
        (
            "story",
            "/?story=nanchang-building&ch=2",
            ".chapter-heading",
        ),
        (
            "story en",
            "/?story=new-youth-office&lang=en",
            ".chapter-heading",
        ),
        ("kiosk welcome", "/?kiosk=1&idle=600", ".welcome-card"),
    ];
    let mut report = Vec::new();
    for phone in [false, true] {
        if phone {
            app.set_viewport(Viewport::Phone)?;
        }
        let screen = if phone { "phone" } else { "desktop" };
        for (name, path, wait) in views {
            app.open(path)?;
            app.wait_for_timeout(wait, WAIT)?;
            // Let the cards' and chapter's transitions end before colours are measured.
            wait_until(
                &app,
                "document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
                WAIT,
                "transitions",
            )?;
            app.screenshot(&format!("{screen}-{}", name.replace(' ', "-")))?;
            for v in app.axe(&source)? {
                report.push(format!("{screen} {name} ({path}): {v}"));
            }
        }
    }
    ensure!(
        report.is_empty(),
        "axe found {} violation(s):\n  {}",
        report.len(),
        report.join("\n  ")
    );
    app.finish()
}

#[test]
fn the_attract_tour_shows_the_welcome_then_a_story() -> Result<()> {
    let app = Exhibit::start_with(Options {
        path: "/?kiosk=1&idle=3".into(),
        ..Options::default()
    })?;
    app.wait_for_timeout(".welcome", WAIT)?;
    wait_until(
        &app,
        "!!document.querySelector('.kiosk-attract')",
        Duration::from_secs(10),
        "the tour",
    )?;
    ensure!(
        app.count(".welcome")? == 1,
        "the tour begins at the welcome"
    );
    wait_until(
        &app,
        "location.search.startsWith('?stories') && !!document.querySelector('.kiosk-attract-caption')",
        Duration::from_secs(12),
        "the story covers",
    )?;
    let caption = app.text(".kiosk-attract-caption")?;
    for t in ["上海里弄的故事", "Stories of Shanghai’s lanes"] {
        ensure!(caption.contains(t), "the covers' caption: {caption:?}");
    }
    app.screenshot("attract-covers")?;
    wait_until(
        &app,
        "location.search.startsWith('?story=') && !!document.querySelector('.chapter-heading') \
         && !!document.querySelector('.kiosk-attract-caption')",
        Duration::from_secs(12),
        "a story",
    )?;
    let story = app
        .attr(".story-page", "data-story")?
        .context("the story on screen")?;
    let caption = app.text(".kiosk-attract-caption")?;
    ensure!(
        caption.contains(' ') && caption.contains('·'),
        "the story's caption in every language: {caption:?}"
    );
    // The caption covers no label of the map.
    let covered = app.eval(
        "(() => { const b = document.querySelector('.kiosk-attract-band').getBoundingClientRect(); \
           return [...document.querySelectorAll('.area-pin.labelled, .place-name, .district-label')] \
             .map(e => e.getBoundingClientRect()) \
             .filter(r => r.width > 0 && r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right).length; })()",
    )?;
    ensure!(covered == 0, "labels under the caption: {covered}");
    app.screenshot("attract-story")?;
    // The next chapter moves the map (the route carries the chapter).
    wait_until(
        &app,
        &format!("location.search.startsWith('?story={story}&ch=2')"),
        Duration::from_secs(12),
        "the next chapter",
    )?;
    // The first touch hands over the welcome.
    app.tap_at(960.0, 600.0)?;
    wait_until(
        &app,
        "!document.querySelector('.kiosk-attract') && !!document.querySelector('.welcome')",
        WAIT,
        "the welcome, handed over",
    )?;
    ensure!(
        search(&app)? == "?kiosk=1&idle=3",
        "the start view: {}",
        search(&app)?
    );
    app.finish()
}
