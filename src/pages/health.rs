//! The curators' data-health view (`?health`): every problem the loader found, located by
//! file, line and column, and the records left out because of them.

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::app::{DataFrom, FromGood};
use crate::dom::{El, el};
use crate::state::{Ctx, ctx};

/// Text in the current language, following it.
fn t(c: Ctx, key: &'static str) -> impl Fn() -> String + 'static {
    move || c.t(key)
}

fn code(text: &str) -> El {
    el("code").text(text)
}

/// The files served from this device's last good copy, because the server's could not be used.
fn from_good(c: Ctx) -> Option<El> {
    let good = use_context::<RwSignal<FromGood>>()?.get_untracked().0;
    if good.is_empty() {
        return None;
    }
    let items = good.into_iter().map(|(file, why)| {
        el("li")
            .attr("data-file", &file)
            .child(code(&format!("data/{file}")).class("file"))
            .text(" ")
            .child(el("span").class("why").text(&why))
    });
    Some(
        el("section")
            .class("health-from-good")
            .child(el("h3").dyn_text(t(c, "health.from_good")))
            .child(el("p").dyn_text(t(c, "health.from_good_note")))
            .child(el("ul").children(items)),
    )
}

/// Where the exhibit was read from, and how to make the quick path work again.
fn read_from(c: Ctx, from: DataFrom) -> Vec<El> {
    match from {
        DataFrom::Checked => {
            vec![
                el("p")
                    .class("health-from checked")
                    .dyn_text(t(c, "health.from_checked")),
            ]
        }
        DataFrom::Json(stale, err) => {
            let mut why = el("p")
                .class("health-from json")
                .dyn_text(t(c, "health.from_json"));
            if !stale.is_empty() {
                why = why.text(" ").dyn_text(t(c, "health.stale")).text(" ");
                for f in stale {
                    why = why.child(code(&f).class("stale")).text(" ");
                }
            } else if let Some(err) = err {
                why = why
                    .text(" ")
                    .dyn_text(t(c, "health.bad_checked"))
                    .text(" ")
                    .child(code(&err));
            } else {
                why = why.text(" ").dyn_text(t(c, "health.no_checked"));
            }
            vec![
                why,
                el("p")
                    .class("health-rewrite")
                    .dyn_text(t(c, "health.rewrite")),
            ]
        }
    }
}

pub fn health_page() -> El {
    let c = ctx();
    Effect::new(move |_| c.ready.set(true));
    let loaded = c.exhibit();
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    let warnings = loaded.problems.len() - errors;
    let problems = loaded.problems.iter().map(|p| {
        let is_error = p.is_error();
        el("li")
            .class(if is_error { "error" } else { "warning" })
            .child(code(&format!("{}:{}:{}", p.file, p.line, p.col)).class("at"))
            .child(
                el("span")
                    .class("severity")
                    .text(if is_error { "error" } else { "warning" }),
            )
            .child(el("span").class("msg").text(&p.message))
    });
    let skipped: Vec<El> = loaded
        .skipped
        .iter()
        .map(|s| {
            let id = s.id.as_ref().map(|i| format!(" ({i})")).unwrap_or_default();
            el("li").child(code(&format!("{} {}{id}", s.file, s.path)))
        })
        .collect();
    let from = use_context::<DataFrom>().unwrap_or(DataFrom::Json(Vec::new(), None));
    let e = &loaded.exhibit;
    let counts = format!(
        "{} · {} · {} · {} · {}",
        e.areas.len(),
        e.places.len(),
        e.projects.len(),
        e.stories.len(),
        e.districts.len()
    );
    let clean = loaded.problems.is_empty();
    let page = el("div")
        .class("health-page")
        .child(el("h2").dyn_text(t(c, "health.title")))
        .child(
            el("p")
                .class("health-summary")
                .child(
                    el("span")
                        .class("count errors")
                        .text(&format!("{errors} "))
                        .dyn_text(t(c, "health.errors")),
                )
                .child(
                    el("span")
                        .class("count warnings")
                        .text(&format!("{warnings} "))
                        .dyn_text(t(c, "health.warnings")),
                ),
        )
        .child(
            el("p")
                .class("health-counts")
                .dyn_text(t(c, "health.loaded"))
                .text(&format!(" {counts}")),
        )
        .maybe(from_good(c))
        .children(read_from(c, from))
        .maybe(clean.then(|| el("p").class("all-clear").dyn_text(t(c, "health.clean"))))
        .child(el("ul").class("problems").children(problems));
    let page = if skipped.is_empty() {
        page
    } else {
        page.child(el("h3").dyn_text(t(c, "health.skipped")))
            .child(el("ul").class("skipped").children(skipped))
    };
    page.child(
        el("button")
            .class("back")
            .dyn_text(t(c, "health.back"))
            .on("click", move |_| c.go(Page::Map)),
    )
}
