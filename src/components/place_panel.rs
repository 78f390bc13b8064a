//! The summary of a selected building or place, with the way into its story.

use lilong_core::model::{Exhibit, Lang, LocationAccuracy, PlaceKind};
use lilong_core::route::Page;

use crate::components::area_panel::story_link;
use crate::components::sources::sources;
use crate::dom::{El, el};
use crate::state::{Ctx, ctx};

/// What the panel shows of a place, in one language.
struct Shown {
    /// The name of its kind.
    kind: String,
    name: String,
    /// The area it is in (id, name).
    area: Option<(String, String)>,
    summary: String,
    /// Story (id, title).
    story: Option<(String, String)>,
    /// Date and text of each fact.
    facts: Vec<(Option<String>, String)>,
    /// Whether its location is only approximate.
    approximate: bool,
    sources: Vec<String>,
}

/// What the panel shows of place `id`, or nothing when there is no such place.
fn gather(c: Ctx, e: &Exhibit, id: &str, lang: Lang) -> Option<Shown> {
    let p = e.place(id)?;
    Some(Shown {
        kind: match p.kind {
            PlaceKind::Building => c.t("kind.building"),
            PlaceKind::Site => c.t("kind.site"),
            PlaceKind::Garden => c.t("kind.garden"),
            PlaceKind::Lane => c.t("kind.lane"),
            PlaceKind::Park => c.t("kind.park"),
            PlaceKind::Estate => c.t("kind.estate"),
            PlaceKind::LaneEstate => c.t("kind.lane_estate"),
            PlaceKind::ResidentialBuilding => c.t("kind.residential_building"),
            PlaceKind::CommunitySpace => c.t("kind.community_space"),
            PlaceKind::Street => c.t("kind.street"),
        },
        name: p.name.get(lang).to_string(),
        area: e
            .area(&p.area)
            .map(|a| (a.id.clone(), a.name.get(lang).to_string())),
        summary: p.summary.get(lang).to_string(),
        story: p
            .story
            .as_ref()
            .and_then(|s| e.story(s))
            .map(|s| (s.id.clone(), s.title.get(lang).to_string())),
        facts: p
            .facts
            .iter()
            .map(|f| (f.date_label(lang), f.text.get(lang).to_string()))
            .collect(),
        approximate: p.location == LocationAccuracy::Approximate,
        sources: p.sources.clone(),
    })
}

/// The body of the panel of place `id`, in the language in force.
pub fn place_panel(id: String) -> El {
    let c = ctx();
    el("div").class("panel-body").dyn_children(move || {
        let lang = c.lang();
        let Some(p) = c.with(|e| gather(c, e, &id, lang)) else {
            return vec![el("p").class("panel-empty").text(&c.t("panel.not_found"))];
        };
        let mut out = vec![
            el("header")
                .class("panel-head")
                .child(el("p").class("eyebrow").text(&p.kind))
                .child(el("h2").attr("id", "panel-title").text(&p.name)),
        ];
        out.extend(p.area.map(|(aid, aname)| {
            el("p")
                .class("in-area")
                .text(&c.t("place.in_area"))
                .text(" ")
                .child(
                    el("button")
                        .class("inline-link")
                        .on_click(move || c.go(Page::Area { id: aid.clone() }))
                        .text(&aname),
                )
        }));
        out.push(el("p").class("lede").text(&p.summary));
        out.extend(
            p.story.map(|(sid, title)| {
                story_link("story-link primary", sid, &title, &c.t("story.read"))
            }),
        );
        if !p.facts.is_empty() {
            out.push(
                el("ol")
                    .class("milestones")
                    .children(p.facts.into_iter().map(|(d, text)| {
                        el("li")
                            .child(el("span").class("when").text(&d.unwrap_or_default()))
                            .child(el("span").class("what").text(&text))
                    })),
            );
        }
        if p.approximate {
            out.push(
                el("p")
                    .class("boundary schematic")
                    .child(el("span").class("badge").text(&c.t("place.approximate"))),
            );
        }
        out.push(sources(p.sources));
        out
    })
}
