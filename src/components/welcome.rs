//! The kiosk's welcome: what a visitor walking up to the screen sees first. The exhibit's
//! title, large, one line that says what to do, the featured stories as big cards, and a way
//! to the free map — every text in all three languages side by side, read from a few steps
//! away. Touching a card opens its story; closing the story comes back here.

use leptos::prelude::*;
use lilong_core::model::{Exhibit, Lang, Localized};

use crate::components::story_card::{MapHandle, open_story, shelf_ids, story_cover};
use crate::dom::{El, el};
use crate::state::ctx;

/// How many story cards the welcome offers.
const CARDS: usize = 3;

/// The languages the welcome speaks, the exhibit's default first.
fn langs(e: &Exhibit) -> Vec<Lang> {
    let mut l = if e.settings.languages.is_empty() {
        Lang::ALL.to_vec()
    } else {
        e.settings.languages.clone()
    };
    let d = e.settings.default_language;
    l.sort_by_key(|x| *x != d);
    l
}

/// A text in each language, each line marked with its language; a line that reads the same
/// as the one before it (a title the same in both Chinese scripts) is said once.
fn lines(class: &str, texts: &[(Lang, String)]) -> El {
    let mut out = el("span").class(class);
    let mut last: Option<&str> = None;
    for (l, t) in texts {
        if t.is_empty() || last == Some(t.as_str()) {
            continue;
        }
        out = out.child(
            el("span")
                .class(&format!("line line-{}", l.tag()))
                .attr("lang", l.tag())
                .text(t),
        );
        last = Some(t);
    }
    out
}

fn each(e: &Exhibit, langs: &[Lang], f: impl Fn(Lang) -> String) -> Vec<(Lang, String)> {
    let _ = e;
    langs.iter().map(|l| (*l, f(*l))).collect()
}

fn localized(langs: &[Lang], t: &Localized) -> Vec<(Lang, String)> {
    langs.iter().map(|l| (*l, t.get(*l).to_string())).collect()
}

/// The welcome; `on_explore` hides it and leaves the visitor on the free map.
pub fn welcome(on_explore: impl Fn() + 'static) -> El {
    let c = ctx();
    let model = use_context::<MapHandle>().and_then(|m| m.0.try_get_value());
    let (langs, title, touch, explore, cards) = c.with(|e| {
        let langs = langs(e);
        let title = localized(&langs, &e.settings.title);
        let touch = each(e, &langs, |l| e.t(l, "welcome.touch").to_string());
        let explore = each(e, &langs, |l| e.t(l, "welcome.explore").to_string());
        let cards: Vec<_> = shelf_ids(e)
            .into_iter()
            .take(CARDS)
            .filter_map(|id| e.story(&id).cloned())
            .collect();
        (langs, title, touch, explore, cards)
    });
    let cards = cards.into_iter().map(|s| {
        let count = s.chapters.len().to_string();
        let chapters = c.with(|e| {
            each(e, &langs, |l| {
                e.t(l, "stories.chapters").replace("{n}", &count)
            })
        });
        let id = s.id.clone();
        let cover = model
            .as_ref()
            .map(|m| story_cover(m, &s))
            .unwrap_or_else(|| el("span"));
        el("button")
            .class("welcome-card")
            .attr("data-open-story", &s.id)
            .on("click", move |_: web_sys::Event| open_story(c, &id))
            .child(el("span").class("welcome-card-cover").child(cover))
            .child(
                el("span")
                    .class("welcome-card-body")
                    .child(lines("welcome-card-title", &localized(&langs, &s.title)))
                    .child(lines("welcome-card-count", &chapters)),
            )
    });
    el("section")
        .class("welcome")
        .attr("role", "region")
        .attr("aria-labelledby", "welcome-title")
        .child(
            el("div")
                .class("welcome-inner")
                .child(
                    el("h2")
                        .class("welcome-title")
                        .attr("id", "welcome-title")
                        .child(lines("welcome-title-lines", &title)),
                )
                .child(
                    el("p")
                        .class("welcome-touch")
                        .child(lines("welcome-touch-lines", &touch)),
                )
                .child(el("div").class("welcome-cards").children(cards))
                .child(
                    el("button")
                        .class("welcome-explore")
                        .on("click", move |_: web_sys::Event| on_explore())
                        .child(
                            el("span")
                                .class("welcome-explore-icon")
                                .attr("aria-hidden", "true")
                                .text("→"),
                        )
                        .child(lines("welcome-explore-lines", &explore)),
                ),
        )
}
