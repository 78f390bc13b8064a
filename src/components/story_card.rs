//! A story's card (cover, title, teaser, place and district, number of chapters), the cover
//! itself, and the way a card opens its story and is given the focus back when it closes.
//!
//! The cover is a small still map drawn from the exhibit's own geometry around the story's
//! place (or area): the area outlines and places near it, projected with the core's
//! [`lilong_core::geometry::cover`], the story's own area and place marked. No image is needed;
//! [`story_cover`] is the one place to add another layer (streets, water) when the map has one.

use std::cell::RefCell;

use leptos::prelude::*;
use lilong_core::geo::{Coord, Rect};
use lilong_core::geometry::cover::cover;
use lilong_core::model::{Exhibit, Lang, Story};
use lilong_core::route::{Page, Route};
use wasm_bindgen::prelude::*;

use crate::dom::{El, el, svg};
use crate::draw::MapModel;
use crate::state::{Ctx, ctx};

/// The cover's drawing size in its own units (it scales to the card's width).
pub const COVER_W: f64 = 320.0;
pub const COVER_H: f64 = 180.0;

thread_local! {
    /// Where the story on screen was opened from: the view to return to, and the opening
    /// control's story id (its card is found again by `data-open-story`).
    static OPENER: RefCell<Option<(Route, String)>> = const { RefCell::new(None) };
}

/// The prepared map, for drawing covers outside a page (the kiosk's welcome). Provided by the
/// app's root.
#[derive(Clone, Copy)]
pub struct MapHandle(pub StoredValue<std::rc::Rc<MapModel>, LocalStorage>);

/// The stories every start screen offers first: the settings' `featured_stories`, else the
/// first two stories.
pub fn featured_ids(e: &Exhibit) -> Vec<String> {
    let featured: Vec<String> = e
        .settings
        .featured_stories
        .iter()
        .filter(|id| e.story(id).is_some())
        .cloned()
        .collect();
    if featured.is_empty() {
        e.stories.iter().take(2).map(|s| s.id.clone()).collect()
    } else {
        featured
    }
}

/// Every story with chapters, the featured ones first (in their order), then the rest in the
/// order of `stories.json`.
pub fn shelf_ids(e: &Exhibit) -> Vec<String> {
    let mut ids = featured_ids(e);
    for s in &e.stories {
        if !ids.contains(&s.id) {
            ids.push(s.id.clone());
        }
    }
    ids.retain(|id| e.story(id).is_some_and(|s| !s.chapters.is_empty()));
    ids
}

/// The first sentence of a text (up to and including its full stop), for a one-line teaser.
pub fn first_sentence(text: &str) -> &str {
    let mut end = text.len();
    for (i, ch) in text.char_indices() {
        let stop = match ch {
            '。' | '！' | '？' => true,
            // A Latin full stop ends a sentence before a space and a capital ("No. 5" goes on).
            '.' | '!' | '?' => {
                let rest = &text[i + 1..];
                rest.starts_with(' ')
                    && rest
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_uppercase() || n == '“' || n == '"')
            }
            _ => false,
        };
        if stop {
            end = i + ch.len_utf8();
            break;
        }
    }
    text[..end].trim()
}

/// Opens a story at its first chapter, noting where it was opened from so that closing it
/// returns there with the focus on the card that opened it.
pub fn open_story(c: Ctx, id: &str) {
    let here = c.route.get_untracked();
    OPENER.with(|o| *o.borrow_mut() = Some((here.clone(), id.to_string())));
    c.navigate(here.with_page(Page::Story {
        id: id.to_string(),
        chapter: 0,
    }));
}

/// Where the story `id` was opened from (when it was opened by [`open_story`] and not left
/// since), taken: the view to return to and the selector of the control to focus there.
pub fn take_opener(id: &str) -> Option<(Route, String)> {
    OPENER.with(|o| {
        let mut o = o.borrow_mut();
        match o.as_ref() {
            Some((_, s)) if s == id => o.take().map(|(r, s)| {
                let sel = format!(r#"[data-open-story="{s}"]"#);
                (r, sel)
            }),
            _ => None,
        }
    })
}

/// Forgets where a story was opened from (it was left some other way).
pub fn clear_opener() {
    OPENER.with(|o| o.borrow_mut().take());
}

/// Whether the story `id` was opened from the shelf of stories.
pub fn opened_from_shelf(id: &str) -> bool {
    OPENER.with(|o| {
        o.borrow()
            .as_ref()
            .is_some_and(|(r, s)| s == id && r.page == Page::Stories)
    })
}

/// The world position and area (scene index) a story is about.
fn story_focus(model: &MapModel, story: &Story) -> Option<(Rect<f64>, Option<usize>)> {
    let area = story
        .area
        .as_ref()
        .and_then(|a| model.area_ids.iter().position(|x| x == a));
    let place = story
        .place
        .as_ref()
        .and_then(|p| model.places.iter().find(|(id, _, _)| id == p));
    match (place, area) {
        (Some((_, w, pa)), a) => Some((Rect::new(*w, *w), a.or(*pa))),
        (None, Some(a)) => model.areas.bbox(a).map(|b| (b, Some(a))),
        (None, None) => None,
    }
}

/// The story's cover: a small map of its neighbourhood as SVG (decorative: the card's text
/// says what it shows). Empty paper when the story has neither place nor area on the map.
pub fn story_cover(model: &MapModel, story: &Story) -> El {
    let root = svg("svg")
        .attr("class", "story-cover")
        .attr("viewBox", &format!("0 0 {COVER_W} {COVER_H}"))
        .attr("preserveAspectRatio", "xMidYMid slice")
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(
            svg("rect")
                .attr("class", "cover-paper")
                .attr("width", &COVER_W.to_string())
                .attr("height", &COVER_H.to_string()),
        );
    let Some((focus, focus_area)) = story_focus(model, story) else {
        return root;
    };
    let points: Vec<Coord<f64>> = model.places.iter().map(|(_, w, _)| *w).collect();
    let drawn = cover(&model.areas, &points, focus, COVER_W, COVER_H);
    let outlines = drawn.outlines.into_iter().map(|(i, d)| {
        let class = if Some(i) == focus_area {
            "cover-area focus"
        } else {
            "cover-area"
        };
        svg("path").attr("class", class).attr("d", &d)
    });
    let story_place = story.place.as_deref();
    let dots = drawn.points.into_iter().map(|(i, p)| {
        let own = story_place == Some(model.places[i].0.as_str());
        let (class, r) = if own {
            ("cover-place focus", "7")
        } else {
            ("cover-place", "3.5")
        };
        svg("circle")
            .attr("class", class)
            .attr("cx", &format!("{:.1}", p.x))
            .attr("cy", &format!("{:.1}", p.y))
            .attr("r", r)
    });
    root.children(outlines).children(dots)
}

/// The text a card shows for a story in a language: title, teaser, where, chapters.
#[derive(Clone, PartialEq)]
pub struct CardText {
    pub title: String,
    pub teaser: String,
    pub place: String,
    pub district: String,
    pub chapters: String,
}

pub fn card_text(e: &Exhibit, story: &Story, lang: Lang) -> CardText {
    let area = story.area.as_deref().and_then(|a| e.area(a));
    let place = story
        .place
        .as_deref()
        .and_then(|p| e.place(p))
        .map(|p| p.name.get(lang).to_string())
        .or_else(|| area.map(|a| a.name.get(lang).to_string()))
        .unwrap_or_default();
    let district = area
        .and_then(|a| e.district(&a.district))
        .map(|d| d.name.get(lang).to_string())
        .unwrap_or_default();
    let teaser = story
        .summary
        .as_ref()
        .map(|s| s.get(lang))
        .or_else(|| {
            story
                .chapters
                .first()
                .and_then(|ch| ch.paragraphs.first())
                .map(|p| p.get(lang))
        })
        .map(|t| first_sentence(t).to_string())
        .unwrap_or_default();
    let chapters = e
        .t(lang, "stories.chapters")
        .replace("{n}", &story.chapters.len().to_string());
    CardText {
        title: story.title.get(lang).to_string(),
        teaser,
        place,
        district,
        chapters,
    }
}

/// A story's card: a link to its first chapter (a plain click opens it in place). `variant`
/// is an extra class (`featured`, `compact`, `welcome`).
pub fn story_card(model: &MapModel, id: &str, variant: &str) -> Option<El> {
    let c = ctx();
    let story = c.with(|e| e.story(id).cloned())?;
    let cover_el = story_cover(model, &story);
    let story = StoredValue::new(story);
    let text = Memo::new(move |_| {
        let lang = c.lang();
        c.with(|e| story.with_value(|s| card_text(e, s, lang)))
    });
    let href = {
        let r = c.route.get_untracked().with_page(Page::Story {
            id: id.to_string(),
            chapter: 0,
        });
        let q = r.to_query();
        if q.is_empty() { "./".to_string() } else { q }
    };
    let sid = id.to_string();
    let title_id = format!("card-{variant}-{id}");
    Some(
        el("a")
            .class(&format!("story-card {variant}"))
            .attr("href", &href)
            .attr("data-open-story", id)
            .attr("aria-labelledby", &title_id)
            .on("click", move |ev: web_sys::Event| {
                let plain = ev
                    .dyn_ref::<web_sys::MouseEvent>()
                    .is_none_or(|m| !(m.ctrl_key() || m.meta_key() || m.shift_key()));
                if plain {
                    ev.prevent_default();
                    open_story(c, &sid);
                }
            })
            .child(el("div").class("story-card-cover").child(cover_el))
            .child(
                el("div")
                    .class("story-card-body")
                    .child(
                        el("p")
                            .class("story-card-where")
                            .dyn_text(move || text.with(|t| t.place.clone()))
                            .child(
                                el("span")
                                    .class("sep")
                                    .attr("aria-hidden", "true")
                                    .text(" · "),
                            )
                            .dyn_text(move || text.with(|t| t.district.clone())),
                    )
                    .child(
                        el("h3")
                            .class("story-card-title")
                            .attr("id", &title_id)
                            .dyn_text(move || text.with(|t| t.title.clone())),
                    )
                    .child(
                        el("p")
                            .class("story-card-teaser")
                            .dyn_text(move || text.with(|t| t.teaser.clone())),
                    )
                    .child(
                        el("p")
                            .class("story-card-count")
                            .dyn_text(move || text.with(|t| t.chapters.clone())),
                    ),
            ),
    )
}

/// The featured stories as a row of cards with a way to the whole shelf: the start screen's
/// offer of stories (the map page's sidebar; on a phone, above the list).
pub fn featured_strip(model: &MapModel) -> El {
    let c = ctx();
    let ids = c.with(featured_ids);
    el("section")
        .class("featured-stories")
        .attr("aria-labelledby", "featured-title")
        .child(
            el("div")
                .class("featured-head")
                .child(
                    el("h2")
                        .attr("id", "featured-title")
                        .dyn_text(move || c.t("stories.featured")),
                )
                .child(
                    el("button")
                        .class("featured-all")
                        .on("click", move |_: web_sys::Event| c.go(Page::Stories))
                        .dyn_text(move || c.t("stories.all")),
                ),
        )
        .child(
            el("div")
                .class("featured-cards")
                .children(ids.iter().filter_map(|id| story_card(model, id, "compact"))),
        )
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn a_teaser_is_the_first_sentence() {
        assert_eq!(
            first_sentence("南昌大楼建于1930年代。如今……"),
            "南昌大楼建于1930年代。"
        );
        assert_eq!(
            first_sentence("Built in the 1930s. Today it is home to many."),
            "Built in the 1930s."
        );
        // A full stop inside a number or a name is not the end of the sentence.
        assert_eq!(
            first_sentence("No. 5 is 3.5 km away"),
            "No. 5 is 3.5 km away"
        );
        assert_eq!(first_sentence(""), "");
    }
}
