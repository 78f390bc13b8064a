//! The panel of a selected residential area: who, where, key facts, its projects and their
//! milestones, its buildings (with the way into their stories), the boundary's accuracy, and
//! sources. A side panel on kiosk and desktop, a bottom sheet on phones (CSS).

use lilong_core::model::{Boundary, Exhibit, Lang};
use lilong_core::route::Page;

use crate::components::sources::sources;
use crate::components::timeline_area::area_timeline;
use crate::dom::{El, el};
use crate::state::{Ctx, ctx};

fn number(n: f64, lang: Lang) -> String {
    let s = if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    };
    if lang == Lang::En && n >= 1000.0 && n.fract() == 0.0 {
        let digits: Vec<char> = s.chars().collect();
        let mut out = String::new();
        for (i, ch) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(*ch);
        }
        out
    } else {
        s
    }
}

/// A project as the panel shows it.
struct Project {
    title: String,
    summary: String,
    /// Its theme's name and colour.
    theme: Option<(String, String)>,
    /// Its milestones' dates and texts.
    milestones: Vec<(Option<String>, String)>,
}

/// What the panel shows of an area, in one language.
struct Shown {
    id: String,
    name: String,
    /// Its district and subdistrict.
    place: String,
    summary: Option<String>,
    /// Label and value of each key fact.
    facts: Vec<(String, String)>,
    /// How its boundary was drawn.
    boundary: String,
    schematic: bool,
    boundary_note: Option<String>,
    projects: Vec<Project>,
    /// Its buildings and places (id, name).
    places: Vec<(String, String)>,
    /// The stories about it (id, title).
    stories: Vec<(String, String)>,
    /// Its sources and its projects', without repeats.
    sources: Vec<String>,
}

/// What the panel shows of area `id`, or nothing when there is no such area.
fn gather(c: Ctx, e: &Exhibit, id: &str, lang: Lang) -> Option<Shown> {
    let a = e.area(id)?;
    let sub = e
        .subdistrict(&a.subdistrict)
        .map(|s| s.name.get(lang).to_string())
        .unwrap_or_default();
    let dist = e
        .district(&a.district)
        .map(|d| d.name.get(lang).to_string())
        .unwrap_or_default();
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(h) = a.households {
        facts.push((c.t("fact.households"), number(h as f64, lang)));
    }
    if let Some(r) = a.residents {
        facts.push((c.t("fact.residents"), number(r as f64, lang)));
    }
    if let Some(k) = a.area_km2 {
        facts.push((c.t("fact.area"), format!("{} km²", number(k, lang))));
    }
    let boundary = match a.boundary {
        Boundary::Surveyed => c.t("boundary.surveyed"),
        Boundary::Traced => c.t("boundary.traced"),
        Boundary::Schematic => c.t("boundary.schematic"),
    };
    let projects = e
        .projects_in_area(&a.id)
        .map(|p| {
            let theme = e
                .theme(&p.theme)
                .map(|th| (th.name.get(lang).to_string(), th.color.clone()));
            let milestones = p
                .milestones
                .iter()
                .map(|m| (m.date_label(lang), m.text.get(lang).to_string()))
                .collect();
            Project {
                title: p.title.get(lang).to_string(),
                summary: p.summary.get(lang).to_string(),
                theme,
                milestones,
            }
        })
        .collect();
    let places = e
        .places_in_area(&a.id)
        .map(|p| (p.id.clone(), p.name.get(lang).to_string()))
        .collect();
    let stories = e
        .stories_about_area(&a.id)
        .map(|s| (s.id.clone(), s.title.get(lang).to_string()))
        .collect();
    let mut sources = a.sources.clone();
    for p in e.projects_in_area(&a.id) {
        for s in &p.sources {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
    }
    Some(Shown {
        id: a.id.clone(),
        name: a.name.get(lang).to_string(),
        place: format!("{dist} · {sub}"),
        summary: a.summary.as_ref().map(|s| s.get(lang).to_string()),
        facts,
        boundary,
        schematic: a.boundary == Boundary::Schematic,
        boundary_note: a.boundary_note.as_ref().map(|n| n.get(lang).to_string()),
        projects,
        places,
        stories,
        sources,
    })
}

/// A project: its title, theme, summary and milestones.
fn project(p: Project) -> El {
    let theme = p.theme.map(|(name, colour)| {
        el("span")
            .class("theme-chip")
            .child(
                el("span")
                    .class("swatch")
                    .attr("style", &format!("background:{colour}")),
            )
            .text(&name)
    });
    let milestones = (!p.milestones.is_empty()).then(|| {
        el("ol")
            .class("milestones")
            .children(p.milestones.into_iter().map(|(d, text)| {
                el("li")
                    .child(el("span").class("when").text(&d.unwrap_or_default()))
                    .child(el("span").class("what").text(&text))
            }))
    });
    el("article")
        .class("project")
        .child(el("h4").text(&p.title))
        .maybe(theme)
        .child(el("p").text(&p.summary))
        .maybe(milestones)
}

/// The body of the panel of area `id`, in the language in force.
/// A button that opens a story at its first chapter.
pub fn story_link(class: &str, story: String, title: &str, kicker: &str) -> El {
    let c = ctx();
    el("button")
        .class(class)
        .on_click(move || {
            c.go(Page::Story {
                id: story.clone(),
                chapter: 0,
            })
        })
        .child(el("span").class("kicker").text(kicker))
        .child(el("span").text(title))
}

pub fn area_panel(id: String) -> El {
    let c = ctx();
    el("div").class("panel-body").dyn_children(move || {
        let lang = c.lang();
        let Some(a) = c.with(|e| gather(c, e, &id, lang)) else {
            return vec![el("p").class("panel-empty").text(&c.t("panel.not_found"))];
        };
        let mut out = vec![
            el("header")
                .class("panel-head")
                .child(el("p").class("eyebrow").text(&a.place))
                .child(el("h2").attr("id", "panel-title").text(&a.name)),
        ];
        out.extend(a.summary.map(|s| el("p").class("lede").text(&s)));
        if !a.facts.is_empty() {
            out.push(
                el("dl").class("facts").children(
                    a.facts
                        .into_iter()
                        .map(|(k, v)| el("div").child(el("dt").text(&k)).child(el("dd").text(&v))),
                ),
            );
        }
        out.push(
            el("p")
                .class(if a.schematic {
                    "boundary schematic"
                } else {
                    "boundary"
                })
                .child(el("span").class("badge").text(&a.boundary))
                .maybe(a.boundary_note.map(|n| el("span").class("note").text(&n))),
        );
        if !a.stories.is_empty() {
            out.push(
                el("section")
                    .class("stories")
                    .child(el("h3").text(&c.t("panel.stories")))
                    .children(a.stories.into_iter().map(|(sid, title)| {
                        story_link("story-link", sid, &title, &c.t("story.read"))
                    })),
            );
        }
        out.extend(area_timeline(&a.id));
        if !a.projects.is_empty() {
            out.push(
                el("section")
                    .class("projects")
                    .child(el("h3").text(&c.t("panel.projects")))
                    .children(a.projects.into_iter().map(project)),
            );
        }
        if !a.places.is_empty() {
            out.push(
                el("section")
                    .class("places")
                    .child(el("h3").text(&c.t("panel.places")))
                    .child(el("ul").children(a.places.into_iter().map(|(pid, pname)| {
                        el("li").child(
                            el("button")
                                .class("place-link")
                                .on_click(move || c.go(Page::Place { id: pid.clone() }))
                                .text(&pname),
                        )
                    }))),
            );
        }
        out.push(sources(a.sources));
        out
    })
}
