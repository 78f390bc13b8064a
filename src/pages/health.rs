//! The curators' data-health view (`?health`): every problem the loader found, located by
//! file, line and column, and the records left out because of them.

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::app::{DataFrom, FromGood};
use crate::dom::{El, el};
use crate::state::{ctx, tr};

fn code(text: &str) -> El {
    el("code").text(text)
}

/// The files served from this device's last good copy, because the server's could not be used.
fn from_good() -> Option<El> {
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
            .child(el("h3").dyn_text(tr("health.from_good")))
            .child(el("p").dyn_text(tr("health.from_good_note")))
            .child(el("ul").children(items)),
    )
}

/// Where the exhibit was read from, and how to make the quick path work again.
fn read_from(from: DataFrom) -> Vec<El> {
    match from {
        DataFrom::Checked => {
            vec![
                el("p")
                    .class("health-from checked")
                    .dyn_text(tr("health.from_checked")),
            ]
        }
        DataFrom::Json(stale, err) => {
            let mut why = el("p")
                .class("health-from json")
                .dyn_text(tr("health.from_json"));
            if !stale.is_empty() {
                why = why.text(" ").dyn_text(tr("health.stale")).text(" ");
                for f in stale {
                    why = why.child(code(&f).class("stale")).text(" ");
                }
            } else if let Some(err) = err {
                why = why
                    .text(" ")
                    .dyn_text(tr("health.bad_checked"))
                    .text(" ")
                    .child(code(&err));
            } else {
                why = why.text(" ").dyn_text(tr("health.no_checked"));
            }
            vec![
                why,
                el("p")
                    .class("health-rewrite")
                    .dyn_text(tr("health.rewrite")),
            ]
        }
    }
}

/// The content still to do: records without English, places without an image, areas drawn
/// schematically, story chapters without a focus on the map.
fn todo(e: &lilong_core::model::Exhibit) -> Option<El> {
    use lilong_core::model::Boundary;
    let no_en = |l: &lilong_core::model::Localized| l.en.as_deref().is_none_or(str::is_empty);
    let name = |l: &lilong_core::model::Localized| l.zh_hans.clone();
    let mut gaps = vec![
        (
            ("english", tr("health.todo_english")),
            e.areas
                .iter()
                .filter(|a| no_en(&a.props.name))
                .map(|a| name(&a.props.name))
                .chain(
                    e.places
                        .iter()
                        .filter(|p| no_en(&p.props.name))
                        .map(|p| name(&p.props.name)),
                )
                .chain(
                    e.projects
                        .iter()
                        .filter(|p| no_en(&p.title))
                        .map(|p| name(&p.title)),
                )
                .chain(
                    e.stories
                        .iter()
                        .filter(|s| no_en(&s.title))
                        .map(|s| name(&s.title)),
                )
                .collect::<Vec<String>>(),
        ),
        (
            ("images", tr("health.todo_images")),
            e.places
                .iter()
                .filter(|p| p.props.image.is_none())
                .map(|p| name(&p.props.name))
                .collect::<Vec<String>>(),
        ),
        (
            ("schematic", tr("health.todo_schematic")),
            e.areas
                .iter()
                .filter(|a| a.props.boundary == Boundary::Schematic)
                .map(|a| name(&a.props.name))
                .collect::<Vec<String>>(),
        ),
        (
            ("focus", tr("health.todo_focus")),
            e.stories
                .iter()
                .filter(|s| s.chapters.iter().any(|ch| ch.focus.is_none()))
                .map(|s| name(&s.title))
                .collect::<Vec<String>>(),
        ),
    ];
    gaps.retain(|(_, names)| !names.is_empty());
    if gaps.is_empty() {
        return None;
    }
    let lists = gaps.into_iter().map(|((gap, text), names)| {
        let shown = names.len().min(50);
        let more = names.len() - shown;
        el("li")
            .attr("data-gap", gap)
            .dyn_text(text)
            .text(&format!(" ({})", names.len()))
            .child(
                el("ul").children(
                    names
                        .into_iter()
                        .take(shown)
                        .map(|n| el("li").text(&n))
                        .chain((more > 0).then(|| el("li").text(&format!("… +{more}")))),
                ),
            )
    });
    Some(
        el("section")
            .class("health-todo")
            .child(el("h3").dyn_text(tr("health.todo")))
            .child(el("ul").children(lists)),
    )
}

pub fn health_page() -> El {
    let c = ctx();
    Effect::new(move |_| c.ready.set(true));
    let loaded = c.exhibit();
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    let warnings = loaded.problems.len() - errors;
    // Grouped by file (in the loader's order), errors first.
    let mut files: Vec<&str> = Vec::new();
    for p in &loaded.problems {
        if !files.contains(&p.file.as_str()) {
            files.push(&p.file);
        }
    }
    let problems = files.into_iter().map(|file| {
        let mut here: Vec<_> = loaded.problems.iter().filter(|p| p.file == file).collect();
        here.sort_by_key(|p| !p.is_error());
        let items = here.into_iter().map(|p| {
            let is_error = p.is_error();
            el("li")
                .class(if is_error { "error" } else { "warning" })
                .child(code(&format!("{}:{}:{}", p.file, p.line, p.col)).class("at"))
                .child(el("span").class("severity").dyn_text(if is_error {
                    tr("health.error")
                } else {
                    tr("health.warning")
                }))
                .child(el("span").class("msg").text(&p.message))
        });
        el("li")
            .class("health-file")
            .attr("data-file", file)
            .child(el("h3").child(code(&format!("data/{file}"))))
            .child(el("ul").children(items))
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
    // Not clean while a file on the server is broken, even if its last good copy loads.
    let clean = loaded.problems.is_empty()
        && use_context::<RwSignal<FromGood>>().is_none_or(|g| g.with_untracked(|g| g.0.is_empty()));
    let page = el("div")
        .class("health-page")
        .child(el("h2").dyn_text(tr("health.title")))
        .child(
            el("p")
                .class("health-summary")
                .child(
                    el("span")
                        .class("count errors")
                        .text(&format!("{errors} "))
                        .dyn_text(tr("health.errors")),
                )
                .child(
                    el("span")
                        .class("count warnings")
                        .text(&format!("{warnings} "))
                        .dyn_text(tr("health.warnings")),
                ),
        )
        .child(
            el("p")
                .class("health-counts")
                .dyn_text(tr("health.loaded"))
                .text(&format!(" {counts}")),
        )
        .maybe(from_good())
        .children(read_from(from))
        .maybe(clean.then(|| el("p").class("all-clear").dyn_text(tr("health.clean"))))
        .child(el("ul").class("problems").children(problems))
        .maybe(todo(&loaded.exhibit));
    let page = if skipped.is_empty() {
        page
    } else {
        page.child(el("h3").dyn_text(tr("health.skipped")))
            .child(el("ul").class("skipped").children(skipped))
    };
    page.child(
        el("button")
            .class("back")
            .dyn_text(tr("health.back"))
            .on_click(move || c.go(Page::Map)),
    )
}
