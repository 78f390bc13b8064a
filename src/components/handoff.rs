//! Hand-off: a QR code of the current view's public link, so a visitor at the kiosk can carry
//! on reading on their phone. Shown only when the settings give `public_base_url`.
//!
//! The code is computed in the app (crate `qrcode`) and drawn as SVG `<rect>` elements, one per
//! horizontal run of dark modules, inside a four-module quiet zone.

use leptos::prelude::*;
use lilong_core::route::Route;
use qrcode::{Color, EcLevel, QrCode};

use crate::dom::{El, el, svg};
use crate::state::{ctx, tr};

/// Modules of white margin around the code (the standard's quiet zone).
const QUIET: usize = 4;

/// The public link of a view: the base address and the route's query, without the kiosk's own
/// parameters (a phone should open the ordinary exhibit, not a kiosk that resets itself).
pub fn public_link(base: &str, route: &Route) -> String {
    let query = Route {
        kiosk: false,
        idle: None,
        ..route.clone()
    }
    .to_query();
    format!("{base}{query}")
}

/// A horizontal run of dark modules: `(x, y, length)`.
pub type Run = (usize, usize, usize);

/// A QR code as runs of dark modules: `(x, y, length)` in module units, quiet zone included,
/// and the side of the whole square. `None` when the link is too long for any QR code.
pub fn qr_runs(text: &str) -> Option<(Vec<Run>, usize)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let start = x;
                while x < row.len() && row[x] == Color::Dark {
                    x += 1;
                }
                runs.push((start + QUIET, y + QUIET, x - start));
            } else {
                x += 1;
            }
        }
    }
    Some((runs, width + 2 * QUIET))
}

/// The hand-off figure, or nothing when the settings give no public address.
pub fn handoff() -> Option<El> {
    let c = ctx();
    let base = c
        .with(|e| e.settings.public_base_url.clone())
        .filter(|b| !b.is_empty())?;
    let link = Memo::new(move |_| c.route.with(|r| public_link(&base, r)));
    let code = Memo::new(move |_| link.with(|l| qr_runs(l)));
    Some(
        el("figure")
            .class("handoff")
            .dyn_attr("data-link", move || Some(link.get()))
            .dyn_child(move || {
                code.get().map(|(runs, side)| {
                    let side = side.to_string();
                    svg("svg")
                        .attr("class", "handoff-qr")
                        .attr("viewBox", &format!("0 0 {side} {side}"))
                        .attr("role", "img")
                        .dyn_attr("aria-label", tr("handoff.qr_label"))
                        .attr("shape-rendering", "crispEdges")
                        .child(
                            svg("rect")
                                .attr("class", "qr-bg")
                                .attr("x", "0")
                                .attr("y", "0")
                                .attr("width", &side)
                                .attr("height", &side)
                                .attr("fill", "#fff"),
                        )
                        .children(runs.into_iter().map(|(x, y, w)| {
                            svg("rect")
                                .attr("class", "qr-m")
                                .attr("x", &x.to_string())
                                .attr("y", &y.to_string())
                                .attr("width", &w.to_string())
                                .attr("height", "1")
                                .attr("fill", "#111")
                        }))
                })
            })
            .child(
                el("figcaption")
                    .class("handoff-caption")
                    .dyn_text(tr("handoff.caption")),
            ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_drops_the_kiosk_parameters_and_keeps_the_view() {
        let r = Route::parse("?area=310101023005&lang=en&kiosk=1&idle=5");
        assert_eq!(
            public_link("https://example.org/lilong/", &r),
            "https://example.org/lilong/?area=310101023005&lang=en"
        );
        assert_eq!(
            public_link("https://example.org/", &Route::parse("?kiosk=1")),
            "https://example.org/"
        );
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let text = "https://example.org/lilong/?story=nanchang-building&ch=2";
        let (runs, side) = qr_runs(text).expect("a short link fits");
        let code =
            QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("encodes");
        assert_eq!(side, code.width() + 8);
        let dark = code
            .to_colors()
            .iter()
            .filter(|c| **c == Color::Dark)
            .count();
        assert_eq!(runs.iter().map(|r| r.2).sum::<usize>(), dark);
    }
}
