//! Filters by district and theme, and the choice of colouring. They live in the link.

use leptos::prelude::*;

use crate::state::ctx;

#[component]
pub fn Filters(
    /// Colour areas by theme rather than subdistrict.
    by_theme: RwSignal<bool>,
) -> impl IntoView {
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
    let set_district = move |v: String| {
        let mut r = c.route.get_untracked();
        r.filters.district = (!v.is_empty()).then_some(v);
        c.replace(r);
    };
    let set_theme = move |v: Option<String>| {
        let mut r = c.route.get_untracked();
        r.filters.theme = v;
        c.replace(r);
    };
    view! {
        <div class="filters">
            <label class="field">
                <span>{move || c.t("filter.district")}</span>
                <select on:change=move |ev| set_district(event_target_value(&ev))
                    prop:value=move || c.route.with(|r| r.filters.district.clone().unwrap_or_default())>
                    <option value="">{move || c.t("filter.all_districts")}</option>
                    {move || districts().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </label>
            <div class="theme-chips" role="group" aria-label=move || c.t("filter.theme")>
                {move || themes().into_iter().map(|(id, name, colour)| {
                    let id2 = id.clone();
                    let on = move || c.route.with(|r| r.filters.theme.as_deref() == Some(id.as_str()));
                    let on2 = on.clone();
                    view! {
                        <button class="chip" aria-pressed=move || if on() { "true" } else { "false" }
                            on:click=move |_| set_theme(if on2() { None } else { Some(id2.clone()) })>
                            <span class="swatch" style:background=colour></span>{name}
                        </button>
                    }
                }).collect_view()}
            </div>
            <label class="toggle">
                <input type="checkbox" prop:checked=move || by_theme.get() on:change=move |ev| by_theme.set(event_target_checked(&ev)) />
                <span>{move || c.t("filter.colour_by_theme")}</span>
            </label>
        </div>
    }
}
