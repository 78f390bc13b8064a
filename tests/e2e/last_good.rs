//! A broken upload never reaches a visitor (the last good exhibit), end to end: a kiosk that has
//! shown the exhibit keeps showing it when a file on the server breaks; a visitor with no good
//! copy sees the rest of the exhibit; when nothing can be shown, a calm screen that recovers by
//! itself; the curators' page names the broken file in the page's language.
//!
//! Each test serves its own copy of the built site from a temporary folder and edits it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use lilong_e2e::{Exhibit, Options, site_copy, wait_js};

/// A copy of the built site in a temporary folder, removed when dropped.
struct SiteCopy(PathBuf);

impl SiteCopy {
    fn new(label: &str) -> Result<SiteCopy> {
        Ok(SiteCopy(site_copy(&format!("last-good-{label}"), |_| {
            Ok(())
        })?))
    }
    fn data(&self, file: &str) -> PathBuf {
        self.0.join("data").join(file)
    }
    fn options(&self, path: &str) -> Options {
        Options {
            dist: Some(self.0.clone()),
            path: path.into(),
            screenshot_on_failure: false,
            ..Options::default()
        }
    }
}

impl Drop for SiteCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Cuts a file in half, at a line's end, as an interrupted upload leaves it.
fn cut_in_half(path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(path)?;
    let cut = text.as_bytes()[..text.len() / 2]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap_or(0);
    std::fs::write(path, &text[..cut])?;
    Ok(())
}

/// The first story's id in the site's stories.
fn first_story(site: &SiteCopy) -> Result<String> {
    let stories: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.data("stories.json"))?)?;
    stories["stories"][0]["id"]
        .as_str()
        .map(String::from)
        .context("no story in stories.json")
}

/// Fails when the visible page shows developer text: a data file's name, JSON, a line:column.
fn no_developer_text(app: &Exhibit) -> Result<()> {
    let body = app.text("body")?;
    for word in [".json", ".geojson", "JSON", "data/"] {
        ensure!(
            !body.contains(word),
            "the public screen shows {word:?}: {body}"
        );
    }
    let located = app.eval(r"/\b\w+\.\w+:\d+:\d+/.test(document.body.innerText)")?;
    ensure!(
        located == serde_json::Value::Bool(false),
        "the public screen shows a file:line:column: {body}"
    );
    ensure!(app.count(".unusable")? == 0, "no screen of unusable files");
    Ok(())
}

/// Passes a page whose only console errors mention `expected` (a file the server refused).
fn finish_expecting(app: Exhibit, expected: &[&str]) -> Result<()> {
    let other: Vec<String> = app
        .console_errors()
        .into_iter()
        .filter(|e| !expected.iter().any(|x| e.contains(x)))
        .collect();
    ensure!(other.is_empty(), "unexpected console errors: {other:#?}");
    drop(app);
    Ok(())
}

#[test]
fn a_kiosk_keeps_its_last_good_exhibit_when_stories_are_cut_in_half() -> Result<()> {
    let site = SiteCopy::new("kiosk")?;
    let story = first_story(&site)?;
    let app = Exhibit::start_with(site.options(&format!("/?kiosk=1&story={story}")))?;
    app.wait_for(".story-page")?;
    // The files that loaded cleanly are kept on this device.
    wait_js(
        &app,
        "document.documentElement.dataset.goodKept === 'true'",
        Duration::from_secs(30),
        "the good copies kept",
    )?;
    cut_in_half(&site.data("stories.json"))?;
    // The kiosk starts again (a power cut, the nightly restart) with the broken file served.
    app.open(&format!("/?kiosk=1&story={story}"))?;
    app.wait_for(".story-page")?;
    ensure!(
        app.attr(".story-page", "data-chapter")?.as_deref() == Some("1"),
        "the story shows its first chapter"
    );
    no_developer_text(&app)?;
    app.screenshot("kiosk-last-good-story")?;
    // The curators' page says the file is served from the last good copy, and why.
    app.open("/?health&lang=en")?;
    app.wait_for(".health-from-good li[data-file=\"stories.json\"]")?;
    let why = app.text(".health-from-good")?;
    ensure!(
        why.contains("stories.json") && why.contains("last good copy"),
        "the health page names the file served from its last good copy: {why}"
    );
    app.screenshot("health-last-good")?;
    finish_expecting(app, &[])
}

#[test]
fn a_fresh_visitor_sees_the_rest_of_the_exhibit_and_health_names_the_file() -> Result<()> {
    let site = SiteCopy::new("fresh")?;
    cut_in_half(&site.data("stories.json"))?;
    let app = Exhibit::start_with(site.options("/"))?;
    app.wait_for("canvas")?;
    ensure!(
        app.count(".area-pin, [data-area]")? > 0,
        "the areas are shown"
    );
    no_developer_text(&app)?;
    app.screenshot("fresh-visitor-without-stories")?;
    // The curators' page names the broken file, in the page's language.
    app.open("/?health&lang=zh-Hans")?;
    app.wait_for(".health-page .problems li.error")?;
    let problems = app.text(".health-page .problems")?;
    ensure!(
        problems.contains("stories.json"),
        "health names stories.json: {problems}"
    );
    let title = app.text(".health-page h2")?;
    ensure!(
        title == "数据健康",
        "the page speaks Simplified Chinese: {title:?}"
    );
    finish_expecting(app, &[])
}

#[test]
fn with_the_settings_broken_a_calm_screen_recovers_by_itself() -> Result<()> {
    let site = SiteCopy::new("settings")?;
    let path = site.data("exhibit.json");
    let good = std::fs::read(&path)?;
    cut_in_half(&path)?;
    let app = Exhibit::start_with(site.options("/?kiosk=1&lang=zh-Hant"))?;
    app.wait_for("[data-updating]")?;
    let text = app.text("[data-updating]")?;
    ensure!(
        text.contains("展覽正在更新"),
        "the calm screen, in the visitor's language: {text}"
    );
    no_developer_text(&app)?;
    app.screenshot("calm-screen-being-updated")?;
    // `?health` is not blocked by it.
    app.open("/?health&lang=en")?;
    app.wait_for(".health-page .problems li.error")?;
    let problems = app.text(".health-page .problems")?;
    ensure!(
        problems.contains("exhibit.json"),
        "health names exhibit.json: {problems}"
    );
    // Back on the kiosk: fixed on the server, the exhibit comes back with no one touching it.
    app.open("/?kiosk=1&lang=zh-Hant")?;
    app.wait_for("[data-updating]")?;
    std::fs::write(&path, good)?;
    let took = wait_js(
        &app,
        "!!document.querySelector('main#app[data-ready=\"true\"] canvas')",
        Duration::from_secs(90),
        "the exhibit back after the fix",
    )?;
    app.note(&format!(
        "recovered {:.1}s after the fix",
        took.as_secs_f64()
    ));
    finish_expecting(app, &[])
}
