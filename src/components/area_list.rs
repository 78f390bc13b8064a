//! The list of residential areas, grouped by district and subdistrict: the non-visual way to
//! everything the map offers, kept in step with it (selection and hover).

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::state::ctx;

#[component]
pub fn AreaList(
    /// Areas that pass the filters.
    #[prop(into)]
    active: Signal<Vec<bool>>,
) -> impl IntoView {
    let c = ctx();
    let selected = Memo::new(move |_| {
        c.route.with(|r| match &r.page {
            Page::Area { id } => Some(id.clone()),
            Page::Place { id } => c.with(|e| e.place(id).map(|p| p.area.clone())),
            _ => None,
        })
    });
    let groups = move || {
        let lang = c.lang();
        let active = active.get();
        c.with(|e| {
            let mut out: Vec<(String, Vec<(String, Vec<(String, String, bool)>)>)> = Vec::new();
            // Districts in the order of their first subdistrict; a district missing from the
            // data is still a heading (its code), so no area is ever unreachable from the list.
            let mut district_ids: Vec<&str> = Vec::new();
            for s in &e.subdistricts {
                if !district_ids.contains(&s.district.as_str()) {
                    district_ids.push(&s.district);
                }
            }
            for did in district_ids {
                let dname = e.district(did).map(|d| d.name.get(lang).to_string()).unwrap_or_else(|| did.to_string());
                let mut subs = Vec::new();
                for s in e.subdistricts.iter().filter(|s| s.district == did) {
                    let areas: Vec<_> = e
                        .areas
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.subdistrict == s.id)
                        .filter(|(i, _)| active.get(*i).copied().unwrap_or(true))
                        .map(|(_, a)| (a.id.clone(), a.name.get(lang).to_string(), e.places_in_area(&a.id).next().is_some()))
                        .collect();
                    if !areas.is_empty() {
                        subs.push((s.name.get(lang).to_string(), areas));
                    }
                }
                if !subs.is_empty() {
                    out.push((dname, subs));
                }
            }
            out
        })
    };
    view! {
        <nav class="area-list" aria-label=move || c.t("list.label")>
            {move || groups().into_iter().map(|(district, subs)| view! {
                <section class="district-group">
                    <h2 class="district-name">{district}</h2>
                    {subs.into_iter().map(|(sub, areas)| view! {
                        <h3 class="subdistrict-name">{sub}</h3>
                        <ul>
                            {areas.into_iter().map(|(id, name, has_places)| {
                                let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
                                view! {
                                    <li>
                                        <button
                                            class="area-item"
                                            data-area=id.clone()
                                            aria-current=move || (selected.get().as_deref() == Some(id1.as_str())).then_some("true")
                                            on:click=move |_| c.go(Page::Area { id: id2.clone() })
                                            on:mouseenter=move |_| c.hovered.set(Some(id3.clone()))
                                            on:mouseleave=move |_| c.hovered.set(None)
                                        >
                                            <span>{name}</span>
                                            {has_places.then(|| view! { <span class="has-places" aria-hidden="true">"◆"</span> })}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }).collect_view()}
                </section>
            }).collect_view()}
        </nav>
    }
}
