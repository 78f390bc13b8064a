//! The exhibit's header: title, search, the views and the language switch.

use leptos::prelude::*;
use lilong_core::model::Lang;
use lilong_core::route::Page;

use crate::components::search::search;
use crate::components::timeline_nav::views_nav;
use crate::dom::{El, el};
use crate::state::{Ctx, ctx, tr};

/// The header; its title leads back to the map.
pub fn header() -> El {
    let c = ctx();
    let title = move || {
        let lang = c.lang();
        c.with(|e| e.settings.title.get(lang).to_string())
    };
    el("header")
        .class("masthead")
        .child(
            el("h1").class("title").child(
                el("a")
                    .attr("href", "./")
                    .on("click", move |ev: web_sys::MouseEvent| {
                        ev.prevent_default();
                        c.go(Page::Map);
                    })
                    .dyn_text(title),
            ),
        )
        .child(search())
        .child(views_nav())
        .child(language_switch())
}

/// The languages the exhibit offers (all three when the settings name none).
fn languages(c: Ctx) -> Vec<Lang> {
    c.with(|e| {
        let mut l = e.settings.languages.clone();
        if l.is_empty() {
            l = Lang::ALL.to_vec();
        }
        l
    })
}

/// A language's button text and accessible name.
fn label(l: Lang) -> (&'static str, &'static str) {
    match l {
        Lang::ZhHans => ("简", "简体中文"),
        Lang::ZhHant => ("繁", "繁體中文"),
        // The name starts with the visible "EN" (WCAG 2.5.3, label in name).
        Lang::En => ("EN", "EN (English)"),
    }
}

/// Switches to language `l`, keeping the view; the exhibit's default is not written in the link.
fn choose(c: Ctx, l: Lang) {
    let mut r = c.route.get_untracked();
    let default = c.with(|e| e.settings.default_language);
    r.lang = (l != default).then(|| l.tag().to_string());
    c.replace(r);
}

/// 简 · 繁 · EN: switches language at once, without reload; the choice is part of the link.
pub fn language_switch() -> El {
    let c = ctx();
    let langs = languages(c);
    el("div")
        .class("lang-switch")
        .attr("role", "group")
        .dyn_attr("aria-label", tr("lang.label"))
        .children(langs.into_iter().map(|l| {
            let (short, long) = label(l);
            el("button")
                .class("lang")
                .attr("lang", l.tag())
                .dyn_bool_attr("aria-pressed", move || c.lang() == l)
                .attr("aria-label", long)
                .on_click(move || choose(c, l))
                .text(short)
        }))
}
