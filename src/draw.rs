//! The map's drawing: what is prepared once from the exhibit ([`MapModel`]) and the Canvas 2D
//! calls that paint one frame from it. Geometry comes ready from `lilong_core::geometry`;
//! this module only walks its flat coordinates.

use lilong_core::basemap::{BaseKind, BaseLayer};
use lilong_core::geo::{Coord, Rect};
use lilong_core::geometry::{Scene, Viewport, project};
use lilong_core::model::{Boundary, Exhibit};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

use web_sys::{CanvasRenderingContext2d, CanvasWindingRule, Path2d};

/// Calm, distinct fills for subdistricts (colour-blind-safe order, muted for a paper map).
pub const SUBDISTRICT_COLOURS: [&str; 8] = [
    "#c0614a", "#2f7f86", "#b88a2e", "#5b6fb0", "#8a5a8f", "#4f8a4a", "#a8556f", "#6b7a3a",
];

const PAPER: &str = "#f3eee4";
const DISTRICT_FILL: &str = "#e8e0d0";
const DISTRICT_LINE: &str = "#b9ab94";
const INK: &str = "#2a2119";
const MUTED: &str = "#cfc6b6";

/// Everything the map draws, prepared once at load.
pub struct MapModel {
    pub areas: Scene,
    /// Area ids, in scene order.
    pub area_ids: Vec<String>,
    /// Subdistrict colour of each area.
    pub area_colour: Vec<&'static str>,
    /// Colour of the theme of each area's first project, when it has one.
    pub theme_colour: Vec<Option<String>>,
    pub schematic: Vec<bool>,
    pub districts: Scene,
    pub district_ids: Vec<String>,
    /// Places in world coordinates, with their ids and area index.
    pub places: Vec<(String, Coord<f64>, Option<usize>)>,
    /// The exhibit's home view (world).
    pub home: Rect<f64>,
    /// What the view may show at most: the districts, or the areas without them (world).
    pub extent: Rect<f64>,
    /// Each area's and district's `Path2D` per band, built on first draw.
    pub area_paths: PathCache,
    pub district_paths: PathCache,
    /// Scene index of each area id.
    area_index: HashMap<String, usize>,
    /// The base map: water and streets under the areas (chapter plates and story covers
    /// draw it too).
    pub base: BaseLayer,
    /// Each base shape's `Path2D` (relative to `base.origin`), built on first draw.
    base_paths: RefCell<Vec<Option<Path2d>>>,
    /// Where the streets of the extract thin out: the centre of their extent (world) and the
    /// radius (m) from which they fade to nothing at the extract's edge.
    pub street_fade: Option<(Coord<f64>, f64)>,
}

impl MapModel {
    /// Prepares the map of `e` with its areas' and districts' scenes already made (in the
    /// order of `e.areas` and `e.districts`), as a checked exhibit holds them.
    pub fn new(e: &Exhibit, areas: Scene, districts: Scene, base: BaseLayer) -> MapModel {
        let area_ids: Vec<String> = e.areas.iter().map(|a| a.id.clone()).collect();
        // Lookups by id through hash maps: at city scale (6,509 areas, 1,600 projects) a linear
        // search per area costs tens of milliseconds before the first frame.
        let area_index: HashMap<String, usize> = area_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let subdistrict_order: HashMap<&str, usize> = e
            .subdistricts
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let area_colour = e
            .areas
            .iter()
            .map(|a| {
                let i = subdistrict_order
                    .get(a.subdistrict.as_str())
                    .copied()
                    .unwrap_or(0);
                SUBDISTRICT_COLOURS[i % SUBDISTRICT_COLOURS.len()]
            })
            .collect();
        let mut theme_colour: Vec<Option<String>> = vec![None; e.areas.len()];
        for p in &e.projects {
            if let Some(&i) = area_index.get(&p.area)
                && theme_colour[i].is_none()
            {
                theme_colour[i] = e.theme(&p.theme).map(|t| t.color.clone());
            }
        }
        let schematic = e
            .areas
            .iter()
            .map(|a| a.boundary == Boundary::Schematic)
            .collect();
        let places = e
            .places
            .iter()
            .map(|p| {
                let w = project(p.point.0);
                (p.id.clone(), w, area_index.get(&p.area).copied())
            })
            .collect();
        let [w, s, east, n] = e.settings.view.bounds;
        let home = Rect::new(
            project(Coord { x: w, y: s }),
            project(Coord { x: east, y: n }),
        );
        let extent = districts.bounds().or(areas.bounds()).unwrap_or(home);
        MapModel {
            areas,
            area_ids,
            area_colour,
            theme_colour,
            schematic,
            districts,
            district_ids: e.districts.iter().map(|d| d.id.clone()).collect(),
            places,
            home,
            extent,
            area_paths: PathCache::default(),
            district_paths: PathCache::default(),
            area_index,
            base_paths: RefCell::new(vec![None; base.shapes.len()]),
            street_fade: street_fade(&base),
            base,
        }
    }

    /// The `Path2D` of base shape `i`, in metres from the base layer's origin.
    fn base_path(&self, i: usize) -> Option<Path2d> {
        let mut cache = self.base_paths.borrow_mut();
        if let Some(p) = cache.get(i)?.as_ref() {
            return Some(p.clone());
        }
        let shape = self.base.shapes.get(i)?;
        let path = Path2d::new().ok()?;
        for part in &shape.parts {
            let mut pts = part.chunks_exact(2);
            let Some(first) = pts.next() else { continue };
            path.move_to(f64::from(first[0]), f64::from(first[1]));
            for xy in pts {
                path.line_to(f64::from(xy[0]), f64::from(xy[1]));
            }
            if shape.kind == BaseKind::Water {
                path.close_path();
            }
        }
        cache[i] = Some(path.clone());
        Some(path)
    }

    pub fn area_index(&self, id: &str) -> Option<usize> {
        self.area_index.get(id).copied()
    }
}

/// What one frame shows besides the geometry.
pub struct Frame<'a> {
    pub view: Viewport,
    pub dpr: f64,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    /// Areas shown at full strength (the others are muted by the filters).
    pub active: &'a [bool],
    pub by_theme: bool,
}

/// `Path2D`s built once per polygon and band (from the core's SVG path data) and reused at every
/// redraw: a frame then costs a few calls per visible polygon instead of one per vertex.
#[derive(Default)]
pub struct PathCache {
    /// `[band][polygon]`, filled on first use.
    bands: RefCell<Vec<Vec<Option<Path2d>>>>,
}

impl PathCache {
    fn get(&self, scene: &Scene, band: usize, i: usize) -> Option<Path2d> {
        let mut bands = self.bands.borrow_mut();
        if bands.len() <= band {
            bands.resize_with(band + 1, Vec::new);
        }
        let slot = &mut bands[band];
        if slot.len() < scene.len() {
            slot.resize(scene.len(), None);
        }
        if let Some(p) = slot.get(i).and_then(|p| p.as_ref()) {
            return Some(p.clone());
        }
        let mut d = String::new();
        scene.lod().write_svg_path(band, i, &mut d);
        let p = Path2d::new_with_path_string(&d).ok()?;
        if let Some(s) = slot.get_mut(i) {
            *s = Some(p.clone());
        }
        Some(p)
    }
}

/// Sets the world transform of `scene` and returns the factor from user units to screen pixels.
fn set_world(ctx: &CanvasRenderingContext2d, scene: &Scene, f: &Frame) -> f64 {
    let [a, b, c, d, e, g] = f.view.canvas_transform(scene.lod().origin());
    let k = f.dpr;
    let _ = ctx.set_transform(a * k, b * k, c * k, d * k, e * k, g * k);
    f.view.scale.max(1e-12)
}

fn set_screen(ctx: &CanvasRenderingContext2d, f: &Frame) {
    let _ = ctx.set_transform(f.dpr, 0.0, 0.0, f.dpr, 0.0, 0.0);
}

/// One batch of areas painted with a single fill and a single stroke.
struct Batch {
    colour: &'static str,
    owned_colour: Option<String>,
    alpha: f64,
    path: Path2d,
}

/// Fill strength of an area, and of the selection and the hovered area on the layer above
/// (painted over the base fill, so together they read as a 0.62 fill).
const FILL: f64 = 0.42;
const MUTED_FILL: f64 = 0.3;
const HIGHLIGHT_FILL: f64 = 0.345;

/// Time (ms) a slice of painting may take before the rest waits for the next frame.
const SLICE_MS: f64 = 8.0;

/// One layer of the base picture. A [`Job`] paints its layers in order, bottom first.
pub enum Layer {
    /// The paper under everything.
    Paper,
    /// The districts: a quiet base, all at once.
    Districts,
    /// The base map's water (rivers, creeks): all at once.
    Water,
    /// The base map's streets in view, one class rank at a time, lanes first so main roads
    /// lie on top; each rank only from the zoom at which it shows.
    Streets { ranks: Vec<u8> },
    /// The areas in view, a chunk at a time (each chunk batched by colour and strength into
    /// one combined path per batch). Areas whose outline is schematic are left to `Halos`.
    Areas {
        visible: Vec<usize>,
        band: usize,
        next: usize,
        /// Areas per chunk, adapted so a chunk takes about a quarter of a slice.
        chunk: usize,
    },
    /// Soft halos for the areas in view whose boundary is only an approximate location, a
    /// chunk at a time.
    Halos {
        visible: Vec<usize>,
        next: usize,
        chunk: usize,
    },
}

impl Layer {
    /// The street ranks that show at `view`'s zoom, least important first.
    pub fn streets(view: Viewport) -> Layer {
        Layer::Streets {
            ranks: (0..5u8)
                .rev()
                .filter(|&r| street_strength(r, view.scale) > 0.0)
                .collect(),
        }
    }

    /// The schematic areas of `m` that `view` shows.
    pub fn halos(m: &MapModel, view: Viewport) -> Layer {
        Layer::Halos {
            visible: m
                .areas
                .visible(&view)
                .into_iter()
                .filter(|&i| m.schematic.get(i).copied().unwrap_or(false))
                .collect(),
            next: 0,
            chunk: 60,
        }
    }

    /// The areas of `m` that `view` shows.
    pub fn areas(m: &MapModel, view: Viewport) -> Layer {
        Layer::Areas {
            visible: m.areas.visible(&view),
            band: m.areas.band_for(view.scale),
            next: 0,
            chunk: 30,
        }
    }

    /// Paints the next part of the layer (the whole of it, or one chunk). Returns whether
    /// the layer is complete, and whether anything was painted.
    fn paint_part(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        m: &MapModel,
        f: &Frame,
    ) -> (bool, bool) {
        match self {
            Layer::Paper => {
                paint_paper(ctx, f);
                (true, true)
            }
            Layer::Districts => {
                paint_districts(ctx, m, f);
                (true, true)
            }
            Layer::Water => (true, paint_water(ctx, m, f)),
            Layer::Streets { ranks } => {
                // Least important first, so main roads lie on top.
                if ranks.is_empty() {
                    return (true, false);
                }
                let r = ranks.remove(0);
                let painted = paint_streets(ctx, m, f, r);
                (ranks.is_empty(), painted)
            }
            Layer::Halos {
                visible,
                next,
                chunk,
            } => {
                if *next >= visible.len() {
                    return (true, false);
                }
                let end = (*next + *chunk).min(visible.len());
                paint_halos(ctx, m, f, &visible[*next..end]);
                *next = end;
                (*next >= visible.len(), true)
            }
            Layer::Areas {
                visible,
                band,
                next,
                chunk,
            } => {
                if *next >= visible.len() {
                    return (true, false);
                }
                let end = (*next + *chunk).min(visible.len());
                paint_areas(ctx, m, f, &visible[*next..end], *band);
                *next = end;
                (*next >= visible.len(), true)
            }
        }
    }

    /// The last part painted took `took` ms (rasterised): a layer painted in chunks keeps
    /// each chunk near a quarter of the slice, whatever the machine.
    fn took(&mut self, took: f64) {
        if let Layer::Areas { chunk, .. } | Layer::Halos { chunk, .. } = self {
            *chunk = ((*chunk as f64 * (SLICE_MS / 4.0) / took.max(0.25)) as usize).clamp(8, 4000);
        }
    }
}

/// The base picture of one view painted in slices across animation frames, so the redraw
/// after a gesture never holds a frame for long: its layers in order, each whole or a chunk
/// at a time, into a canvas off screen that is shown once complete.
pub struct Job {
    pub view: Viewport,
    pub dpr: f64,
    active: Vec<bool>,
    by_theme: bool,
    layers: Vec<Layer>,
    /// The layer being painted.
    at: usize,
}

impl Job {
    pub fn new(
        layers: Vec<Layer>,
        view: Viewport,
        dpr: f64,
        active: Vec<bool>,
        by_theme: bool,
    ) -> Job {
        Job {
            view,
            dpr,
            active,
            by_theme,
            layers,
            at: 0,
        }
    }

    fn frame(&self) -> Frame<'_> {
        Frame {
            view: self.view,
            dpr: self.dpr,
            selected: None,
            hovered: None,
            active: &self.active,
            by_theme: self.by_theme,
        }
    }

    /// Paints on until the job is done or `budget` ms have passed (at least one part).
    /// Returns whether the job is complete.
    pub fn run(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        m: &MapModel,
        budget: f64,
        now: &dyn Fn() -> f64,
    ) -> bool {
        let t0 = now();
        while self.at < self.layers.len() {
            let f = Frame {
                view: self.view,
                dpr: self.dpr,
                selected: None,
                hovered: None,
                active: &self.active,
                by_theme: self.by_theme,
            };
            let t = now();
            let layer = &mut self.layers[self.at];
            let (complete, painted) = layer.paint_part(ctx, m, &f);
            // The browser records canvas calls and rasterises them later, all at once, when the
            // picture is first used; reading a pixel makes it rasterise this part now, inside
            // the slice, so the cost is spread over the frames and showing the picture is a copy.
            if painted && budget.is_finite() {
                let _ = ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
            }
            layer.took(now() - t);
            if complete {
                self.at += 1;
            }
            if painted && now() - t0 >= budget {
                break;
            }
        }
        let done = self.at >= self.layers.len();
        if done {
            set_screen(ctx, &self.frame());
        }
        done
    }
}

/// The slice budget (ms) for painting while an older picture of the map is on screen.
pub fn slice_budget() -> f64 {
    SLICE_MS
}

/// The paper under everything.
fn paint_paper(ctx: &CanvasRenderingContext2d, f: &Frame) {
    set_screen(ctx, f);
    ctx.set_global_alpha(1.0);
    ctx.set_fill_style_str(PAPER);
    ctx.fill_rect(0.0, 0.0, f.view.width, f.view.height);
}

/// The districts in view: a quiet base.
fn paint_districts(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame) {
    let band = m.districts.band_for(f.view.scale);
    if let Ok(all) = Path2d::new() {
        for i in m.districts.visible(&f.view) {
            if let Some(p) = m.district_paths.get(&m.districts, band, i) {
                all.add_path(&p);
            }
        }
        let px = set_world(ctx, &m.districts, f);
        ctx.set_fill_style_str(DISTRICT_FILL);
        ctx.fill_with_path_2d_and_winding(&all, CanvasWindingRule::Evenodd);
        ctx.set_stroke_style_str(DISTRICT_LINE);
        ctx.set_line_width(1.2 / px);
        ctx.stroke_with_path(&all);
    }
}

/// The colour of area `i` in frame `f`.
fn colour_of<'a>(m: &'a MapModel, f: &Frame, i: usize) -> (&'static str, Option<&'a str>) {
    let active = f.active.get(i).copied().unwrap_or(true);
    if !active {
        (MUTED, None)
    } else if f.by_theme {
        match m.theme_colour.get(i).and_then(|c| c.as_deref()) {
            Some(c) => ("", Some(c)),
            None => (MUTED, None),
        }
    } else {
        (m.area_colour.get(i).copied().unwrap_or(MUTED), None)
    }
}

/// Paints the areas listed, batched by colour, strength and line style.
fn paint_areas(
    ctx: &CanvasRenderingContext2d,
    m: &MapModel,
    f: &Frame,
    areas: &[usize],
    band: usize,
) {
    let mut batches: Vec<Batch> = Vec::new();
    for &i in areas {
        // An approximate location is a halo (see `paint_halos`), never a crisp outline.
        if m.schematic.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Some(p) = m.area_paths.get(&m.areas, band, i) else {
            continue;
        };
        let active = f.active.get(i).copied().unwrap_or(true);
        let (colour, owned) = colour_of(m, f, i);
        let alpha = if active { FILL } else { MUTED_FILL };
        let found = batches.iter().position(|b| {
            b.colour == colour && b.owned_colour.as_deref() == owned && b.alpha == alpha
        });
        let b = match found {
            Some(k) => &batches[k],
            None => {
                let Ok(path) = Path2d::new() else { continue };
                batches.push(Batch {
                    colour,
                    owned_colour: owned.map(String::from),
                    alpha,
                    path,
                });
                &batches[batches.len() - 1]
            }
        };
        b.path.add_path(&p);
    }
    let px = set_world(ctx, &m.areas, f);
    ctx.set_line_width(1.6 / px);
    for b in &batches {
        let colour = b.owned_colour.as_deref().unwrap_or(b.colour);
        ctx.set_fill_style_str(colour);
        ctx.set_global_alpha(b.alpha);
        ctx.fill_with_path_2d_and_winding(&b.path, CanvasWindingRule::Evenodd);
        ctx.set_global_alpha(1.0);
        ctx.set_stroke_style_str(colour);
        ctx.stroke_with_path(&b.path);
    }
}

/// Paints the highlight layer: the hovered and selected areas, stronger and outlined in ink,
/// on a transparent canvas over the base (so hover and selection never repaint the base).
pub fn paint_highlight(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame) {
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let cv = ctx.canvas();
    if let Some(cv) = cv {
        ctx.clear_rect(0.0, 0.0, cv.width() as f64, cv.height() as f64);
    }
    let band = m.areas.band_for(f.view.scale);
    let px = set_world(ctx, &m.areas, f);
    let solid = js_sys::Array::new();
    for (i, width) in [(f.hovered, 2.0), (f.selected, 3.5)] {
        let Some(i) = i else { continue };
        if m.schematic.get(i).copied().unwrap_or(false) {
            let (colour, owned) = colour_of(m, f, i);
            if let Some((c, r)) = halo_at(m, f, i) {
                paint_halo(ctx, f, owned.unwrap_or(colour), c, r * 1.15, 0.75);
                set_screen(ctx, f);
                ctx.set_stroke_style_str(INK);
                ctx.set_line_width(width * 0.5);
                let dash = js_sys::Array::of2(&JsValue::from(4.0), &JsValue::from(4.0));
                let _ = ctx.set_line_dash(&dash);
                ctx.begin_path();
                let _ = ctx.arc(c.x, c.y, r * 0.75, 0.0, std::f64::consts::TAU);
                ctx.stroke();
                let _ = ctx.set_line_dash(&solid);
            }
            set_world(ctx, &m.areas, f);
            continue;
        }
        let Some(p) = m.area_paths.get(&m.areas, band, i) else {
            continue;
        };
        let (colour, owned) = colour_of(m, f, i);
        ctx.set_fill_style_str(owned.unwrap_or(colour));
        ctx.set_global_alpha(HIGHLIGHT_FILL);
        ctx.fill_with_path_2d_and_winding(&p, CanvasWindingRule::Evenodd);
        ctx.set_global_alpha(1.0);
        let _ = ctx.set_line_dash(&solid);
        ctx.set_stroke_style_str(INK);
        ctx.set_line_width(width / px);
        ctx.stroke_with_path(&p);
    }
    set_screen(ctx, f);
}

// ---------------------------------------------------------------------------------------------
// The base map: water, streets, and halos for approximate locations
// ---------------------------------------------------------------------------------------------

const WATER: &str = "#9fc4dd";
const WATER_EDGE: &str = "#7eabc9";

/// Streets: a pale fill over a slightly darker casing, quiet under the areas. Colours as
/// `r, g, b` so the fade at the extract's edge can run them to transparent.
const STREET: (u8, u8, u8) = (255, 253, 247);
const STREET_MAIN: (u8, u8, u8) = (253, 244, 222);
const CASING: (u8, u8, u8) = (201, 189, 168);

/// Real widths (m) by class rank (0 motorway/trunk … 4 lanes), and the least and most they
/// take on screen (px).
const STREET_M: [f64; 5] = [30.0, 24.0, 18.0, 13.0, 8.0];
const STREET_MIN_PX: [f64; 5] = [2.2, 1.8, 1.3, 1.0, 0.8];
const STREET_MAX_PX: [f64; 5] = [16.0, 13.0, 11.0, 9.0, 7.0];
/// The zoom (px per world metre) from which each rank shows; it fades in up to twice that.
const STREET_FROM: [f64; 5] = [0.0, 0.0, 0.07, 0.22, 0.5];

/// How strongly streets of `rank` show at `scale` (0: not at all).
pub fn street_strength(rank: u8, scale: f64) -> f64 {
    let from = STREET_FROM[usize::from(rank.min(4))];
    if from <= 0.0 {
        1.0
    } else {
        ((scale - from) / from).clamp(0.0, 1.0)
    }
}

/// Where the streets fade out: the centre of the roads' extent and the radius (world metres)
/// of the largest circle inside it (the extract covers a disc around People's Square).
fn street_fade(base: &BaseLayer) -> Option<(Coord<f64>, f64)> {
    let mut roads = base
        .shapes
        .iter()
        .filter(|s| s.kind == BaseKind::Road)
        .map(|s| s.bbox);
    let first = roads.next()?;
    let b = roads.fold(first, |a, b| {
        Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    });
    Some((b.center(), b.width().min(b.height()) / 2.0))
}

/// A stroke style of `rgb` at `alpha` that fades to nothing towards the edge of the streets'
/// extent (in the base layer's coordinates, metres from its origin).
fn faded(
    ctx: &CanvasRenderingContext2d,
    m: &MapModel,
    (r, g, b): (u8, u8, u8),
    alpha: f64,
) -> Option<web_sys::CanvasGradient> {
    let (c, radius) = m.street_fade?;
    let (x, y) = (c.x - m.base.origin.x, c.y - m.base.origin.y);
    let grad = ctx.create_radial_gradient(x, y, 0.0, x, y, radius).ok()?;
    let _ = grad.add_color_stop(0.0, &format!("rgba({r},{g},{b},{alpha})"));
    let _ = grad.add_color_stop(0.72, &format!("rgba({r},{g},{b},{alpha})"));
    let _ = grad.add_color_stop(0.97, &format!("rgba({r},{g},{b},0)"));
    let _ = grad.add_color_stop(1.0, &format!("rgba({r},{g},{b},0)"));
    Some(grad)
}

/// Sets the transform from the base layer's coordinates to the canvas; returns px per metre.
fn set_base(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame) -> f64 {
    let [a, b, c, d, e, g] = f.view.canvas_transform(m.base.origin);
    let k = f.dpr;
    let _ = ctx.set_transform(a * k, b * k, c * k, d * k, e * k, g * k);
    f.view.scale.max(1e-12)
}

/// The water in view, each shape filled with the even-odd rule (islands stay land). Returns
/// whether there was any.
fn paint_water(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame) -> bool {
    let world = f.view.world_bounds();
    let shapes: Vec<usize> = (0..m.base.shapes.len())
        .filter(|&i| {
            let s = &m.base.shapes[i];
            s.kind == BaseKind::Water && meets(s.bbox, world)
        })
        .collect();
    if shapes.is_empty() {
        return false;
    }
    let px = set_base(ctx, m, f);
    ctx.set_global_alpha(1.0);
    ctx.set_fill_style_str(WATER);
    ctx.set_stroke_style_str(WATER_EDGE);
    ctx.set_line_width(0.8 / px);
    for i in shapes {
        if let Some(p) = m.base_path(i) {
            ctx.fill_with_path_2d_and_winding(&p, CanvasWindingRule::Evenodd);
            ctx.stroke_with_path(&p);
        }
    }
    set_screen(ctx, f);
    true
}

fn meets(a: Rect<f64>, b: Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && a.max().x >= b.min().x
        && a.min().y <= b.max().y
        && a.max().y >= b.min().y
}

/// The streets of class `rank` in view: casing, then fill, fading out at the extract's edge.
fn paint_streets(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame, rank: u8) -> bool {
    let strength = street_strength(rank, f.view.scale);
    if strength <= 0.0 {
        return false;
    }
    let Ok(all) = Path2d::new() else { return false };
    let mut any = false;
    for (i, s) in m.base.shapes.iter().enumerate() {
        if s.kind != BaseKind::Road
            || s.class.map(|c| c.rank()) != Some(rank)
            || !meets(s.bbox, f.view.world_bounds())
        {
            continue;
        }
        if let Some(p) = m.base_path(i) {
            all.add_path(&p);
            any = true;
        }
    }
    if !any {
        return false;
    }
    let px = set_base(ctx, m, f);
    let k = usize::from(rank.min(4));
    let width = (STREET_M[k] * f.view.scale).clamp(STREET_MIN_PX[k], STREET_MAX_PX[k]);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let fill = if rank <= 1 { STREET_MAIN } else { STREET };
    // A casing only where the street is wide enough for one to read.
    if width >= 2.0 {
        match faded(ctx, m, CASING, strength) {
            Some(g) => ctx.set_stroke_style_canvas_gradient(&g),
            None => ctx.set_stroke_style_str(&format!("rgb{CASING:?}")),
        }
        ctx.set_line_width((width + 1.6) / px);
        ctx.stroke_with_path(&all);
    }
    match faded(ctx, m, if width >= 2.0 { fill } else { CASING }, strength) {
        Some(g) => ctx.set_stroke_style_canvas_gradient(&g),
        None => ctx.set_stroke_style_str(&format!("rgb{fill:?}")),
    }
    ctx.set_line_width(width / px);
    ctx.stroke_with_path(&all);
    set_screen(ctx, f);
    true
}

/// Where area `i`'s halo goes on screen and its radius (px): around the centre of its
/// approximate outline, sized modestly.
fn halo_at(m: &MapModel, f: &Frame, i: usize) -> Option<(Coord<f64>, f64)> {
    let b = m.areas.bbox(i)?;
    let c = f.view.to_screen(b.center());
    let r = (b.width().max(b.height()) / 2.0 * f.view.scale * 1.1).clamp(14.0, 70.0);
    Some((c, r))
}

/// A soft, borderless disc of `colour` at `c` (screen px) of radius `r`, strongest at the
/// centre.
fn paint_halo(
    ctx: &CanvasRenderingContext2d,
    f: &Frame,
    colour: &str,
    c: Coord<f64>,
    r: f64,
    alpha: f64,
) {
    let k = f.dpr;
    let _ = ctx.set_transform(r * k, 0.0, 0.0, r * k, c.x * k, c.y * k);
    if let Ok(g) = ctx.create_radial_gradient(0.0, 0.0, 0.0, 0.0, 0.0, 1.0) {
        let _ = g.add_color_stop(0.0, colour);
        let _ = g.add_color_stop(0.45, colour);
        // The same colour, transparent (a gradient to transparent white would pale the rim).
        let clear = match colour.len() {
            7 if colour.starts_with('#') => format!("{colour}00"),
            _ => "rgba(0,0,0,0)".to_string(),
        };
        let _ = g.add_color_stop(1.0, &clear);
        ctx.set_fill_style_canvas_gradient(&g);
    }
    ctx.set_global_alpha(alpha);
    ctx.begin_path();
    let _ = ctx.arc(0.0, 0.0, 1.0, 0.0, std::f64::consts::TAU);
    ctx.fill();
    ctx.set_global_alpha(1.0);
}

/// Halos for the schematic areas listed.
fn paint_halos(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame, areas: &[usize]) {
    for &i in areas {
        let active = f.active.get(i).copied().unwrap_or(true);
        let (colour, owned) = colour_of(m, f, i);
        if let Some((c, r)) = halo_at(m, f, i) {
            let alpha = if active { 0.5 } else { 0.35 };
            paint_halo(ctx, f, owned.unwrap_or(colour), c, r, alpha);
        }
    }
    set_screen(ctx, f);
}
