//! A guided story: the map beside (desktop, kiosk) or above (phone) a reading column. Each
//! chapter flies the map to its area or building; the visitor turns the page with the buttons,
//! the progress dots, a swipe or the ← → keys, and can leave for the free map at any point.
//! The link follows the chapter (`?story=id&ch=N`), so every chapter reloads from its link.
//! Printed, a story is a clean sheet: its title, every chapter, a small map, no controls.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use lilong_core::model::{Chapter, Focus, Lang, Story};
use lilong_core::route::Page;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::PointerEvent;

use crate::components::map::map_view;
use crate::components::plate::chapter_figure;
use crate::components::share::share_button;
use crate::components::sources::sources;
use crate::components::story_card::{clear_opener, opened_from_shelf, take_opener};
use crate::dom::{El, Handle, el};
use crate::draw::MapModel;
use crate::state::{after_paint, ctx, tr};
use crate::timers::request_animation_frame;

/// Focuses the element matching `selector`, the one on the kiosk's welcome first (it stands
/// over the page, where the same story has a card too).
fn focus_opener(selector: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let found = doc
        .query_selector(&format!(".welcome {selector}"))
        .ok()
        .flatten()
        .or_else(|| doc.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(e) = found {
        let _ = e.focus();
    }
}

/// Horizontal travel (px) that turns the page.
const SWIPE: f64 = 60.0;

/// Fills `{name}` placeholders of an interface string.
pub fn fill(pattern: String, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(pattern, |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
}

/// Where a chapter points the map: its own focus, else the story's place, else its area.
fn chapter_focus(story: &Story, chapter: usize) -> Option<Focus> {
    story
        .chapters
        .get(chapter)
        .and_then(|ch| ch.focus.clone())
        .or_else(|| story.place.clone().map(Focus::Place))
        .or_else(|| story.area.clone().map(Focus::Area))
}

/// The page the story's exit leads to: the free map with what the chapter was showing selected.
fn exit_page(focus: Option<Focus>) -> Page {
    match focus {
        Some(Focus::Place(id)) => Page::Place { id },
        Some(Focus::Area(id)) => Page::Area { id },
        None => Page::Map,
    }
}

pub fn story_page(model: Rc<MapModel>, id: String) -> El {
    let c = ctx();
    let story = c
        .with(|e| e.story(&id).cloned())
        .filter(|s| !s.chapters.is_empty());
    let Some(story) = story else {
        Effect::new(move |_| c.ready.set(true));
        return el("section")
            .class("story-missing")
            .attr("role", "alert")
            .child(el("p").dyn_text(tr("story.not_found")))
            .child(
                el("button")
                    .class("back")
                    .dyn_text(tr("story.exit"))
                    .on_click(move || c.go(Page::Map)),
            );
    };
    let count = story.chapters.len();
    let story = StoredValue::new(story);
    let sid = StoredValue::new(id.clone());
    let chapter = Memo::new(move |_| {
        c.route.with(|r| match &r.page {
            Page::Story { chapter, .. } => (*chapter).min(count - 1),
            _ => 0,
        })
    });
    // A link to a chapter past the end shows the last one, and says so in the address.
    Effect::new(move |_| {
        let asked = c.route.with(|r| match &r.page {
            Page::Story { chapter, .. } => Some(*chapter),
            _ => None,
        });
        if let Some(a) = asked
            && a >= count
        {
            let r = c.route.with_untracked(|r| {
                r.with_page(Page::Story {
                    id: sid.get_value(),
                    chapter: count - 1,
                })
            });
            c.replace(r);
        }
    });
    let focus = Memo::new(move |_| story.with_value(|s| chapter_focus(s, chapter.get())));
    let focus_area = Signal::derive(move || match focus.get() {
        Some(Focus::Area(a)) => Some(a),
        _ => None,
    });
    let focus_place = Signal::derive(move || match focus.get() {
        Some(Focus::Place(p)) => Some(p),
        _ => None,
    });
    let go_to = move |i: usize| {
        if i < count && i != chapter.get_untracked() {
            c.go(Page::Story {
                id: sid.get_value(),
                chapter: i,
            });
        }
    };
    let prev = move || {
        let i = chapter.get_untracked();
        if i > 0 {
            go_to(i - 1);
        }
    };
    // Closing returns to where the story was opened from (the shelf, a start screen) with the
    // focus on the card that opened it; a story reached by a link closes onto the map.
    let exit = move || match take_opener(&sid.get_value()) {
        Some((route, selector)) => {
            c.navigate(route);
            after_paint(move || focus_opener(&selector));
        }
        None => c.go(exit_page(focus.get_untracked())),
    };
    let from_shelf = opened_from_shelf(&id);
    let exit_label = move || {
        if from_shelf {
            c.t("story.back_to_stories")
        } else {
            c.t("story.exit")
        }
    };
    let map_large = RwSignal::new(false);
    let next = move || {
        let i = chapter.get_untracked();
        if i + 1 < count {
            go_to(i + 1);
        } else {
            exit();
        }
    };

    page_keys(prev, next, exit);

    // Swipe on the reading column (pointer events: touch, pen or mouse).
    let (on_down, on_up, on_cancel) = swipe(prev, next);

    let body_model = model.clone();
    let body = move || {
        let lang = c.lang();
        let i = chapter.get();
        let place_name = focus.get().map(|f| {
            c.with(|e| match f {
                Focus::Place(p) => e.place(&p).map(|p| p.name.get(lang).to_string()),
                Focus::Area(a) => e.area(&a).map(|a| a.name.get(lang).to_string()),
            })
        });
        let focus = focus.get();
        story.with_value(|s| {
            s.chapters.get(i).map(|ch| {
                chapter_view(
                    &body_model,
                    ch,
                    focus.as_ref(),
                    (i, count),
                    lang,
                    place_name.flatten(),
                )
            })
        })
    };
    // The text scrolls with the keyboard once focused (arrows, Page Down, Space).
    let column_el = Handle::<web_sys::Element>::new();
    let column = el("div")
        .class("story-column")
        .attr("id", "content")
        .attr("tabindex", "0")
        .attr("role", "region")
        .dyn_attr("aria-label", tr("story.column"))
        .bind(column_el)
        .dyn_children(move || body().into_iter().collect());
    // Opening a story puts the focus on its chapter's heading (a screen reader starts there;
    // the keyboard scrolls the text from there).
    request_animation_frame(move || {
        if let Some(host) = column_el.get_untracked()
            && let Ok(Some(h)) = host.query_selector(".chapter-heading")
            && let Ok(h) = h.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = h.focus();
        }
    });
    on_cleanup(clear_opener);

    // Each new chapter starts at its top, and screen readers hear where they are.
    Effect::new(move |prev_ch: Option<usize>| {
        let ch = chapter.get();
        if prev_ch.is_some_and(|p| p != ch) {
            if let Some(column) = column_el.get_untracked() {
                column.set_scroll_top(0);
            }
            let lang = c.lang();
            let heading = story.with_value(|s| {
                s.chapters
                    .get(ch)
                    .map(|x| x.heading.get(lang).to_string())
                    .unwrap_or_default()
            });
            c.announce.set(format!("{} / {count} · {heading}", ch + 1));
        }
        ch
    });
    document_title(story);

    let title = move || {
        let lang = c.lang();
        story.with_value(|s| s.title.get(lang).to_string())
    };
    let print_sheet = print_sheet(model.clone(), story);

    el("div")
        .class("story-page")
        .attr("data-story", &id)
        .dyn_attr("data-chapter", move || {
            Some((chapter.get() + 1).to_string())
        })
        .dyn_attr("data-focus-area", move || focus_area.get())
        .dyn_attr("data-focus-place", move || focus_place.get())
        .child(
            el("div")
                .class("story-map")
                .dyn_class("large", move || map_large.get())
                .child(map_view(
                    model,
                    Signal::derive(Vec::new),
                    Signal::stored(false),
                    Signal::stored((0.0, 0.0)),
                    focus_area,
                    focus_place,
                )),
        )
        .child(
            el("article")
                .class("story-reader")
                .attr("aria-labelledby", "story-title")
                .on("pointerdown", on_down)
                .on("pointerup", on_up)
                .on("pointercancel", on_cancel)
                .child(
                    el("header")
                        .class("story-top")
                        .child(
                            el("div")
                                .class("story-actions")
                                .child(
                                    el("button")
                                        .class("story-exit")
                                        .child(el("span").attr("aria-hidden", "true").text("← "))
                                        .dyn_text(exit_label)
                                        .on_click(exit),
                                )
                                .child(map_toggle(map_large))
                                .child(share_button()),
                        )
                        .child(el("p").class("story-kicker").dyn_text(tr("story.kicker")))
                        .child(
                            el("h2")
                                .class("story-title")
                                .attr("id", "story-title")
                                .dyn_text(title),
                        ),
                )
                .child(column)
                .child(chapter_nav(story, chapter, count, go_to, prev, next))
                .child(
                    el("p")
                        .class("story-hint")
                        .attr("aria-hidden", "true")
                        .dyn_text(tr("story.hint")),
                ),
        )
        .child(
            el("section")
                .class("story-print")
                .attr("aria-hidden", "true")
                .dyn_children(print_sheet),
        )
}

/// A swipe across the reading column turns the page: what the pointer's down, up and cancel
/// events do.
fn swipe(
    prev: impl Fn() + Copy + 'static,
    next: impl Fn() + Copy + 'static,
) -> (
    impl Fn(PointerEvent) + 'static,
    impl Fn(PointerEvent) + 'static,
    impl Fn(PointerEvent) + 'static,
) {
    let swipe_start: Rc<Cell<Option<(i32, f64, f64)>>> = Rc::new(Cell::new(None));
    let s1 = swipe_start.clone();
    let on_down = move |ev: PointerEvent| {
        if ev.is_primary() {
            s1.set(Some((
                ev.pointer_id(),
                ev.client_x() as f64,
                ev.client_y() as f64,
            )));
        }
    };
    let s2 = swipe_start.clone();
    let on_up = move |ev: PointerEvent| {
        let Some((pid, x0, y0)) = s2.take() else {
            return;
        };
        if pid != ev.pointer_id() {
            return;
        }
        let (dx, dy) = (ev.client_x() as f64 - x0, ev.client_y() as f64 - y0);
        if dx.abs() >= SWIPE && dx.abs() > 1.5 * dy.abs() {
            if dx < 0.0 { next() } else { prev() }
        }
    };
    let s3 = swipe_start;
    let on_cancel = move |_: PointerEvent| s3.set(None);
    (on_down, on_up, on_cancel)
}

/// ← → turn the page, unless the visitor is steering the map or typing; Escape closes.
fn page_keys(
    prev: impl Fn() + Copy + 'static,
    next: impl Fn() + Copy + 'static,
    exit: impl Fn() + Copy + 'static,
) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.default_prevented() {
            return;
        }
        let in_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| {
                el.closest(".map, input, select, textarea, [contenteditable]")
                    .ok()
                    .flatten()
            })
            .is_some();
        if in_control {
            return;
        }
        match ev.key().as_str() {
            "ArrowLeft" => prev(),
            "ArrowRight" => next(),
            "Escape" => exit(),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());
}

/// The document title names the story while it is read; leaving gives the page its own back.
fn document_title(story: StoredValue<Story>) {
    let c = ctx();
    Effect::new(move |_| {
        let lang = c.lang();
        let t = story.with_value(|s| s.title.get(lang).to_string());
        let site = c.with(|e| e.settings.title.get(lang).to_string());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&format!("{t} · {site}"));
        }
    });
    // Leaving the story gives the page its own title back.
    let (site_title, default_lang) =
        c.with(|e| (e.settings.title.clone(), e.settings.default_language));
    on_cleanup(move || {
        let lang = c
            .route
            .try_with_untracked(|r| r.lang.clone())
            .flatten()
            .and_then(|t| Lang::from_tag(&t))
            .unwrap_or(default_lang);
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(site_title.get(lang));
        }
    });
}

/// The story's chapters one under another, for the printed sheet.
fn print_sheet(model: Rc<MapModel>, story: StoredValue<Story>) -> impl Fn() -> Vec<El> {
    let c = ctx();
    let title = move || {
        let lang = c.lang();
        story.with_value(|s| s.title.get(lang).to_string())
    };
    let print_model = model;
    move || {
        let lang = c.lang();
        let (summary, chapters, ids) = story.with_value(|s| {
            let summary = s.summary.as_ref().map(|x| x.get(lang).to_string());
            let chapters: Vec<El> = s
                .chapters
                .iter()
                .enumerate()
                .map(|(i, ch)| {
                    print_chapter(&print_model, ch, chapter_focus(s, i).as_ref(), i, lang)
                })
                .collect();
            (summary, chapters, s.sources.clone())
        });
        let mut sheet = vec![el("h2").class("print-title").text(&title())];
        sheet.extend(summary.map(|x| el("p").class("print-summary").text(&x)));
        sheet.extend(chapters);
        sheet.push(sources(ids));
        sheet
    }
}

/// On a phone the map is a strip above the text; this grows it (in the reader's top bar, so it
/// covers nothing on the map).
fn map_toggle(map_large: RwSignal<bool>) -> El {
    let c = ctx();
    el("button")
        .class("story-map-toggle")
        .dyn_attr("aria-expanded", move || Some(map_large.get().to_string()))
        .on("click", move |_: web_sys::Event| {
            map_large.update(|l| *l = !*l)
        })
        .dyn_text(move || {
            if map_large.get() {
                c.t("story.map_smaller")
            } else {
                c.t("story.map_larger")
            }
        })
}

/// Previous, where the reader is (chapter dots), and next (or finish).
fn chapter_nav(
    story: StoredValue<Story>,
    chapter: Memo<usize>,
    count: usize,
    go_to: impl Fn(usize) + Copy + 'static,
    prev: impl Fn() + Copy + 'static,
    next: impl Fn() + Copy + 'static,
) -> El {
    let c = ctx();
    let dots = move || {
        let lang = c.lang();
        let pattern = c.t("story.go_to_chapter");
        let headings: Vec<String> = story.with_value(|s| {
            s.chapters
                .iter()
                .map(|ch| ch.heading.get(lang).to_string())
                .collect()
        });
        headings
            .into_iter()
            .enumerate()
            .map(|(i, h)| {
                let label = fill(pattern.clone(), &[("n", (i + 1).to_string()), ("title", h)]);
                el("li").child(
                    el("button")
                        .class("story-dot")
                        .dyn_class("done", move || i < chapter.get())
                        .attr("aria-label", &label)
                        .dyn_attr("aria-current", move || {
                            (chapter.get() == i).then(|| "step".to_string())
                        })
                        .on_click(move || go_to(i)),
                )
            })
            .collect()
    };
    let is_last = move || chapter.get() + 1 >= count;
    el("nav")
        .class("story-nav")
        .dyn_attr("aria-label", tr("story.nav"))
        .child(
            el("button")
                .class("story-prev")
                .dyn_prop("disabled", move || JsValue::from_bool(chapter.get() == 0))
                .on_click(prev)
                .child(el("span").attr("aria-hidden", "true").text("‹ "))
                .dyn_text(tr("story.prev")),
        )
        .child(
            el("div")
                .class("story-progress-wrap")
                .child(
                    el("p")
                        .class("story-progress")
                        .child(
                            el("span")
                                .class("sr-only")
                                .dyn_text(tr("story.progress"))
                                .text(" "),
                        )
                        .dyn_text(move || format!("{} / {count}", chapter.get() + 1)),
                )
                .child(el("ol").class("story-dots").dyn_children(dots)),
        )
        .child(
            el("button")
                .class("story-next")
                .dyn_class("finish", is_last)
                .on_click(next)
                .dyn_text(move || {
                    if is_last() {
                        c.t("story.finish")
                    } else {
                        c.t("story.next")
                    }
                })
                .child(el("span").attr("aria-hidden", "true").text(" ›")),
        )
}

fn chapter_view(
    model: &MapModel,
    ch: &Chapter,
    focus: Option<&Focus>,
    (i, count): (usize, usize),
    lang: Lang,
    place_name: Option<String>,
) -> El {
    let c = ctx();
    let counter = fill(
        c.t("story.chapter_of"),
        &[("n", (i + 1).to_string()), ("total", count.to_string())],
    );
    el("section")
        .class("chapter")
        .attr("data-index", &i.to_string())
        .child(el("p").class("chapter-count").text(&counter))
        .child(
            el("h3")
                .class("chapter-heading")
                .attr("tabindex", "-1")
                .text(ch.heading.get(lang)),
        )
        .child(chapter_figure(model, ch, focus, lang, place_name, true))
        .children(ch.paragraphs.iter().enumerate().map(|(i, p)| {
            // The first paragraph comes before the picture on a phone (style.css).
            let class = if i == 0 {
                "chapter-text lead"
            } else {
                "chapter-text"
            };
            el("p").class(class).text(p.get(lang))
        }))
        .child(sources(ch.sources.clone()))
}

fn print_chapter(
    model: &MapModel,
    ch: &Chapter,
    focus: Option<&Focus>,
    i: usize,
    lang: Lang,
) -> El {
    el("section")
        .class("print-chapter")
        .child(el("h3").text(&format!("{}. {}", i + 1, ch.heading.get(lang))))
        .child(chapter_figure(model, ch, focus, lang, None, false))
        .children(ch.paragraphs.iter().map(|p| el("p").text(p.get(lang))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill(
                "第 {n} 章，共 {total} 章".into(),
                &[("n", "2".into()), ("total", "5".into())]
            ),
            "第 2 章，共 5 章"
        );
    }
}
