//! The panel of a selected residential area: who, where, key facts, its projects and their
//! milestones, its buildings (with the way into their stories), the boundary's accuracy, and
//! sources. A side panel on kiosk and desktop, a bottom sheet on phones (CSS).

use leptos::prelude::*;
use lilong_core::model::{Boundary, Lang};
use lilong_core::route::Page;

use crate::components::sources::Sources;
use crate::components::timeline_area::AreaTimeline;
use crate::state::ctx;

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
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(*ch);
        }
        out
    } else {
        s
    }
}

#[component]
pub fn AreaPanel(id: String) -> impl IntoView {
    let c = ctx();
    let body = move || {
        let lang = c.lang();
        let t = move |k: &'static str| c.t(k);
        c.with(|e| {
            let Some(a) = e.area(&id) else {
                return view! { <p class="panel-empty">{t("panel.not_found")}</p> }.into_any();
            };
            let name = a.name.get(lang).to_string();
            let sub = e.subdistrict(&a.subdistrict).map(|s| s.name.get(lang).to_string()).unwrap_or_default();
            let dist = e.district(&a.district).map(|d| d.name.get(lang).to_string()).unwrap_or_default();
            let mut facts: Vec<(String, String)> = Vec::new();
            if let Some(h) = a.households {
                facts.push((t("fact.households"), number(h as f64, lang)));
            }
            if let Some(r) = a.residents {
                facts.push((t("fact.residents"), number(r as f64, lang)));
            }
            if let Some(k) = a.area_km2 {
                facts.push((t("fact.area"), format!("{} km²", number(k, lang))));
            }
            let summary = a.summary.as_ref().map(|s| s.get(lang).to_string());
            let boundary_kind = match a.boundary {
                Boundary::Surveyed => t("boundary.surveyed"),
                Boundary::Traced => t("boundary.traced"),
                Boundary::Schematic => t("boundary.schematic"),
            };
            let schematic = a.boundary == Boundary::Schematic;
            let boundary_note = a.boundary_note.as_ref().map(|n| n.get(lang).to_string());
            let projects: Vec<_> = e
                .projects_in_area(&a.id)
                .map(|p| {
                    let theme = e.theme(&p.theme).map(|th| (th.name.get(lang).to_string(), th.color.clone()));
                    let milestones: Vec<(Option<String>, String)> = p
                        .milestones
                        .iter()
                        .map(|m| (m.date_label(lang), m.text.get(lang).to_string()))
                        .collect();
                    (p.title.get(lang).to_string(), p.summary.get(lang).to_string(), theme, milestones)
                })
                .collect();
            let places: Vec<_> = e
                .places_in_area(&a.id)
                .map(|p| (p.id.clone(), p.name.get(lang).to_string(), p.story.clone()))
                .collect();
            let stories: Vec<_> = e
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
            view! {
                <header class="panel-head">
                    <p class="eyebrow">{format!("{dist} · {sub}")}</p>
                    <h2 id="panel-title">{name}</h2>
                </header>
                {summary.map(|s| view! { <p class="lede">{s}</p> })}
                {(!facts.is_empty()).then(|| view! {
                    <dl class="facts">
                        {facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                    </dl>
                })}
                <p class="boundary" class:schematic=schematic>
                    <span class="badge">{boundary_kind}</span>
                    {boundary_note.map(|n| view! { <span class="note">{n}</span> })}
                </p>
                {(!stories.is_empty()).then(|| view! {
                    <section class="stories">
                        <h3>{t("panel.stories")}</h3>
                        {stories.into_iter().map(|(sid, title)| view! {
                            <button class="story-link" on:click=move |_| c.go(Page::Story { id: sid.clone(), chapter: 0 })>
                                <span class="kicker">{t("story.read")}</span>
                                <span>{title}</span>
                            </button>
                        }).collect_view()}
                    </section>
                })}
                <AreaTimeline id=a.id.clone() />
                {(!projects.is_empty()).then(|| view! {
                    <section class="projects">
                        <h3>{t("panel.projects")}</h3>
                        {projects.into_iter().map(|(title, summary, theme, milestones)| view! {
                            <article class="project">
                                <h4>{title}</h4>
                                {theme.map(|(n, col)| view! {
                                    <span class="theme-chip"><span class="swatch" style:background=col></span>{n}</span>
                                })}
                                <p>{summary}</p>
                                {(!milestones.is_empty()).then(|| view! {
                                    <ol class="milestones">
                                        {milestones.into_iter().map(|(d, text)| view! {
                                            <li>
                                                <span class="when">{d.unwrap_or_default()}</span>
                                                <span class="what">{text}</span>
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                })}
                            </article>
                        }).collect_view()}
                    </section>
                })}
                {(!places.is_empty()).then(|| view! {
                    <section class="places">
                        <h3>{t("panel.places")}</h3>
                        <ul>
                            {places.into_iter().map(|(pid, pname, _story)| view! {
                                <li>
                                    <button class="place-link" on:click=move |_| c.go(Page::Place { id: pid.clone() })>{pname}</button>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <Sources ids=sources />
            }
            .into_any()
        })
    };
    view! { <div class="panel-body">{body}</div> }
}
