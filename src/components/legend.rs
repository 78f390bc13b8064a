//! The legend: what the colours and lines mean, and where the map comes from.

use leptos::prelude::*;

use crate::draw::SUBDISTRICT_COLOURS;
use crate::state::ctx;

#[component]
pub fn Legend(#[prop(into)] by_theme: Signal<bool>) -> impl IntoView {
    let c = ctx();
    // Which subdistricts have areas: worked out once, not per subdistrict and per render.
    let with_areas: Vec<usize> = c.with(|e| {
        let used: std::collections::HashSet<&str> =
            e.areas.iter().map(|a| a.subdistrict.as_str()).collect();
        e.subdistricts
            .iter()
            .enumerate()
            .filter(|(_, s)| used.contains(s.id.as_str()))
            .map(|(i, _)| i)
            .collect()
    });
    let count = with_areas.len();
    let many = count > SUBDISTRICT_COLOURS.len();
    let entries = move || {
        let lang = c.lang();
        c.with(|e| {
            if by_theme.get() {
                e.settings
                    .themes
                    .iter()
                    .map(|t| (t.name.get(lang).to_string(), t.color.clone()))
                    .collect::<Vec<_>>()
            } else if many {
                // More subdistricts than colours (the whole city): a list of hundreds of
                // swatches would say nothing; one line says what a colour means.
                Vec::new()
            } else {
                with_areas
                    .iter()
                    .filter_map(|&i| e.subdistricts.get(i).map(|s| (i, s)))
                    .map(|(i, s)| {
                        (
                            s.name.get(lang).to_string(),
                            SUBDISTRICT_COLOURS[i % SUBDISTRICT_COLOURS.len()].to_string(),
                        )
                    })
                    .collect()
            }
        })
    };
    let all_colours = move || {
        (many && !by_theme.get()).then(|| view! {
        <li class="colours">
            {SUBDISTRICT_COLOURS.iter().map(|colour| view! { <span class="swatch" style:background=*colour></span> }).collect_view()}
            <span>{move || crate::pages::story::fill(c.t("legend.subdistricts"), &[("n", count.to_string())])}</span>
        </li>
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
                {all_colours}
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
        c.with(|e| {
            e.settings
                .credits
                .iter()
                .map(|cr| cr.get(lang).to_string())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="credits">
            <h2>{move || c.t("credits.title")}</h2>
            <ul>{move || credits().into_iter().map(|cr| view! { <li>{cr}</li> }).collect_view()}</ul>
        </section>
    }
}
