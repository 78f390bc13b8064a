//! An area's own timeline, in its panel: the dated milestones of its projects and the dated
//! facts of its buildings, in order, with their true-precision dates.

use leptos::prelude::*;
use lilong_core::route::Page;
use lilong_core::timeline;

use crate::state::ctx;

#[component]
pub fn AreaTimeline(id: String) -> impl IntoView {
    let c = ctx();
    let items = move || {
        let lang = c.lang();
        let all = c.events();
        c.with(|e| {
            timeline::in_area(&all, &id)
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
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || {
            let items = items();
            (!items.is_empty()).then(|| view! {
                <section class="area-timeline">
                    <h3>{move || c.t("panel.timeline")}</h3>
                    <ol class="milestones area-events">
                        {items.into_iter().map(|(iso, when, what, places)| {
                            let iso2 = iso.clone();
                            view! {
                            <li data-date=iso>
                                <time class="when" datetime=iso2>{when}</time>
                                <span class="what">
                                    {what}
                                    {(!places.is_empty()).then(|| view! { <span class="tl-places">{places}</span> })}
                                </span>
                            </li>
                        }}).collect_view()}
                    </ol>
                    <button class="inline-link" on:click=move |_| c.go(Page::Timeline)>{move || c.t("timeline.all")}</button>
                </section>
            })
        }}
    }
}
