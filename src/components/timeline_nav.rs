//! The header's way between the views of the exhibit: the map, the stories and the timeline.

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::dom::{El, el};
use crate::state::{ctx, tr};

/// The three views, the one on screen marked as the current page.
pub fn views_nav() -> El {
    let c = ctx();
    let on_timeline = move || c.route.with(|r| r.page == Page::Timeline);
    let on_stories = move || c.route.with(|r| r.page == Page::Stories);
    let on_map = move || !on_timeline() && !on_stories();
    el("nav")
        .class("views-nav")
        .dyn_attr("aria-label", tr("nav.label"))
        .child(
            el("button")
                .class("view-link")
                .dyn_attr("aria-current", move || on_map().then(|| "page".to_string()))
                .on_click(move || c.go(Page::Map))
                .dyn_text(tr("nav.map")),
        )
        .child(
            el("button")
                .class("view-link")
                .attr("data-view", "stories")
                .dyn_attr("aria-current", move || {
                    on_stories().then(|| "page".to_string())
                })
                .on("click", move |_: web_sys::Event| c.go(Page::Stories))
                .dyn_text(move || c.t("nav.stories")),
        )
        .child(
            el("button")
                .class("view-link")
                .attr("data-view", "timeline")
                .dyn_attr("aria-current", move || {
                    on_timeline().then(|| "page".to_string())
                })
                .on_click(move || c.go(Page::Timeline))
                .dyn_text(tr("nav.timeline")),
        )
}
