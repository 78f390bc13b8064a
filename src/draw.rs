//! The map's drawing: what is prepared once from the exhibit ([`MapModel`]) and the Canvas 2D
//! calls that paint one frame from it. Geometry comes ready from `lilong_core::geometry`;
//! this module only walks its flat coordinates.

use lilong_core::basemap::BaseLayer;
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
    /// The base map: water and streets (chapter plates and story covers draw it).
    pub base: BaseLayer,
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
            base,
        }
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

/// Areas smaller than this on screen (px) are outlined solid even when schematic: a dash
/// pattern on a speck costs time and shows nothing.
const DASH_MIN_PX: f64 = 40.0;

/// One batch of areas painted with a single fill and a single stroke.
struct Batch {
    colour: &'static str,
    owned_colour: Option<String>,
    alpha: f64,
    dashed: bool,
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
    /// The areas in view, a chunk at a time (each chunk batched by colour, strength and
    /// line style into one combined path per batch).
    Areas {
        visible: Vec<usize>,
        band: usize,
        next: usize,
        /// Areas per chunk, adapted so a chunk takes about a quarter of a slice.
        chunk: usize,
    },
}

impl Layer {
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
        if let Layer::Areas { chunk, .. } = self {
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
        let Some(p) = m.area_paths.get(&m.areas, band, i) else {
            continue;
        };
        let active = f.active.get(i).copied().unwrap_or(true);
        let (colour, owned) = colour_of(m, f, i);
        let alpha = if active { FILL } else { MUTED_FILL };
        let big = m
            .areas
            .bbox(i)
            .is_some_and(|b| b.width().max(b.height()) * f.view.scale >= DASH_MIN_PX);
        let dashed = big && m.schematic.get(i).copied().unwrap_or(false);
        let found = batches.iter().position(|b| {
            b.colour == colour
                && b.owned_colour.as_deref() == owned
                && b.alpha == alpha
                && b.dashed == dashed
        });
        let b = match found {
            Some(k) => &batches[k],
            None => {
                let Ok(path) = Path2d::new() else { continue };
                batches.push(Batch {
                    colour,
                    owned_colour: owned.map(String::from),
                    alpha,
                    dashed,
                    path,
                });
                &batches[batches.len() - 1]
            }
        };
        b.path.add_path(&p);
    }
    let px = set_world(ctx, &m.areas, f);
    let dash = js_sys::Array::of2(&JsValue::from(5.0 / px), &JsValue::from(4.0 / px));
    let solid = js_sys::Array::new();
    ctx.set_line_width(1.6 / px);
    for b in &batches {
        let colour = b.owned_colour.as_deref().unwrap_or(b.colour);
        ctx.set_fill_style_str(colour);
        ctx.set_global_alpha(b.alpha);
        ctx.fill_with_path_2d_and_winding(&b.path, CanvasWindingRule::Evenodd);
        ctx.set_global_alpha(1.0);
        let _ = ctx.set_line_dash(if b.dashed { &dash } else { &solid });
        ctx.set_stroke_style_str(colour);
        ctx.stroke_with_path(&b.path);
    }
    let _ = ctx.set_line_dash(&solid);
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
