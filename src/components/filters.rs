//! Filters by district and theme, and the choice of colouring. They live in the link.

use leptos::prelude::*;
use web_sys::Event;

use crate::dom::{El, el};
use crate::state::{Ctx, ctx, tr};

/// A district picker showing `districts` (id, name), following and setting the link's district;
/// `class` names the `<select>`.
pub fn district_select(
    c: Ctx,
    class: Option<&str>,
    districts: impl Fn() -> Vec<(String, String)> + 'static,
) -> El {
    let current = move || c.route.with(|r| r.filters.district.clone());
    let select = el("select");
    let select = match class {
        Some(class) => select.class(class),
        None => select,
    };
    el("label")
        .class("field")
        .child(el("span").dyn_text(tr("filter.district")))
        .child(
            select
                .dyn_children(move || {
                    let now = current();
                    let all = el("option")
                        .attr("value", "")
                        .text(&c.t("filter.all_districts"));
                    std::iter::once(all)
                        .chain(districts().into_iter().map(|(id, name)| {
                            let o = el("option").attr("value", &id).text(&name);
                            if now.as_deref() == Some(id.as_str()) {
                                o.attr("selected", "")
                            } else {
                                o
                            }
                        }))
                        .collect()
                })
                .dyn_prop("value", move || current().unwrap_or_default().into())
                .on("change", move |ev: Event| {
                    let v = event_target_value(&ev);
                    let mut r = c.route.get_untracked();
                    r.filters.district = (!v.is_empty()).then_some(v);
                    c.replace(r);
                }),
        )
}

/// Theme chips (id, name, colour): pressing one filters by it, pressing it again clears it.
pub fn theme_chips(c: Ctx, themes: impl Fn() -> Vec<(String, String, String)> + 'static) -> El {
    el("div")
        .class("theme-chips")
        .attr("role", "group")
        .dyn_attr("aria-label", tr("filter.theme"))
        .dyn_children(move || {
            themes()
                .into_iter()
                .map(|(id, name, colour)| {
                    let id = StoredValue::new(id);
                    let on = move || {
                        id.with_value(|id| {
                            c.route
                                .with(|r| r.filters.theme.as_deref() == Some(id.as_str()))
                        })
                    };
                    el("button")
                        .class("chip")
                        .attr("data-theme", &id.get_value())
                        .dyn_bool_attr("aria-pressed", on)
                        .on_click(move || {
                            let mut r = c.route.get_untracked();
                            r.filters.theme = if on() { None } else { Some(id.get_value()) };
                            c.replace(r);
                        })
                        .child(
                            el("span")
                                .class("swatch")
                                .attr("style", &format!("background:{colour}")),
                        )
                        .text(&name)
                })
                .collect()
        })
}

/// The map's filters; `by_theme` colours areas by theme rather than subdistrict.
pub fn filters(by_theme: RwSignal<bool>) -> El {
    let c = ctx();
    let districts = move || {
        let lang = c.lang();
        c.with(|e| {
            e.districts
                .iter()
                .filter(|d| e.areas.iter().any(|a| a.district == d.id))
                .map(|d| (d.id.clone(), d.name.get(lang).to_string()))
                .collect::<Vec<_>>()
        })
    };
    let themes = move || {
        let lang = c.lang();
        c.with(|e| {
            e.settings
                .themes
                .iter()
                .map(|t| (t.id.clone(), t.name.get(lang).to_string(), t.color.clone()))
                .collect::<Vec<_>>()
        })
    };
    el("div")
        .class("filters")
        .child(district_select(c, None, districts))
        .child(theme_chips(c, themes))
        .child(
            el("label")
                .class("toggle")
                .child(
                    el("input")
                        .attr("type", "checkbox")
                        .dyn_prop("checked", move || by_theme.get().into())
                        .on("change", move |ev: Event| {
                            by_theme.set(event_target_checked(&ev))
                        }),
                )
                .child(el("span").dyn_text(tr("filter.colour_by_theme"))),
        )
}
