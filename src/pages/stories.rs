//! The shelf of stories (`?stories`): one card per story, the featured ones first and larger,
//! each a link to its first chapter.

use leptos::prelude::*;

use crate::components::story_card::{featured_ids, shelf_ids, story_card};
use crate::dom::{El, el};
use crate::draw::MapModel;
use crate::state::ctx;

pub fn stories_page(model: &MapModel) -> El {
    let c = ctx();
    Effect::new(move |_| c.ready.set(true));
    let (ids, featured) = c.with(|e| (shelf_ids(e), featured_ids(e)));
    let cards = ids.iter().filter_map(|id| {
        let variant = if featured.contains(id) {
            "featured"
        } else {
            "shelf"
        };
        story_card(model, id, variant).map(|card| el("li").child(card))
    });
    el("section")
        .class("stories-page")
        .attr("id", "content")
        .attr("tabindex", "-1")
        .attr("aria-labelledby", "stories-title")
        .child(
            el("div")
                .class("stories-head")
                .child(
                    el("h2")
                        .class("stories-title")
                        .attr("id", "stories-title")
                        .dyn_text(move || c.t("stories.title")),
                )
                .child(
                    el("p")
                        .class("stories-intro")
                        .dyn_text(move || c.t("stories.intro")),
                ),
        )
        .child(el("ul").class("story-shelf").children(cards))
}
