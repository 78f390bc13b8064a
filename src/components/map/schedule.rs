//! The painting schedule: when the map paints what. A new view, filters or colouring start
//! a new picture of the base layers ([`layers`], painted in order), painted off screen in
//! slices across frames while the old picture stays on screen (moved by the transform),
//! then shown; the highlight layer (selection, hover) is repainted on the next frame; the
//! accessible layer is laid out for a new picture a frame after it is shown.

use std::time::Duration;

use crate::timers::{
    AnimationFrameRequestHandle, request_animation_frame, request_animation_frame_with_handle,
    set_timeout,
};
use leptos::prelude::*;
use lilong_core::geometry::Viewport;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::controller::{Map, MapCtl};
use super::flight::now;
use crate::draw::{Frame, Job, Layer, MapModel, paint_highlight, slice_budget};

/// What the map shows now and what it is painting: the view of the picture on screen, and the
/// picture of the newest view being painted off screen.
#[derive(Default)]
pub struct Painting {
    pub shown: Option<Viewport>,
    /// The view the accessible layer is laid out for (it follows `shown` a frame later).
    pub laid_out: Option<Viewport>,
    job: Option<Job>,
    offscreen: Option<web_sys::HtmlCanvasElement>,
    frame: Option<AnimationFrameRequestHandle>,
    highlight_frame: Option<AnimationFrameRequestHandle>,
}

/// The base picture of `view`, bottom first: paper, districts, the base map's water and
/// streets, the areas, and halos for areas whose location is approximate. Each is painted in
/// the same slices, in this order.
fn layers(m: &MapModel, view: Viewport) -> Vec<Layer> {
    vec![
        Layer::Paper,
        Layer::Districts,
        Layer::Water,
        Layer::streets(view),
        Layer::areas(m, view),
        Layer::halos(m, view),
    ]
}

/// Starts the schedule: the highlight follows the selection and hover, and the base is
/// painted anew for every new view, filter or colouring.
pub fn start(map: Map) {
    Effect::new(move |_| {
        let Some(m) = map.get() else { return };
        m.selected.track();
        m.hovered.track();
        let mut p = m.painting.borrow_mut();
        if p.highlight_frame.is_some() {
            return;
        }
        p.highlight_frame = request_animation_frame_with_handle(move || {
            if let Some(m) = map.get() {
                m.painting.borrow_mut().highlight_frame = None;
                paint_hl(&m);
            }
        })
        .ok();
    });
    Effect::new(move |_| {
        let Some(m) = map.get() else { return };
        let vp = m.view.get();
        let active = m.active.get();
        let by_theme = m.by_theme.get();
        let Some(vp) = vp else { return };
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0)
            .max(1.0);
        let job = Job::new(layers(&m.model, vp), vp, dpr, active, by_theme);
        let mut p = m.painting.borrow_mut();
        p.job = Some(job);
        if p.frame.is_none() {
            drop(p);
            pump(map);
        }
    });
}

/// Paints a slice on each frame until the picture is done (or the map is gone).
fn pump(map: Map) {
    let handle = request_animation_frame_with_handle(move || {
        let Some(m) = map.get() else { return };
        m.painting.borrow_mut().frame = None;
        if !run(&m, map) {
            pump(map);
        }
    })
    .ok();
    if let Some(m) = map.get() {
        m.painting.borrow_mut().frame = handle;
    }
}

/// One slice of the picture in progress; once it is done, shows it. Returns whether there
/// is nothing more to paint.
fn run(m: &MapCtl, map: Map) -> bool {
    let Some(cv) = m.parts.canvas.get_untracked() else {
        return true;
    };
    let mut p = m.painting.borrow_mut();
    let Some(job) = p.job.as_ref() else {
        return true;
    };
    let (pw, ph) = (
        (job.view.width * job.dpr).round() as u32,
        (job.view.height * job.dpr).round() as u32,
    );
    let first = p.shown.is_none();
    let off = p
        .offscreen
        .get_or_insert_with(|| {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.create_element("canvas").ok())
                .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
                .unwrap_or_else(|| cv.clone())
        })
        .clone();
    let (Some(octx), Some(ctx2d)) = (offscreen_2d(&off), context_2d(&cv)) else {
        return true;
    };
    if off.width() != pw || off.height() != ph {
        off.set_width(pw);
        off.set_height(ph);
    }
    // Nothing on screen yet: paint it all at once, there is no motion to keep smooth.
    let budget = if first { f64::INFINITY } else { slice_budget() };
    let Some(job) = p.job.as_mut() else {
        return true;
    };
    if !job.run(&octx, &m.model, budget, &now) {
        return false;
    }
    if let Some(job) = p.job.take() {
        if cv.width() != pw || cv.height() != ph {
            cv.set_width(pw);
            cv.set_height(ph);
        }
        let _ = ctx2d.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        let _ = ctx2d.draw_image_with_html_canvas_element(&off, 0.0, 0.0);
        p.shown = Some(job.view);
        // The view of the picture on screen, for tests that sample its pixels: the world
        // position (Web Mercator metres) at the centre and px per metre.
        if let Some(el) = m.parts.container.get_untracked() {
            let v = job.view;
            let _ = el.set_attribute(
                "data-view",
                &format!("{} {} {}", v.center_world.x, v.center_world.y, v.scale),
            );
        }
    }
    let now_shown = p.shown;
    let first_layout = p.laid_out.is_none();
    drop(p);
    paint_hl(m);
    // The accessible layer is laid out for the new picture in the next frame, so the frame
    // that shows the picture does not also rebuild the labels and pins.
    let lay_out = move || {
        let Some(m) = map.get() else { return };
        m.painting.borrow_mut().laid_out = now_shown;
        m.shown_view.try_set(now_shown);
        m.show_live();
    };
    if first_layout {
        lay_out();
    } else {
        m.show_live();
        request_animation_frame(lay_out);
    }
    if m.c.ready.try_get_untracked() == Some(false) {
        m.c.ready.set(true);
        mark_interactive();
        crate::state::after_paint(move || prepare(map, 1));
    }
    true
}

/// The other levels of detail, one per task once the first picture is on screen, so that a
/// first zoom does not stop to build one and the memory they take is taken at start-up, not
/// in the middle of a visit.
fn prepare(map: Map, b: usize) {
    let more = map.get().map(|m| {
        let m = &m.model;
        m.areas.lod().prepare(b);
        m.districts.lod().prepare(b);
        b + 1
            < m.areas
                .lod()
                .band_count()
                .max(m.districts.lod().band_count())
    });
    if more == Some(true) {
        set_timeout(move || prepare(map, b + 1), Duration::ZERO);
    }
}

/// The highlight layer (selection, hover) for the picture on screen.
fn paint_hl(m: &MapCtl) {
    let Some(vp) = m.painting.borrow().shown else {
        return;
    };
    let (Some(cv), Some(main)) = (
        m.parts.highlight.get_untracked(),
        m.parts.canvas.get_untracked(),
    ) else {
        return;
    };
    if cv.width() != main.width() || cv.height() != main.height() {
        cv.set_width(main.width());
        cv.set_height(main.height());
    }
    let Some(ctx2d) = context_2d(&cv) else { return };
    let dpr = main.width() as f64 / vp.width.max(1.0);
    let active = m.active.get_untracked();
    paint_highlight(
        &ctx2d,
        &m.model,
        &Frame {
            view: vp,
            dpr,
            selected: m.selected.get_untracked(),
            hovered: m.hovered.get_untracked(),
            active: &active,
            by_theme: m.by_theme.get_untracked(),
        },
    );
}

/// Marks the first painted frame for the performance benchmark (`performance.mark`), and
/// exposes the module's `WebAssembly.Memory` as `window.__lilongMemory` so its size can be read.
fn mark_interactive() {
    crate::memory::mark("lilong-interactive");
    let Some(w) = web_sys::window() else { return };
    let _ = js_sys::Reflect::set(&w, &"__lilongMemory".into(), &wasm_bindgen::memory());
}

fn context_2d(cv: &web_sys::HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    cv.get_context("2d")
        .ok()
        .flatten()
        .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// The off-screen canvas's context, kept in memory (`willReadFrequently`): each slice of
/// painting is rasterised as it is drawn (see [`Job::run`]).
fn offscreen_2d(cv: &web_sys::HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"willReadFrequently".into(), &true.into());
    cv.get_context_with_context_options("2d", &opts)
        .ok()
        .flatten()
        .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok())
}
