//! The curators' data-health view (`?health`): every problem the loader found, located by
//! file, line and column, and the records left out because of them.

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::app::DataFrom;
use crate::state::ctx;

#[component]
pub fn HealthPage() -> impl IntoView {
    let c = ctx();
    Effect::new(move |_| c.ready.set(true));
    let loaded = c.exhibit();
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    let warnings = loaded.problems.len() - errors;
    let problems: Vec<(bool, String, String)> = loaded
        .problems
        .iter()
        .map(|p| {
            (
                p.is_error(),
                format!("{}:{}:{}", p.file, p.line, p.col),
                p.message.clone(),
            )
        })
        .collect();
    let skipped: Vec<String> = loaded
        .skipped
        .iter()
        .map(|s| {
            format!(
                "{} {}{}",
                s.file,
                s.path,
                s.id.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()
            )
        })
        .collect();
    let from = use_context::<DataFrom>().unwrap_or(DataFrom::Json(Vec::new(), None));
    let read_from = match from {
        DataFrom::Checked => view! {
            <p class="health-from checked">{move || c.t("health.from_checked")}</p>
        }
        .into_any(),
        DataFrom::Json(stale, err) => {
            let why = if !stale.is_empty() {
                view! {
                    " "{move || c.t("health.stale")}" "
                    {stale.into_iter().map(|f| view! { <code class="stale">{f}</code>" " }).collect_view()}
                }
                .into_any()
            } else if let Some(err) = err {
                view! { " "{move || c.t("health.bad_checked")}" "<code>{err}</code> }.into_any()
            } else {
                view! { " "{move || c.t("health.no_checked")} }.into_any()
            };
            view! {
                <p class="health-from json">{move || c.t("health.from_json")}{why}</p>
                <p class="health-rewrite">
                    {move || c.t("health.rewrite")}" "
                    <code>"cargo xtask check-data DIR --write-checked"</code>
                </p>
            }
            .into_any()
        }
    };
    let e = c.exhibit();
    let counts = format!(
        "{} · {} · {} · {} · {}",
        e.exhibit.areas.len(),
        e.exhibit.places.len(),
        e.exhibit.projects.len(),
        e.exhibit.stories.len(),
        e.exhibit.districts.len()
    );
    view! {
        <div class="health-page">
            <h2>{move || c.t("health.title")}</h2>
            <p class="health-summary">
                <span class="count errors">{errors}" "{move || c.t("health.errors")}</span>
                <span class="count warnings">{warnings}" "{move || c.t("health.warnings")}</span>
            </p>
            <p class="health-counts">{move || c.t("health.loaded")}" "{counts}</p>
            {read_from}
            {(problems.is_empty()).then(|| view! { <p class="all-clear">{move || c.t("health.clean")}</p> })}
            <ul class="problems">
                {problems.into_iter().map(|(is_error, at, msg)| view! {
                    <li class:error=is_error class:warning=!is_error>
                        <code class="at">{at}</code>
                        <span class="severity">{if is_error { "error" } else { "warning" }}</span>
                        <span class="msg">{msg}</span>
                    </li>
                }).collect_view()}
            </ul>
            {(!skipped.is_empty()).then(|| view! {
                <h3>{move || c.t("health.skipped")}</h3>
                <ul class="skipped">{skipped.into_iter().map(|s| view! { <li><code>{s}</code></li> }).collect_view()}</ul>
            })}
            <button class="back" on:click=move |_| c.go(Page::Map)>{move || c.t("health.back")}</button>
        </div>
    }
}
