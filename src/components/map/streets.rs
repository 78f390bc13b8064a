//! Street names at close zoom: where each named street of the base map in view could carry
//! its name (the longest nearly straight run of it on screen, the text along it, kept
//! upright), offered to the map's one label pass after the area names, so a street name never
//! covers an area's name, a marker or another street's name.

use lilong_core::basemap::BaseKind;
use lilong_core::geo::Coord;
use lilong_core::geometry::labels::Candidate;
use lilong_core::geometry::{LabelSize, Viewport};
use lilong_core::model::Lang;

use crate::draw::{MapModel, street_strength};

/// A street name placed on the map: its text, the centre (px) and the angle (degrees,
/// clockwise, as CSS `rotate`).
#[derive(Clone, PartialEq, Debug)]
pub struct StreetName {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub angle: f64,
}

/// The zoom (px per world metre) from which the names of each class rank show.
const NAMES_FROM: [f64; 5] = [0.35, 0.35, 0.45, 0.7, 1.1];

/// Height (px) of a street name's box, and the space kept at each end of the text.
const NAME_HEIGHT: f64 = 16.0;
const NAME_PAD: f64 = 6.0;

/// At most this many street names are offered in one view.
const MAX_OFFERED: usize = 160;

/// The street names `m` could show in `view`, most important first, as candidates for the
/// label pass (numbered by their place in the returned names) and the names themselves.
/// `measure` gives a text's width in px.
pub fn candidates(
    m: &MapModel,
    view: &Viewport,
    lang: Lang,
    measure: &mut dyn FnMut(&str) -> f64,
) -> (Vec<Candidate>, Vec<StreetName>) {
    if view.scale < NAMES_FROM[0] {
        return (Vec::new(), Vec::new());
    }
    let world = view.world_bounds();
    let origin = m.base.origin;
    // (rank, run length px, name, centre, angle)
    let mut runs: Vec<(u8, f64, String, Coord<f64>, f64)> = Vec::new();
    for s in m.base.in_rect(world) {
        if s.kind != BaseKind::Road {
            continue;
        }
        let (Some(class), Some(name)) = (s.class, s.name.as_ref()) else {
            continue;
        };
        let rank = class.rank();
        if view.scale < NAMES_FROM[usize::from(rank.min(4))]
            || street_strength(rank, view.scale) < 1.0
        {
            continue;
        }
        if let Some(fade) = m.street_fade
            && (s.bbox.center().x - fade.0.x).hypot(s.bbox.center().y - fade.0.y) > fade.1 * 0.8
        {
            // Where the streets fade out, their names would float over nothing.
            continue;
        }
        let Some((at, angle, len)) = longest_run(view, origin, &s.parts) else {
            continue;
        };
        let text = name.get(lang).to_string();
        if text.trim().is_empty() {
            continue;
        }
        runs.push((rank, len, text, at, angle));
    }
    runs.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let mut cands = Vec::new();
    let mut names = Vec::new();
    for (_, len, text, at, angle) in runs {
        if cands.len() >= MAX_OFFERED {
            break;
        }
        let w = measure(&text) + 2.0 * NAME_PAD;
        if w > len {
            continue;
        }
        // The box the rotated text covers, upright.
        let (sin, cos) = angle.to_radians().sin_cos();
        let size = LabelSize {
            width: w * cos.abs() + NAME_HEIGHT * sin.abs(),
            height: w * sin.abs() + NAME_HEIGHT * cos.abs(),
        };
        cands.push(Candidate {
            index: names.len(),
            center: at,
            size,
        });
        names.push(StreetName {
            text,
            x: at.x.round(),
            y: at.y.round(),
            angle: (angle * 10.0).round() / 10.0,
        });
    }
    (cands, names)
}

/// The longest nearly straight run of `parts` (base layer coordinates) whose middle is on
/// screen: its middle (px), its direction (degrees clockwise, between -90 and 90, so text
/// along it reads upright) and its length on screen (px).
fn longest_run(
    view: &Viewport,
    origin: Coord<f64>,
    parts: &[Vec<f32>],
) -> Option<(Coord<f64>, f64, f64)> {
    let screen = |xy: &[f32]| {
        view.to_screen(Coord {
            x: origin.x + f64::from(xy[0]),
            y: origin.y + f64::from(xy[1]),
        })
    };
    let margin = 24.0;
    let on_screen = |c: Coord<f64>| {
        c.x >= margin && c.y >= margin && c.x <= view.width - margin && c.y <= view.height - margin
    };
    let mut best: Option<(Coord<f64>, f64, f64)> = None;
    for part in parts {
        let pts: Vec<Coord<f64>> = part.chunks_exact(2).map(screen).collect();
        let mut start = 0;
        while start + 1 < pts.len() {
            // Extend the run while the direction stays within about 12° of its first segment.
            let dir = (pts[start + 1].y - pts[start].y).atan2(pts[start + 1].x - pts[start].x);
            let mut end = start + 1;
            while end + 1 < pts.len() {
                let d = (pts[end + 1].y - pts[end].y).atan2(pts[end + 1].x - pts[end].x);
                let turn = (d - dir + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
                    - std::f64::consts::PI;
                if turn.abs() > 0.21 {
                    break;
                }
                end += 1;
            }
            let (a, b) = (pts[start], pts[end]);
            let len = (b.x - a.x).hypot(b.y - a.y);
            let mid = Coord {
                x: (a.x + b.x) / 2.0,
                y: (a.y + b.y) / 2.0,
            };
            if on_screen(mid) && best.is_none_or(|(_, _, l)| len > l) {
                let mut deg = (b.y - a.y).atan2(b.x - a.x).to_degrees();
                if deg > 90.0 {
                    deg -= 180.0;
                } else if deg <= -90.0 {
                    deg += 180.0;
                }
                best = Some((mid, deg, len));
            }
            start = end;
        }
    }
    best
}
