//! The list of sources a record names.

use leptos::prelude::*;

use crate::state::ctx;

#[component]
pub fn Sources(ids: Vec<String>) -> impl IntoView {
    let c = ctx();
    let items = move || {
        let lang = c.lang();
        c.with(|e| {
            ids.iter()
                .filter_map(|id| e.source(id))
                .map(|s| {
                    let title = s.title.get(lang).to_string();
                    let publisher = s.publisher.as_ref().map(|p| p.get(lang).to_string());
                    let url = s
                        .url
                        .clone()
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
                    (title, publisher, url)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="sources">
            <h3>{move || c.t("panel.sources")}</h3>
            <ul>
                {move || items().into_iter().map(|(title, publisher, url)| view! {
                    <li>
                        {match url {
                            Some(u) => view! { <a href=u target="_blank" rel="noopener noreferrer">{title}</a> }.into_any(),
                            None => view! { <cite>{title}</cite> }.into_any(),
                        }}
                        {publisher.map(|p| view! { <span class="publisher">{" · "}{p}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
