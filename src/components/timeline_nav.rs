//! The header's way between the two views of the exhibit: the map and the timeline.

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::dom::{El, el};
use crate::state::{ctx, tr};

/// The two views, the one on screen marked as the current page.
pub fn views_nav() -> El {
    let c = ctx();
    let on_timeline = move || c.route.with(|r| r.page == Page::Timeline);
    el("nav")
        .class("views-nav")
        .dyn_attr("aria-label", tr("nav.label"))
        .child(
            el("button")
                .class("view-link")
                .dyn_attr("aria-current", move || {
                    (!on_timeline()).then(|| "page".to_string())
                })
                .on_click(move || c.go(Page::Map))
                .dyn_text(tr("nav.map")),
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
