//! The legend: what the colours and lines mean, and where the map comes from.

use leptos::prelude::*;

use crate::dom::{El, el};
use crate::draw::SUBDISTRICT_COLOURS;
use crate::state::{ctx, tr};

/// The legend; `by_theme` says whether areas are coloured by theme.
pub fn legend(by_theme: RwSignal<bool>) -> El {
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
        el("li")
            .class("colours")
            .children(SUBDISTRICT_COLOURS.iter().map(|colour| {
                el("span")
                    .class("swatch")
                    .attr("style", &format!("background:{colour}"))
            }))
            .child(el("span").text(&crate::pages::story::fill(
                c.t("legend.subdistricts"),
                &[("n", count.to_string())],
            )))
    };
    // Open on wide screens; folded on phones, where the map needs the room.
    let open = !web_sys::window()
        .and_then(|w| w.match_media("(max-width: 720px)").ok().flatten())
        .is_some_and(|m| m.matches());
    let details = el("details").class("legend");
    let details = if open {
        details.attr("open", "")
    } else {
        details
    };
    details
        .child(el("summary").dyn_text(tr("legend.label")))
        .child(el("ul").class("key").dyn_children(move || {
            let colours = (many && !by_theme.get()).then(all_colours);
            colours
                .into_iter()
                .chain(entries().into_iter().map(|(name, colour)| {
                    el("li")
                        .child(
                            el("span")
                                .class("swatch")
                                .attr("style", &format!("background:{colour}")),
                        )
                        .text(&name)
                }))
                .chain([
                    el("li")
                        .child(el("span").class("swatch halo"))
                        .text(&c.t("legend.schematic")),
                    el("li")
                        .child(el("span").class("swatch marker"))
                        .text(&c.t("legend.place")),
                ])
                .collect()
        }))
        .child(
            el("p")
                .class("attribution")
                .dyn_text(tr("legend.attribution")),
        )
}

/// Credits: who wrote and published the material the exhibit is made from.
pub fn credits() -> El {
    let c = ctx();
    el("section")
        .class("credits")
        .child(el("h2").dyn_text(tr("credits.title")))
        .child(el("ul").dyn_children(move || {
            let lang = c.lang();
            c.with(|e| {
                e.settings
                    .credits
                    .iter()
                    .map(|cr| el("li").text(cr.get(lang)))
                    .collect()
            })
        }))
}
