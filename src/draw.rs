//! The map's drawing: what is prepared once from the exhibit ([`MapModel`]) and the Canvas 2D
//! calls that paint one frame from it. Geometry comes ready from `lilong_core::geometry`;
//! this module only walks its flat coordinates.

use lilong_core::geo::{Coord, MultiPolygon, Rect};
use lilong_core::geometry::{Scene, Viewport, project};
use lilong_core::model::{Boundary, Exhibit};
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, CanvasWindingRule};

/// Calm, distinct fills for subdistricts (colour-blind-safe order, muted for a paper map).
pub const SUBDISTRICT_COLOURS: [&str; 8] =
    ["#c0614a", "#2f7f86", "#b88a2e", "#5b6fb0", "#8a5a8f", "#4f8a4a", "#a8556f", "#6b7a3a"];

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
}

impl MapModel {
    pub fn new(e: &Exhibit) -> MapModel {
        let polys: Vec<MultiPolygon<f64>> = e.areas.iter().map(|a| a.geometry.clone()).collect();
        let areas = Scene::new(&polys);
        let dpolys: Vec<MultiPolygon<f64>> = e.districts.iter().map(|d| d.geometry.clone()).collect();
        let districts = Scene::new(&dpolys);
        let area_ids: Vec<String> = e.areas.iter().map(|a| a.id.clone()).collect();
        let subdistrict_order: Vec<&str> = e.subdistricts.iter().map(|s| s.id.as_str()).collect();
        let area_colour = e
            .areas
            .iter()
            .map(|a| {
                let i = subdistrict_order.iter().position(|s| *s == a.subdistrict).unwrap_or(0);
                SUBDISTRICT_COLOURS[i % SUBDISTRICT_COLOURS.len()]
            })
            .collect();
        let theme_colour = e
            .areas
            .iter()
            .map(|a| {
                e.projects_in_area(&a.id)
                    .next()
                    .and_then(|p| e.theme(&p.theme))
                    .map(|t| t.color.clone())
            })
            .collect();
        let schematic = e.areas.iter().map(|a| a.boundary == Boundary::Schematic).collect();
        let places = e
            .places
            .iter()
            .map(|p| {
                let w = project(p.point.0);
                (p.id.clone(), w, area_ids.iter().position(|id| *id == p.area))
            })
            .collect();
        let [w, s, east, n] = e.settings.view.bounds;
        let home = Rect::new(project(Coord { x: w, y: s }), project(Coord { x: east, y: n }));
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
        }
    }

    pub fn area_index(&self, id: &str) -> Option<usize> {
        self.area_ids.iter().position(|a| a == id)
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

fn trace(ctx: &CanvasRenderingContext2d, scene: &Scene, band: usize, i: usize) {
    for ring in scene.lod().rings(band, i) {
        let mut pts = ring.chunks_exact(2);
        if let Some(first) = pts.next() {
            ctx.move_to(first[0] as f64, first[1] as f64);
            for p in pts {
                ctx.line_to(p[0] as f64, p[1] as f64);
            }
            ctx.close_path();
        }
    }
}

fn set_world(ctx: &CanvasRenderingContext2d, scene: &Scene, f: &Frame) {
    let [a, b, c, d, e, g] = f.view.canvas_transform(scene.lod().origin());
    let k = f.dpr;
    let _ = ctx.set_transform(a * k, b * k, c * k, d * k, e * k, g * k);
}

fn set_screen(ctx: &CanvasRenderingContext2d, f: &Frame) {
    let _ = ctx.set_transform(f.dpr, 0.0, 0.0, f.dpr, 0.0, 0.0);
}

/// Paints one frame: paper, district outlines, residential areas, selection.
pub fn paint(ctx: &CanvasRenderingContext2d, m: &MapModel, f: &Frame) {
    set_screen(ctx, f);
    ctx.set_fill_style_str(PAPER);
    ctx.fill_rect(0.0, 0.0, f.view.width, f.view.height);

    // Districts: a quiet base.
    let band = m.districts.band_for(f.view.scale);
    ctx.begin_path();
    set_world(ctx, &m.districts, f);
    for i in m.districts.visible(&f.view) {
        trace(ctx, &m.districts, band, i);
    }
    set_screen(ctx, f);
    ctx.set_fill_style_str(DISTRICT_FILL);
    ctx.fill_with_canvas_winding_rule(CanvasWindingRule::Evenodd);
    ctx.set_stroke_style_str(DISTRICT_LINE);
    ctx.set_line_width(1.2);
    ctx.stroke();

    // Residential areas.
    let band = m.areas.band_for(f.view.scale);
    let dash = js_sys::Array::of2(&JsValue::from(5.0), &JsValue::from(4.0));
    let solid = js_sys::Array::new();
    for i in m.areas.visible(&f.view) {
        let active = f.active.get(i).copied().unwrap_or(true);
        let colour = if !active {
            MUTED
        } else if f.by_theme {
            m.theme_colour[i].as_deref().unwrap_or(MUTED)
        } else {
            m.area_colour[i]
        };
        ctx.begin_path();
        set_world(ctx, &m.areas, f);
        trace(ctx, &m.areas, band, i);
        set_screen(ctx, f);
        ctx.set_fill_style_str(colour);
        let emphasis = Some(i) == f.selected || Some(i) == f.hovered;
        ctx.set_global_alpha(if emphasis { 0.62 } else if active { 0.42 } else { 0.3 });
        ctx.fill_with_canvas_winding_rule(CanvasWindingRule::Evenodd);
        ctx.set_global_alpha(1.0);
        let _ = ctx.set_line_dash(if m.schematic[i] { &dash } else { &solid });
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(1.6);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&solid);

    // The hovered and selected areas, outlined in ink on top of everything.
    for (i, width) in [(f.hovered, 2.0), (f.selected, 3.5)] {
        if let Some(i) = i {
            ctx.begin_path();
            set_world(ctx, &m.areas, f);
            trace(ctx, &m.areas, band, i);
            set_screen(ctx, f);
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(width);
            ctx.stroke();
        }
    }
}
