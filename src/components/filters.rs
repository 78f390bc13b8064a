//! Filters by district and theme, and the choice of colouring. They live in the link.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::dom::{El, el};
use crate::state::{Ctx, ctx};

/// The value of the form control an event came from.
fn value_of(ev: &web_sys::Event) -> Option<JsValue> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    js_sys::Reflect::get(&target, &"value".into()).ok()
}

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
        .child(el("span").dyn_text(move || c.t("filter.district")))
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
                .on("change", move |ev| {
                    let v = value_of(&ev)
                        .and_then(|v| v.as_string())
                        .unwrap_or_default();
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
        .dyn_attr("aria-label", move || Some(c.t("filter.theme")))
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
                        .dyn_attr("aria-pressed", move || {
                            Some(if on() { "true" } else { "false" }.to_string())
                        })
                        .on("click", move |_| {
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
                        .on("change", move |ev| {
                            by_theme.set(value_of_checked(&ev));
                        }),
                )
                .child(el("span").dyn_text(move || c.t("filter.colour_by_theme"))),
        )
}

fn value_of_checked(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"checked".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
