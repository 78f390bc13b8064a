//! The exhibit's header: title, search, the views and the language switch.

use leptos::prelude::*;
use lilong_core::model::Lang;
use lilong_core::route::Page;

use crate::components::search::Search;
use crate::components::timeline_nav::ViewsNav;
use crate::state::ctx;

#[component]
pub fn Header() -> impl IntoView {
    let c = ctx();
    let title = move || {
        let lang = c.lang();
        c.with(|e| e.settings.title.get(lang).to_string())
    };
    view! {
        <header class="masthead">
            <h1 class="title">
                <a href="./" on:click=move |ev| { ev.prevent_default(); c.go(Page::Map); }>{title}</a>
            </h1>
            <Search />
            <ViewsNav />
            <LanguageSwitch />
        </header>
    }
}

/// 简 · 繁 · EN: switches language at once, without reload; the choice is part of the link.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let c = ctx();
    let langs = c.with(|e| {
        let mut l = e.settings.languages.clone();
        if l.is_empty() {
            l = Lang::ALL.to_vec();
        }
        l
    });
    let label = |l: Lang| match l {
        Lang::ZhHans => ("简", "简体中文"),
        Lang::ZhHant => ("繁", "繁體中文"),
        // The name starts with the visible "EN" (WCAG 2.5.3, label in name).
        Lang::En => ("EN", "EN (English)"),
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || c.t("lang.label")>
            {langs.into_iter().map(|l| {
                let (short, long) = label(l);
                let pressed = move || c.lang() == l;
                view! {
                    <button
                        class="lang"
                        lang=l.tag()
                        aria-pressed=move || if pressed() { "true" } else { "false" }
                        aria-label=long
                        on:click=move |_| {
                            let mut r = c.route.get_untracked();
                            let default = c.with(|e| e.settings.default_language);
                            r.lang = (l != default).then(|| l.tag().to_string());
                            c.replace(r);
                        }
                    >{short}</button>
                }
            }).collect_view()}
        </div>
    }
}
