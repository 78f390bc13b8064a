//! The summary of a selected building or place, with the way into its story.

use leptos::prelude::*;
use lilong_core::model::{LocationAccuracy, PlaceKind};
use lilong_core::route::Page;

use crate::components::sources::Sources;
use crate::state::ctx;

#[component]
pub fn PlacePanel(id: String) -> impl IntoView {
    let c = ctx();
    let body = move || {
        let lang = c.lang();
        let t = move |k: &'static str| c.t(k);
        c.with(|e| {
            let Some(p) = e.place(&id) else {
                return view! { <p class="panel-empty">{t("panel.not_found")}</p> }.into_any();
            };
            let kind = t(match p.kind {
                PlaceKind::Building => "kind.building",
                PlaceKind::Site => "kind.site",
                PlaceKind::Garden => "kind.garden",
                PlaceKind::Lane => "kind.lane",
                PlaceKind::Park => "kind.park",
            });
            let area = e.area(&p.area).map(|a| (a.id.clone(), a.name.get(lang).to_string()));
            let facts: Vec<(Option<String>, String)> =
                p.facts.iter().map(|f| (f.date_label(lang), f.text.get(lang).to_string())).collect();
            let story = p.story.as_ref().and_then(|s| e.story(s)).map(|s| (s.id.clone(), s.title.get(lang).to_string()));
            let approximate = p.location == LocationAccuracy::Approximate;
            view! {
                <header class="panel-head">
                    <p class="eyebrow">{kind}</p>
                    <h2 id="panel-title">{p.name.get(lang).to_string()}</h2>
                </header>
                {area.map(|(aid, aname)| view! {
                    <p class="in-area">
                        {t("place.in_area")}{" "}
                        <button class="inline-link" on:click=move |_| c.go(Page::Area { id: aid.clone() })>{aname}</button>
                    </p>
                })}
                <p class="lede">{p.summary.get(lang).to_string()}</p>
                {story.map(|(sid, title)| view! {
                    <button class="story-link primary" on:click=move |_| c.go(Page::Story { id: sid.clone(), chapter: 0 })>
                        <span class="kicker">{t("story.read")}</span>
                        <span>{title}</span>
                    </button>
                })}
                {(!facts.is_empty()).then(|| view! {
                    <ol class="milestones">
                        {facts.into_iter().map(|(d, text)| view! {
                            <li><span class="when">{d.unwrap_or_default()}</span><span class="what">{text}</span></li>
                        }).collect_view()}
                    </ol>
                })}
                {approximate.then(|| view! { <p class="boundary schematic"><span class="badge">{t("place.approximate")}</span></p> })}
                <Sources ids=p.sources.clone() />
            }
            .into_any()
        })
    };
    view! { <div class="panel-body">{body}</div> }
}
