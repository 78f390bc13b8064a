//! "Map by time": a year slider with step buttons. It sets `year` in the link; the map then
//! mutes every area with nothing under way in that year (see `lilong_core::timeline::under_way`).

use leptos::prelude::*;
use lilong_core::timeline;

use crate::dom::{El, el};
use crate::pages::story::fill;
use crate::state::{ctx, tr};

/// The year control, or nothing when the exhibit has no dated event.
pub fn year_control() -> Option<El> {
    let c = ctx();
    let events = StoredValue::new(c.events());
    let (first, last) = events.with_value(|ev| timeline::year_range(ev))?;
    let year = Memo::new(move |_| c.route.with(|r| r.filters.year));
    let set = move |y: Option<i32>| {
        let mut r = c.route.get_untracked();
        r.filters.year = y.map(|y| y.clamp(first, last));
        c.replace(r);
    };
    // Only toggling rebuilds the slider (not every year it passes through).
    let on = Memo::new(move |_| year.get().is_some());
    let on = move || on.get();
    let shown = move || year.get().unwrap_or(last).clamp(first, last);
    let under_way = Memo::new(move |_| {
        year.get()
            .map(|y| events.with_value(|ev| timeline::under_way(ev, y).areas.len()))
    });
    let summary = move || {
        under_way
            .get()
            .map(|n| {
                fill(
                    c.t("year.under_way"),
                    &[("n", n.to_string()), ("year", shown().to_string())],
                )
            })
            .unwrap_or_default()
    };
    let step = |text: &str| el("button").class("year-step").text(text);
    let body = move || {
        el("div")
            .class("year-body")
            .child(
                el("div")
                    .class("year-row")
                    .child(
                        step("‹")
                            .dyn_attr("aria-label", tr("year.prev"))
                            .dyn_prop("disabled", move || (shown() <= first).into())
                            .on_click(move || set(Some(shown() - 1))),
                    )
                    .child(
                        el("output")
                            .class("year-value")
                            .attr("for", "year-range")
                            .dyn_text(move || shown().to_string()),
                    )
                    .child(
                        step("›")
                            .dyn_attr("aria-label", tr("year.next"))
                            .dyn_prop("disabled", move || (shown() >= last).into())
                            .on_click(move || set(Some(shown() + 1))),
                    ),
            )
            .child(
                el("input")
                    .attr("id", "year-range")
                    .class("year-range")
                    .attr("type", "range")
                    .attr("min", &first.to_string())
                    .attr("max", &last.to_string())
                    .attr("step", "1")
                    .dyn_attr("aria-label", tr("year.slider"))
                    .dyn_prop("value", move || shown().to_string().into())
                    .on("input", move |ev: web_sys::Event| {
                        if let Ok(y) = event_target_value(&ev).parse::<i32>() {
                            set(Some(y));
                        }
                    }),
            )
            .child(
                el("div")
                    .class("year-ends")
                    .attr("aria-hidden", "true")
                    .child(el("span").text(&first.to_string()))
                    .child(el("span").text(&last.to_string())),
            )
            .child(
                el("p")
                    .class("year-summary")
                    .attr("aria-live", "polite")
                    .dyn_text(summary),
            )
            .child(el("p").class("year-note").dyn_text(tr("year.note")))
    };
    Some(
        el("section")
            .class("year-control")
            .attr("aria-labelledby", "year-control-title")
            .dyn_class("on", on)
            .child(
                el("div")
                    .class("year-head")
                    .child(
                        el("h2")
                            .attr("id", "year-control-title")
                            .class("year-title")
                            .dyn_text(tr("year.label")),
                    )
                    .child(
                        el("button")
                            .class("year-toggle")
                            .dyn_bool_attr("aria-pressed", on)
                            .on_click(move || set(if on() { None } else { Some(last) }))
                            .dyn_text(move || {
                                if on() {
                                    c.t("year.all")
                                } else {
                                    c.t("year.choose")
                                }
                            }),
                    ),
            )
            .dyn_child(move || on().then(body)),
    )
}
