//! The foundation: the release build starts in real Chromium, shows the exhibit's title, logs no
//! error, and a build that cannot start is reported as such instead of hanging.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use lilong_e2e::{Exhibit, Options, Viewport, dist_dir, site_copy};

/// The title the app must show: `title` of the served `data/exhibit.json`, in its
/// `default_language` (falling back to `zh-Hans`). `None` while the site has no exhibit.json.
fn expected_title(dist: &Path) -> Result<Option<String>> {
    let path = dist.join("data").join("exhibit.json");
    if !path.exists() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let lang = json["default_language"].as_str().unwrap_or("zh-Hans");
    let title = json["title"][lang]
        .as_str()
        .or_else(|| json["title"]["zh-Hans"].as_str());
    match title {
        Some(t) => Ok(Some(t.to_string())),
        None => bail!("{} has no title in {lang} or zh-Hans", path.display()),
    }
}

#[test]
fn the_app_starts_and_shows_the_exhibit_title() -> Result<()> {
    let app = Exhibit::start()?;
    let shown = app.text("h1")?;
    match expected_title(&dist_dir())? {
        Some(title) => ensure!(
            shown == title,
            "the <h1> shows {shown:?}, exhibit.json's title is {title:?}"
        ),
        None => ensure!(!shown.is_empty(), "the <h1> is empty"),
    }
    let headings = app.by_role("heading", Some(&shown))?;
    ensure!(
        !headings.is_empty(),
        "no heading named {shown:?} in the accessibility tree"
    );
    app.note(&format!(
        "title shown: {shown:?} (heading level 1, accessible)"
    ));
    // For a person to look at: the whole first screen, as a 1920×1080 kiosk shows it.
    let shot = app.screenshot("desktop")?;
    app.note(&format!("screenshot: {}", shot.display()));
    app.finish()
}

#[test]
fn the_app_starts_on_a_phone_without_console_errors() -> Result<()> {
    let app = Exhibit::start_with(Options {
        viewport: Viewport::Phone,
        ..Options::default()
    })?;
    ensure!(
        app.viewport_size()? == (390, 844),
        "viewport is {:?}",
        app.viewport_size()?
    );
    let errors = app.console_errors();
    ensure!(errors.is_empty(), "console errors on start-up: {errors:#?}");
    app.note(&format!(
        "390×844, {} console message(s), none an error",
        app.console().len()
    ));
    app.finish()
}

/// A copy of the built site whose wasm module is cut in half, as a bad optimiser or an interrupted
/// upload would leave it.
fn broken_copy() -> Result<std::path::PathBuf> {
    site_copy("broken-dist", |copy| {
        let mut truncated = 0;
        for entry in std::fs::read_dir(copy)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "wasm") {
                let bytes = std::fs::read(&path)?;
                std::fs::write(&path, &bytes[..bytes.len() / 2])?;
                truncated += 1;
            }
        }
        ensure!(truncated > 0, "no .wasm in {}", dist_dir().display());
        Ok(())
    })
}

#[test]
fn a_broken_wasm_module_is_reported_as_an_app_that_did_not_start() -> Result<()> {
    let broken = broken_copy()?;
    let timeout = Duration::from_secs(20);
    let start = Instant::now();
    let result = Exhibit::start_with(Options {
        dist: Some(broken.clone()),
        start_timeout: timeout,
        screenshot_on_failure: false,
        ..Options::default()
    });
    let took = start.elapsed();
    std::fs::remove_dir_all(&broken)?;
    let Err(err) = result else {
        bail!("the app reported ready although its wasm module is truncated");
    };
    let message = format!("{err:#}");
    ensure!(
        message.contains("app did not start"),
        "unexpected failure: {message}"
    );
    ensure!(
        took < timeout + Duration::from_secs(15),
        "took {took:?} to give up (timeout {timeout:?})"
    );
    println!(
        "[broken wasm] reported in {:.1}s: {}",
        took.as_secs_f64(),
        message.lines().next().unwrap_or("")
    );
    Ok(())
}
