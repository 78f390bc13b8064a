//! The header's way between the two views of the exhibit: the map and the timeline.

use leptos::prelude::*;
use lilong_core::route::Page;

use crate::state::ctx;

#[component]
pub fn ViewsNav() -> impl IntoView {
    let c = ctx();
    let on_timeline = move || c.route.with(|r| r.page == Page::Timeline);
    view! {
        <nav class="views-nav" aria-label=move || c.t("nav.label")>
            <button
                class="view-link"
                aria-current=move || (!on_timeline()).then_some("page")
                on:click=move |_| c.go(Page::Map)
            >{move || c.t("nav.map")}</button>
            <button
                class="view-link"
                data-view="timeline"
                aria-current=move || on_timeline().then_some("page")
                on:click=move |_| c.go(Page::Timeline)
            >{move || c.t("nav.timeline")}</button>
        </nav>
    }
}
