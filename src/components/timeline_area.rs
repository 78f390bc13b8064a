//! An area's own timeline, in its panel: the dated milestones of its projects and the dated
//! facts of its buildings, in order, with their true-precision dates.

use lilong_core::route::Page;
use lilong_core::timeline;

use crate::dom::{El, el};
use crate::state::ctx;

/// The timeline of area `id` in the language in force, or nothing when the area has no dated
/// event. It reads the language, so a holder that should follow it rebuilds it.
pub fn area_timeline(id: &str) -> Option<El> {
    let c = ctx();
    let lang = c.lang();
    let all = c.events();
    let items: Vec<(String, String, String, String)> = c.with(|e| {
        timeline::in_area(&all, id)
            .into_iter()
            .map(|x| {
                let places: Vec<String> = x
                    .places
                    .iter()
                    .filter_map(|p| e.place(p))
                    .map(|p| p.name.get(lang).to_string())
                    .collect();
                (
                    x.date.iso(),
                    x.date_label(lang),
                    x.text.get(lang).to_string(),
                    places.join(" · "),
                )
            })
            .collect()
    });
    if items.is_empty() {
        return None;
    }
    let items =
        items.into_iter().map(|(iso, when, what, places)| {
            el("li")
                .attr("data-date", &iso)
                .child(el("time").class("when").attr("datetime", &iso).text(&when))
                .child(el("span").class("what").text(&what).maybe(
                    (!places.is_empty()).then(|| el("span").class("tl-places").text(&places)),
                ))
        });
    Some(
        el("section")
            .class("area-timeline")
            .child(el("h3").text(&c.t("panel.timeline")))
            .child(el("ol").class("milestones area-events").children(items))
            .child(
                el("button")
                    .class("inline-link")
                    .on_click(move || c.go(Page::Timeline))
                    .text(&c.t("timeline.all")),
            ),
    )
}
