//! "Map by time": a year slider with step buttons. It sets `year` in the link; the map then
//! mutes every area with nothing under way in that year (see `lilong_core::timeline::under_way`).

use leptos::prelude::*;
use lilong_core::timeline;

use crate::pages::story::fill;
use crate::state::ctx;

#[component]
pub fn YearControl() -> impl IntoView {
    let c = ctx();
    let events = StoredValue::new(c.events());
    let Some((first, last)) = events.with_value(|ev| timeline::year_range(ev)) else {
        return ().into_any();
    };
    let year = Memo::new(move |_| c.route.with(|r| r.filters.year));
    let set = move |y: Option<i32>| {
        let mut r = c.route.get_untracked();
        r.filters.year = y.map(|y| y.clamp(first, last));
        c.replace(r);
    };
    // Only toggling rebuilds the slider (not every year it passes through).
    let on = Memo::new(move |_| year.get().is_some());
    let on = move || on.get();
    let shown = move || year.get().unwrap_or(last).clamp(first, last);
    let under_way = Memo::new(move |_| {
        year.get()
            .map(|y| events.with_value(|ev| timeline::under_way(ev, y).areas.len()))
    });
    let summary = move || {
        under_way.get().map(|n| {
            fill(
                c.t("year.under_way"),
                &[("n", n.to_string()), ("year", shown().to_string())],
            )
        })
    };
    view! {
        <section class="year-control" class:on=on aria-labelledby="year-control-title">
            <div class="year-head">
                <h2 id="year-control-title" class="year-title">{move || c.t("year.label")}</h2>
                <button
                    class="year-toggle"
                    aria-pressed=move || if on() { "true" } else { "false" }
                    on:click=move |_| set(if on() { None } else { Some(last) })
                >
                    {move || if on() { c.t("year.all") } else { c.t("year.choose") }}
                </button>
            </div>
            {move || on().then(|| view! {
                <div class="year-body">
                    <div class="year-row">
                        <button class="year-step" aria-label=move || c.t("year.prev")
                            prop:disabled={move || shown() <= first}
                            on:click=move |_| set(Some(shown() - 1))>"‹"</button>
                        <output class="year-value" for="year-range">{move || shown().to_string()}</output>
                        <button class="year-step" aria-label=move || c.t("year.next")
                            prop:disabled={move || shown() >= last}
                            on:click=move |_| set(Some(shown() + 1))>"›"</button>
                    </div>
                    <input
                        id="year-range"
                        class="year-range"
                        type="range"
                        min=first.to_string()
                        max=last.to_string()
                        step="1"
                        aria-label=move || c.t("year.slider")
                        prop:value=move || shown().to_string()
                        on:input=move |ev| {
                            if let Ok(y) = event_target_value(&ev).parse::<i32>() {
                                set(Some(y));
                            }
                        }
                    />
                    <div class="year-ends" aria-hidden="true">
                        <span>{first.to_string()}</span>
                        <span>{last.to_string()}</span>
                    </div>
                    <p class="year-summary" aria-live="polite">{summary}</p>
                    <p class="year-note">{move || c.t("year.note")}</p>
                </div>
            })}
        </section>
    }
    .into_any()
}
