//! The legend: what the colours and lines mean, and where the map comes from.

use leptos::prelude::*;

use crate::draw::SUBDISTRICT_COLOURS;
use crate::state::ctx;

#[component]
pub fn Legend(#[prop(into)] by_theme: Signal<bool>) -> impl IntoView {
    let c = ctx();
    let entries = move || {
        let lang = c.lang();
        c.with(|e| {
            if by_theme.get() {
                e.settings.themes.iter().map(|t| (t.name.get(lang).to_string(), t.color.clone())).collect::<Vec<_>>()
            } else {
                e.subdistricts
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| e.areas.iter().any(|a| a.subdistrict == s.id))
                    .map(|(i, s)| (s.name.get(lang).to_string(), SUBDISTRICT_COLOURS[i % SUBDISTRICT_COLOURS.len()].to_string()))
                    .collect()
            }
        })
    };
    // Open on wide screens; folded on phones, where the map needs the room.
    let open = !web_sys::window()
        .and_then(|w| w.match_media("(max-width: 720px)").ok().flatten())
        .is_some_and(|m| m.matches());
    view! {
        <details class="legend" open=open>
            <summary>{move || c.t("legend.label")}</summary>
            <ul class="key">
                {move || entries().into_iter().map(|(name, colour)| view! {
                    <li><span class="swatch" style:background=colour></span>{name}</li>
                }).collect_view()}
                <li><span class="swatch dashed"></span>{move || c.t("legend.schematic")}</li>
                <li><span class="swatch marker"></span>{move || c.t("legend.place")}</li>
            </ul>
            <p class="attribution">{move || c.t("legend.attribution")}</p>
        </details>
    }
}

/// Credits: who wrote and published the material the exhibit is made from.
#[component]
pub fn Credits() -> impl IntoView {
    let c = ctx();
    let credits = move || {
        let lang = c.lang();
        c.with(|e| e.settings.credits.iter().map(|cr| cr.get(lang).to_string()).collect::<Vec<_>>())
    };
    view! {
        <section class="credits">
            <h2>{move || c.t("credits.title")}</h2>
            <ul>{move || credits().into_iter().map(|cr| view! { <li>{cr}</li> }).collect_view()}</ul>
        </section>
    }
}
