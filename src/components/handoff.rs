//! Hand-off: a QR code of the current view's public link, so a visitor at the kiosk can carry
//! on reading on their phone. Shown only when the settings give `public_base_url`.
//!
//! The code is computed in the app (crate `qrcode`) and drawn as SVG `<rect>` elements, one per
//! horizontal run of dark modules, inside a four-module quiet zone.

use leptos::prelude::*;
use lilong_core::route::Route;
use qrcode::{Color, EcLevel, QrCode};

use crate::state::ctx;

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

/// A QR code as runs of dark modules: `(x, y, length)` in module units, quiet zone included,
/// and the side of the whole square. `None` when the link is too long for any QR code.
pub fn qr_runs(text: &str) -> Option<(Vec<(usize, usize, usize)>, usize)> {
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

#[component]
pub fn Handoff() -> impl IntoView {
    let c = ctx();
    let base = c
        .with(|e| e.settings.public_base_url.clone())
        .filter(|b| !b.is_empty());
    base.map(|base| {
        let link = Memo::new(move |_| c.route.with(|r| public_link(&base, r)));
        let code = Memo::new(move |_| link.with(|l| qr_runs(l)));
        view! {
            <figure class="handoff" data-link=move || link.get()>
                {move || code.get().map(|(runs, side)| {
                    let view_box = format!("0 0 {side} {side}");
                    view! {
                        <svg
                            class="handoff-qr"
                            viewBox=view_box
                            role="img"
                            aria-label=move || c.t("handoff.qr_label")
                            shape-rendering="crispEdges"
                        >
                            <rect class="qr-bg" x="0" y="0" width=side height=side fill="#fff"></rect>
                            {runs.into_iter().map(|(x, y, w)| view! {
                                <rect class="qr-m" x=x y=y width=w height="1" fill="#111"></rect>
                            }).collect_view()}
                        </svg>
                    }
                })}
                <figcaption class="handoff-caption">{move || c.t("handoff.caption")}</figcaption>
            </figure>
        }
    })
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
