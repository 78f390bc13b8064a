//! A chapter's plate: the one picture a chapter has in the reader and on the printed sheet
//! when no curator has given it an image. Made from the data: the chapter's focus drawn on the
//! base map (water, the streets in view with a few of their names, the area outlines around,
//! the focus area outlined or the building marked), its name, and the chapter's pull quote
//! when it has one. An `image` in the chapter replaces the map (the quote stays).
//!
//! Everything is text nodes and SVG elements built one by one (no markup is parsed).

use lilong_core::geo::{Coord, Rect, coord};
use lilong_core::geometry::cover::{BaseDrawn, base, cover};
use lilong_core::model::{Chapter, Focus, Image, Lang};

use crate::dom::{El, el, svg};
use crate::draw::MapModel;

/// The plate's drawing size in its own units (it scales to the column's width).
pub const PLATE_W: f64 = 480.0;
pub const PLATE_H: f64 = 250.0;
/// Street names on a plate (px in the plate's units).
const NAME_SIZE: f64 = 12.5;
const NAMES: usize = 4;

/// The world rectangle a focus stands for, and its area's scene index.
fn focus_rect(model: &MapModel, focus: &Focus) -> Option<(Rect<f64>, Option<usize>, bool)> {
    match focus {
        Focus::Place(p) => model
            .places
            .iter()
            .find(|(id, _, _)| id == p)
            .map(|(_, w, a)| (Rect::new(*w, *w), *a, true)),
        Focus::Area(a) => {
            let i = model.area_index(a)?;
            model.areas.bbox(i).map(|b| (b, Some(i), false))
        }
    }
}

/// The base layer's water and streets as SVG paths: water, then every street's casing, then
/// the streets themselves (least important first).
pub fn base_paths(drawn: &BaseDrawn) -> Vec<El> {
    let mut out = Vec::new();
    if !drawn.water.is_empty() {
        out.push(
            svg("path")
                .attr("class", "base-water")
                .attr("fill-rule", "evenodd")
                .attr("d", &drawn.water),
        );
    }
    for (rank, d) in &drawn.streets {
        out.push(
            svg("path")
                .attr("class", &format!("base-street casing r{rank}"))
                .attr("d", d),
        );
    }
    for (rank, d) in &drawn.streets {
        out.push(
            svg("path")
                .attr("class", &format!("base-street r{rank}"))
                .attr("d", d),
        );
    }
    out
}

/// The street names of a plate, each along its street, upright.
fn street_names(drawn: &BaseDrawn) -> Vec<El> {
    drawn
        .names
        .iter()
        .map(|n| {
            svg("text")
                .attr("class", &format!("base-name r{}", n.rank))
                .attr(
                    "transform",
                    &format!(
                        "translate({:.1} {:.1}) rotate({:.1})",
                        n.at.x, n.at.y, n.angle
                    ),
                )
                .attr("text-anchor", "middle")
                .attr("dominant-baseline", "central")
                .text(&n.text)
        })
        .collect()
}

/// The chapter's focus drawn on the base map, as SVG (decorative: the chapter's text and the
/// plate's caption say what it shows).
pub fn plate_map(model: &MapModel, focus: Option<&Focus>, lang: Lang) -> El {
    let root = svg("svg")
        .attr("class", "plate-map")
        .attr("viewBox", &format!("0 0 {PLATE_W} {PLATE_H}"))
        .attr("preserveAspectRatio", "xMidYMid slice")
        .attr("aria-hidden", "true")
        .attr("focusable", "false")
        .child(
            svg("rect")
                .attr("class", "plate-paper")
                .attr("width", &PLATE_W.to_string())
                .attr("height", &PLATE_H.to_string()),
        );
    let Some((rect, focus_area, is_place)) = focus.and_then(|f| focus_rect(model, f)) else {
        return root;
    };
    let points: Vec<Coord<f64>> = model.places.iter().map(|(_, w, _)| *w).collect();
    let drawn = cover(&model.areas, &points, rect, PLATE_W, PLATE_H);
    let centre = drawn.view.to_screen(rect.center());
    let clear = Rect::new(
        coord! { x: centre.x - 30.0, y: centre.y - 22.0 },
        coord! { x: centre.x + 30.0, y: centre.y + 22.0 },
    );
    let base_drawn = base(
        &model.base,
        &drawn.view,
        4,
        lang,
        NAME_SIZE,
        NAMES,
        Some(clear),
    );
    let mut focus_outline = None;
    let outlines: Vec<El> = drawn
        .outlines
        .into_iter()
        .map(|(i, d)| {
            if Some(i) == focus_area {
                focus_outline = Some(d.clone());
            }
            let class = if Some(i) == focus_area {
                "plate-area home"
            } else {
                "plate-area"
            };
            svg("path").attr("class", class).attr("d", &d)
        })
        .collect();
    let focus_place = match focus {
        Some(Focus::Place(p)) => Some(p.as_str()),
        _ => None,
    };
    let dots = drawn
        .points
        .into_iter()
        .filter(|(i, _)| focus_place != Some(model.places[*i].0.as_str()))
        .map(|(_, p)| {
            svg("circle")
                .attr("class", "plate-place")
                .attr("cx", &format!("{:.1}", p.x))
                .attr("cy", &format!("{:.1}", p.y))
                .attr("r", "3")
        });
    let root = root
        .children(outlines)
        .children(base_paths(&base_drawn))
        .children(dots);
    // The focus last, over the streets: the area outlined, or the building marked.
    let root = match (is_place, focus_outline) {
        (false, Some(d)) => root
            .child(svg("path").attr("class", "plate-focus-halo").attr("d", &d))
            .child(svg("path").attr("class", "plate-focus").attr("d", &d)),
        _ => root,
    };
    let root = root.children(street_names(&base_drawn));
    if is_place {
        let (x, y) = (format!("{:.1}", centre.x), format!("{:.1}", centre.y));
        root.child(
            svg("circle")
                .attr("class", "plate-marker-ring")
                .attr("cx", &x)
                .attr("cy", &y)
                .attr("r", "15"),
        )
        .child(
            svg("circle")
                .attr("class", "plate-marker")
                .attr("cx", &x)
                .attr("cy", &y)
                .attr("r", "7"),
        )
    } else {
        root
    }
}

/// A chapter's image with its alt text; `lazy` leaves it to load when it nears the screen.
fn image(img: &Image, lang: Lang, lazy: bool) -> El {
    let e = el("img");
    let e = if lazy { e.attr("loading", "lazy") } else { e };
    e.attr("src", &format!("data/{}", img.file))
        .attr("alt", img.alt.get(lang))
}

/// The chapter's pull quote: the words with big quotation marks, and who said them.
fn pull_quote(ch: &Chapter, lang: Lang) -> Option<El> {
    let q = ch.quote.as_ref()?;
    let by = q.by.as_ref().map(|b| {
        el("footer")
            .class("plate-quote-by")
            .child(el("span").attr("aria-hidden", "true").text("— "))
            .child(el("cite").text(b.get(lang)))
    });
    Some(
        el("blockquote")
            .class("plate-quote")
            .child(
                el("span")
                    .class("plate-quote-mark")
                    .attr("aria-hidden", "true")
                    .text("“"),
            )
            .child(el("p").text(q.text.get(lang)))
            .maybe(by),
    )
}

/// The chapter's one picture, for the reader and the printed sheet: the curator's image with
/// its credit, else the plate (the focus on the base map, named); then the pull quote.
pub fn chapter_figure(
    model: &MapModel,
    ch: &Chapter,
    focus: Option<&Focus>,
    lang: Lang,
    place_name: Option<String>,
    lazy: bool,
) -> El {
    let quote = pull_quote(ch, lang);
    let with_quote = if quote.is_some() { " with-quote" } else { "" };
    match &ch.image {
        Some(img) => el("figure")
            .class(&format!("chapter-figure{with_quote}"))
            .child(image(img, lang, lazy))
            .maybe(
                img.credit
                    .as_ref()
                    .map(|c| el("figcaption").text(c.get(lang))),
            )
            .maybe(quote),
        None => el("figure")
            .class(&format!("chapter-figure chapter-plate{with_quote}"))
            .attr("data-plate", "map")
            .child(
                el("div")
                    .class("plate-frame")
                    .child(plate_map(model, focus, lang))
                    .maybe(place_name.filter(|n| !n.is_empty()).map(|n| {
                        el("span")
                            .class("plate-name")
                            .attr("aria-hidden", "true")
                            .text(&n)
                    })),
            )
            .maybe(quote),
    }
}
