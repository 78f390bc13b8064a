//! The map: a canvas painted from the prepared [`MapModel`], under an accessible layer of
//! real buttons (area names at their label points, building markers), with map controls,
//! scale bar, north arrow and attribution.
//!
//! Pan and zoom never rebuild the drawing on every pointer move: during a gesture (drag,
//! pinch, wheel) only a CSS transform moves the painted layer; when the gesture ends the view
//! is committed and painted once.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use lilong_core::geo::{Coord, Rect};
use lilong_core::geometry::{LabelSize, Limits, Viewport};
use lilong_core::model::Lang;
use lilong_core::route::Page;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use crate::dom::{El, Handle, el};
use crate::draw::{Frame, Job, MapModel, paint_highlight, slice_budget};
use crate::state::{ctx, prefers_reduced_motion};
use crate::timers::{
    AnimationFrameRequestHandle, TimeoutHandle, request_animation_frame,
    request_animation_frame_with_handle, set_timeout, set_timeout_with_handle,
};

/// Most pixels per world metre the map zooms to (about 1:1,500 on a screen).
const MAX_SCALE: f64 = 3.0;
/// Pointer travel (px) under which a press is a tap, not a drag.
const TAP_SLOP: f64 = 8.0;
/// World metres shown around a selected building, so its street and neighbours stay in view.
const PLACE_CONTEXT_M: f64 = 420.0;
/// How far (px) from an area a tap still picks it: a fingertip is not a mouse pointer.
const PICK_RADIUS: f64 = 12.0;
/// Up to this many areas, every area is named on the map whatever its size on screen.
const FEW_AREAS: usize = 80;
/// At most this many area buttons on the map at once (city scale).
const MAX_PINS: usize = 250;

/// The gesture in progress: screen' = s · screen + t, applied to the painted layer only.
struct Gesture {
    pointers: HashMap<i32, (f64, f64)>,
    start: HashMap<i32, (f64, f64)>,
    /// The transform accumulated by earlier parts of the gesture (a pinch that became a drag).
    base: (f64, f64, f64),
    current: (f64, f64, f64),
    moved: f64,
    dragging: bool,
    down_at: f64,
    last_tap: Option<(f64, f64, f64)>,
    wheel_timer: Option<TimeoutHandle>,
}

/// No transform: scale 1, no translation.
const IDENTITY: (f64, f64, f64) = (1.0, 0.0, 0.0);

impl Default for Gesture {
    fn default() -> Self {
        Gesture {
            pointers: HashMap::new(),
            start: HashMap::new(),
            base: IDENTITY,
            current: IDENTITY,
            moved: 0.0,
            dragging: false,
            down_at: 0.0,
            last_tap: None,
            wheel_timer: None,
        }
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Marks the first painted frame for the performance benchmark (`performance.mark`), and
/// exposes the module's `WebAssembly.Memory` as `window.__lilongMemory` so its size can be read.
fn mark_interactive() {
    crate::memory::mark("lilong-interactive");
    let Some(w) = web_sys::window() else { return };
    let _ = js_sys::Reflect::set(&w, &"__lilongMemory".into(), &wasm_bindgen::memory());
}

/// The view after a gesture's transform (s, tx, ty) is committed.
fn commit(vp: Viewport, (s, tx, ty): (f64, f64, f64)) -> Viewport {
    let centre = Coord {
        x: (vp.width / 2.0 - tx) / s,
        y: (vp.height / 2.0 - ty) / s,
    };
    Viewport {
        center_world: vp.to_world(centre),
        scale: vp.scale * s,
        ..vp
    }
}

/// The transform (s, tx, ty) that carries what is drawn for view `a` onto view `b`:
/// b.to_screen(w) = s · a.to_screen(w) + t for every world point w.
fn between(a: Viewport, b: Viewport) -> (f64, f64, f64) {
    let s = b.scale / a.scale;
    let p = a.to_screen(a.center_world);
    let q = b.to_screen(a.center_world);
    (s, q.x - s * p.x, q.y - s * p.y)
}

fn css_transform((s, tx, ty): (f64, f64, f64)) -> String {
    if (s, tx, ty) == IDENTITY {
        "none".into()
    } else {
        format!("translate({tx}px, {ty}px) scale({s})")
    }
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

/// What the map shows now and what it is painting: the view of the picture on screen, and the
/// picture of the newest view being painted off screen.
#[derive(Default)]
struct Painting {
    shown: Option<Viewport>,
    /// The view the accessible layer is laid out for (it follows `shown` a frame later).
    laid_out: Option<Viewport>,
    job: Option<Job>,
    offscreen: Option<web_sys::HtmlCanvasElement>,
    frame: Option<AnimationFrameRequestHandle>,
    highlight_frame: Option<AnimationFrameRequestHandle>,
}

/// The map: the painted canvas, the accessible layer of buttons over it, and the controls.
pub fn map_view(
    // Prepared geometry.
    model: Rc<MapModel>,
    // Areas shown at full strength (filters).
    active: Signal<Vec<bool>>,
    // Colour by theme instead of by subdistrict.
    by_theme: Signal<bool>,
    // Space (px) the side panel covers on the right and at the bottom, so fly-to centres in
    // what is visible.
    inset: Signal<(f64, f64)>,
    // The area to select and fly to (from the route, or a story chapter's focus).
    focus_area: Signal<Option<String>>,
    // The building or place to select and fly to.
    focus_place: Signal<Option<String>>,
) -> El {
    let c = ctx();
    let container = Handle::<web_sys::HtmlElement>::new();
    let layer = Handle::<web_sys::HtmlElement>::new();
    let canvas = Handle::<web_sys::HtmlCanvasElement>::new();
    let highlight = Handle::<web_sys::HtmlCanvasElement>::new();
    let overlay_layer = Handle::<web_sys::HtmlElement>::new();
    let container_el = el("div").bind(container);
    let layer_el = el("div").bind(layer);
    let canvas_el = el("canvas").bind(canvas);
    let highlight_el = el("canvas").bind(highlight);
    let overlay_el = el("div").bind(overlay_layer);
    let painting = Rc::new(RefCell::new(Painting::default()));
    // The view of the picture on screen. The accessible layer is laid out for it once a new
    // picture is shown (not on every step of a gesture or flight), and moves with the picture.
    let shown_view = RwSignal::new(None::<Viewport>);
    let size = RwSignal::new((0.0f64, 0.0f64));
    let view = RwSignal::new(None::<Viewport>);
    let gesture = Rc::new(RefCell::new(Gesture::default()));
    let model_sv = StoredValue::new_local(model.clone());

    let limits = move |w: f64, h: f64| -> Limits {
        model_sv.with_value(|m| Limits::for_bounds(m.extent, w, h, MAX_SCALE))
    };
    let selected = Memo::new(move |_| {
        let area = focus_area.get().or_else(|| {
            focus_place
                .get()
                .and_then(|p| c.with(|e| e.place(&p).map(|p| p.area.clone())))
        });
        area.and_then(|a| model_sv.with_value(|m| m.area_index(&a)))
    });
    let selected_place = Memo::new(move |_| focus_place.get());
    let hovered = Memo::new(move |_| {
        c.hovered
            .get()
            .and_then(|id| model_sv.with_value(|m| m.area_index(&id)))
    });

    // The view that frames the selection (or the home view), leaving room for the panel.
    let framing = move |w: f64, h: f64| -> Viewport {
        let (right, bottom) = inset.get_untracked();
        let m = model_sv.get_value();
        let target = match selected.get_untracked() {
            Some(i) => match selected_place.get_untracked() {
                Some(pid) => m
                    .places
                    .iter()
                    .find(|p| p.0 == pid)
                    .map(|p| {
                        lilong_core::geo::Rect::new(
                            Coord {
                                x: p.1.x - PLACE_CONTEXT_M,
                                y: p.1.y - PLACE_CONTEXT_M,
                            },
                            Coord {
                                x: p.1.x + PLACE_CONTEXT_M,
                                y: p.1.y + PLACE_CONTEXT_M,
                            },
                        )
                    })
                    .or(m.areas.bbox(i)),
                None => m.areas.bbox(i).map(|b| {
                    // Show the area with its neighbourhood around it.
                    let pad = (b.width().max(b.height()) * 0.8).max(250.0);
                    lilong_core::geo::Rect::new(
                        Coord {
                            x: b.min().x - pad,
                            y: b.min().y - pad,
                        },
                        Coord {
                            x: b.max().x + pad,
                            y: b.max().y + pad,
                        },
                    )
                }),
            }
            .unwrap_or(m.home),
            None => m.home,
        };
        let usable = Viewport::new((w - right).max(w * 0.4), (h - bottom).max(h * 0.4));
        let fitted = usable.fit_bounds(target, 48.0);
        // Shift so the target sits in the middle of the uncovered part.
        let full = Viewport {
            width: w,
            height: h,
            ..fitted
        };
        let shift = Coord {
            x: right / 2.0 / fitted.scale,
            y: -bottom / 2.0 / fitted.scale,
        };
        let v = Viewport {
            center_world: Coord {
                x: full.center_world.x + shift.x,
                y: full.center_world.y + shift.y,
            },
            scale: fitted.scale.min(MAX_SCALE),
            ..full
        };
        v.clamp(&limits(w, h))
    };

    // Where things are on screen: the painted layer carries the picture on screen (painted
    // for an older view, perhaps) onto the live view (the committed view under the transform of
    // a gesture or flight in progress); the accessible layer is laid out for the committed
    // view and only follows the gesture's transform.
    let show = {
        let painting = painting.clone();
        move |cur: (f64, f64, f64)| {
            let Some(v) = view.try_get_untracked().flatten() else {
                return;
            };
            let live = commit(v, cur);
            let (shown, laid_out) = {
                let p = painting.borrow();
                (p.shown, p.laid_out)
            };
            if let Some(l) = layer.get_untracked() {
                let t = shown.map(|p| between(p, live)).unwrap_or(IDENTITY);
                let _ =
                    web_sys::HtmlElement::style(&l).set_property("transform", &css_transform(t));
            }
            if let Some(o) = overlay_layer.get_untracked() {
                let t = laid_out.map(|p| between(p, live)).unwrap_or(cur);
                let _ =
                    web_sys::HtmlElement::style(&o).set_property("transform", &css_transform(t));
            }
        }
    };
    let show: StoredValue<Box<dyn Fn((f64, f64, f64))>, LocalStorage> =
        StoredValue::new_local(Box::new(show));
    let live_transform = {
        let gesture = gesture.clone();
        move || gesture.try_borrow().map(|g| g.current).unwrap_or(IDENTITY)
    };
    let live_transform = StoredValue::new_local(live_transform);

    // The highlight layer (selection, hover) for the picture on screen: cheap, on the next frame.
    let paint_hl = {
        let painting = painting.clone();
        move || {
            let Some(vp) = painting.borrow().shown else {
                return;
            };
            let (Some(cv), Some(main)) = (highlight.get_untracked(), canvas.get_untracked()) else {
                return;
            };
            if cv.width() != main.width() || cv.height() != main.height() {
                cv.set_width(main.width());
                cv.set_height(main.height());
            }
            let Some(ctx2d) = context_2d(&cv) else { return };
            let dpr = main.width() as f64 / vp.width.max(1.0);
            let active = active.get_untracked();
            model_sv.with_value(|m| {
                paint_highlight(
                    &ctx2d,
                    m,
                    &Frame {
                        view: vp,
                        dpr,
                        selected: selected.get_untracked(),
                        hovered: hovered.get_untracked(),
                        active: &active,
                        by_theme: by_theme.get_untracked(),
                    },
                )
            });
        }
    };
    let paint_hl = StoredValue::new_local(paint_hl);
    {
        let painting = painting.clone();
        Effect::new(move |_| {
            selected.track();
            hovered.track();
            let mut p = painting.borrow_mut();
            if p.highlight_frame.is_some() {
                return;
            }
            let painting2 = painting.clone();
            p.highlight_frame = request_animation_frame_with_handle(move || {
                painting2.borrow_mut().highlight_frame = None;
                paint_hl.try_with_value(|f| f());
            })
            .ok();
        });
    }

    // The base layer: a new view, filters or colouring start a new picture, painted off screen in
    // slices across frames while the old one stays on screen (moved by the transform), then shown.
    fn pump(
        painting: Rc<RefCell<Painting>>,
        run: StoredValue<Box<dyn Fn() -> bool>, LocalStorage>,
    ) {
        let again = painting.clone();
        let handle = request_animation_frame_with_handle(move || {
            again.borrow_mut().frame = None;
            let r = run.try_with_value(|r| r());
            // The map may be gone by the next frame (a page change): then there is nothing to paint.
            if r == Some(false) {
                pump(again, run);
            }
        })
        .ok();
        painting.borrow_mut().frame = handle;
    }
    let run: Box<dyn Fn() -> bool> = {
        let painting = painting.clone();
        Box::new(move || {
            let Some(cv) = canvas.get_untracked() else {
                return true;
            };
            let mut p = painting.borrow_mut();
            let Some(job) = p.job.as_mut() else {
                return true;
            };
            let (pw, ph) = (
                (job.view.width * job.dpr).round() as u32,
                (job.view.height * job.dpr).round() as u32,
            );
            let first = p.shown.is_none();
            let off = p.offscreen.get_or_insert_with(|| {
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.create_element("canvas").ok())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
                    .unwrap_or_else(|| cv.clone())
            });
            let off = off.clone();
            let Some(job) = p.job.as_mut() else {
                return true;
            };
            let (Some(octx), Some(ctx2d)) = (offscreen_2d(&off), context_2d(&cv)) else {
                return true;
            };
            if off.width() != pw || off.height() != ph {
                off.set_width(pw);
                off.set_height(ph);
            }
            // Nothing on screen yet: paint it all at once, there is no motion to keep smooth.
            let budget = if first { f64::INFINITY } else { slice_budget() };
            let done = model_sv
                .try_with_value(|m| job.run(&octx, m, budget, &now))
                .unwrap_or(true);
            if !done {
                return false;
            }
            let job = p.job.take();
            if let Some(job) = job {
                if cv.width() != pw || cv.height() != ph {
                    cv.set_width(pw);
                    cv.set_height(ph);
                }
                let _ = ctx2d.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
                let _ = ctx2d.draw_image_with_html_canvas_element(&off, 0.0, 0.0);
                p.shown = Some(job.view);
            }
            let now_shown = p.shown;
            let first_layout = p.laid_out.is_none();
            drop(p);
            paint_hl.try_with_value(|f| f());
            // The accessible layer is laid out for the new picture in the next frame, so the
            // frame that shows the picture does not also rebuild the labels and pins.
            let lay_out = {
                let painting = painting.clone();
                move || {
                    painting.borrow_mut().laid_out = now_shown;
                    shown_view.try_set(now_shown);
                    if let Some(cur) = live_transform.try_with_value(|f| f()) {
                        show.try_with_value(|f| f(cur));
                    }
                }
            };
            if first_layout {
                lay_out();
            } else {
                if let Some(cur) = live_transform.try_with_value(|f| f()) {
                    show.try_with_value(|f| f(cur));
                }
                request_animation_frame(lay_out);
            }
            if c.ready.try_get_untracked() == Some(false) {
                c.ready.set(true);
                mark_interactive();
                // The other levels of detail, one per task once the first picture is on screen,
                // so that a first zoom does not stop to build one and the memory they take is
                // taken at start-up, not in the middle of a visit.
                fn prepare(model: StoredValue<Rc<MapModel>, LocalStorage>, b: usize) {
                    let more = model.try_with_value(|m| {
                        m.areas.lod().prepare(b);
                        m.districts.lod().prepare(b);
                        b + 1
                            < m.areas
                                .lod()
                                .band_count()
                                .max(m.districts.lod().band_count())
                    });
                    if more == Some(true) {
                        set_timeout(move || prepare(model, b + 1), Duration::ZERO);
                    }
                }
                crate::state::after_paint(move || prepare(model_sv, 1));
            }
            true
        })
    };
    let run = StoredValue::new_local(run);
    {
        let painting = painting.clone();
        Effect::new(move |_| {
            let vp = view.get();
            let active = active.get();
            let by_theme = by_theme.get();
            let Some(vp) = vp else { return };
            let dpr = web_sys::window()
                .map(|w| w.device_pixel_ratio())
                .unwrap_or(1.0)
                .max(1.0);
            let job = model_sv.with_value(|m| Job::new(m, vp, dpr, active, by_theme));
            let mut p = painting.borrow_mut();
            p.job = Some(job);
            if p.frame.is_none() {
                drop(p);
                pump(painting.clone(), run);
            }
        });
    }

    // Where the map's corner is in the window, measured once and again after a resize or a
    // scroll of the page (not of the list beside it): measuring on every pointer event would
    // force a layout of the page each time.
    let origin = StoredValue::new(None::<(f64, f64)>);
    for ev in ["resize", "scroll"] {
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            origin.try_set_value(None);
        });
        if let Some(w) = web_sys::window() {
            let opts = web_sys::AddEventListenerOptions::new();
            opts.set_passive(true);
            let _ = w.add_event_listener_with_callback_and_add_event_listener_options(
                ev,
                cb.as_ref().unchecked_ref(),
                &opts,
            );
        }
        // The listener goes with the map.
        let kept = StoredValue::new_local(Some(cb));
        on_cleanup(move || {
            if let Some(Some(cb)) = kept.try_update_value(|k| k.take())
                && let Some(w) = web_sys::window()
            {
                let _ = w.remove_event_listener_with_callback(ev, cb.as_ref().unchecked_ref());
            }
        });
    }
    // Size: follow the container.
    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        let measure = {
            let el = el.clone();
            move || {
                let r = el.get_bounding_client_rect();
                origin.try_set_value(Some((r.left(), r.top())));
                let (w, h) = (r.width().max(1.0), r.height().max(1.0));
                let Some(current) = size.try_get_untracked() else {
                    return;
                };
                if current != (w, h) {
                    size.set((w, h));
                    let v = match view.get_untracked() {
                        Some(v) => Viewport {
                            width: w,
                            height: h,
                            ..v
                        }
                        .clamp(&limits(w, h)),
                        None => framing(w, h),
                    };
                    view.set(Some(v));
                    let cur = live_transform.with_value(|f| f());
                    show.with_value(|f| f(cur));
                }
            }
        };
        measure();
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(measure);
        let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) else {
            return;
        };
        obs.observe(&el);
        // The observer and its callback hold the map's element: let both go with the map, or
        // every visit to another page would keep the old map's whole tree alive.
        let kept = StoredValue::new_local(Some((obs, cb)));
        on_cleanup(move || {
            if let Some(Some((obs, _cb))) = kept.try_update_value(|k| k.take()) {
                obs.disconnect();
            }
        });
    });

    // Fly to the selection when it changes.
    // The flight under way: its number and destination. A new flight supersedes it, and
    // zooming by buttons or keys starts from its destination, so quick presses add up.
    let flight = StoredValue::new((0u64, None::<Viewport>));
    // A flight moves the painted and accessible layers by a CSS transform, frame by frame,
    // and commits its destination once at the end: nothing is re-laid out or repainted on the way.
    let fly = {
        let gesture = gesture.clone();
        move |to: Viewport| {
            let Some(v) = view.try_get_untracked().flatten() else {
                view.set(Some(to));
                return;
            };
            let from = commit(v, gesture.borrow().current);
            if prefers_reduced_motion() {
                flight.update_value(|f| *f = (f.0 + 1, None));
                {
                    let mut g = gesture.borrow_mut();
                    g.current = IDENTITY;
                    g.base = IDENTITY;
                }
                view.set(Some(to));
                show.with_value(|f| f(IDENTITY));
                return;
            }
            let id = flight.with_value(|f| f.0) + 1;
            flight.set_value((id, Some(to)));
            let t0 = now();
            let dur = 650.0;
            #[allow(clippy::too_many_arguments)]
            fn step(
                from: Viewport,
                to: Viewport,
                t0: f64,
                dur: f64,
                view: RwSignal<Option<Viewport>>,
                flight: StoredValue<(u64, Option<Viewport>)>,
                id: u64,
                gesture: Rc<RefCell<Gesture>>,
                show: StoredValue<Box<dyn Fn((f64, f64, f64))>, LocalStorage>,
            ) {
                // Superseded by a newer flight or a gesture, or the map went away.
                if flight.try_with_value(|f| f.0) != Some(id) {
                    return;
                }
                let Some(Some(committed)) = view.try_get_untracked() else {
                    return;
                };
                let t = ((now() - t0) / dur).clamp(0.0, 1.0);
                let e = if t < 0.5 {
                    4.0 * t * t * t
                } else {
                    1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
                };
                let ls = from.scale.ln() + (to.scale.ln() - from.scale.ln()) * e;
                let v = Viewport {
                    center_world: Coord {
                        x: from.center_world.x + (to.center_world.x - from.center_world.x) * e,
                        y: from.center_world.y + (to.center_world.y - from.center_world.y) * e,
                    },
                    scale: ls.exp(),
                    ..to
                };
                if t < 1.0 {
                    let cur = between(committed, v);
                    {
                        let mut g = gesture.borrow_mut();
                        g.current = cur;
                        g.base = cur;
                    }
                    show.try_with_value(|f| f(cur));
                    request_animation_frame(move || {
                        step(from, to, t0, dur, view, flight, id, gesture, show)
                    });
                } else {
                    {
                        let mut g = gesture.borrow_mut();
                        g.current = IDENTITY;
                        g.base = IDENTITY;
                    }
                    flight.try_update_value(|f| f.1 = None);
                    if view.try_set(Some(to)).is_none() {
                        show.try_with_value(|f| f(IDENTITY));
                    }
                }
            }
            step(from, to, t0, dur, view, flight, id, gesture.clone(), show);
        }
    };
    let fly = StoredValue::new_local(fly);
    let fly = move |to: Viewport| fly.with_value(|f| f(to));
    Effect::new(move |prev: Option<(Option<usize>, Option<String>)>| {
        let key = (selected.get(), selected_place.get());
        if prev.is_some() && prev.as_ref() != Some(&key) && (key.0.is_some()) {
            // The flight starts once the answer to the tap (highlight and panel) is on screen:
            // the frame that shows it then moves no layer, and the flight is a frame later.
            crate::state::after_paint(move || {
                let Some((w, h)) = size.try_get_untracked() else {
                    return;
                };
                if w > 1.0 {
                    fly(framing(w, h));
                }
            });
        }
        key
    });

    // Gestures.
    let set_layer_transform = move |t: (f64, f64, f64)| show.with_value(|f| f(t));
    let finish = {
        let gesture = gesture.clone();
        move || {
            if let Some(l) = layer.get_untracked() {
                let _ = web_sys::HtmlElement::style(&l).remove_property("cursor");
            }
            let t = {
                let mut g = gesture.borrow_mut();
                let t = g.current;
                g.base = IDENTITY;
                g.current = IDENTITY;
                t
            };
            // A flight under way (a press on a map button) keeps its own transform.
            if flight.with_value(|f| f.1.is_some()) {
                let mut g = gesture.borrow_mut();
                g.current = t;
                g.base = t;
                return;
            }
            if t == IDENTITY || !(t.0.is_finite() && t.0 > 0.0) {
                return;
            }
            if let Some(vp) = view.get_untracked() {
                let (w, h) = (vp.width, vp.height);
                view.set(Some(commit(vp, t).clamp(&limits(w, h))));
                show.with_value(|f| f(IDENTITY));
            }
        }
    };
    let finish = StoredValue::new_local(finish);
    let local_point = move |x: f64, y: f64| -> (f64, f64) {
        let o = origin.get_value().or_else(|| {
            let r = container.get_untracked()?.get_bounding_client_rect();
            origin.set_value(Some((r.left(), r.top())));
            Some((r.left(), r.top()))
        });
        o.map(|(l, t)| (x - l, y - t)).unwrap_or((x, y))
    };
    let zoom_by = move |factor: f64, at: Option<(f64, f64)>| {
        let heading = flight.with_value(|f| f.1);
        if let Some(vp) = heading.or(view.get_untracked()) {
            let p = at.unwrap_or((vp.width / 2.0, vp.height / 2.0));
            let v = vp
                .zoom_around(Coord { x: p.0, y: p.1 }, factor)
                .clamp(&limits(vp.width, vp.height));
            if at.is_none() {
                fly(v)
            } else {
                view.set(Some(v));
                let cur = live_transform.with_value(|f| f());
                show.with_value(|f| f(cur));
            }
        }
    };
    let pan_by = move |dx: f64, dy: f64| {
        if let Some(vp) = view.get_untracked() {
            view.set(Some(vp.pan(dx, dy).clamp(&limits(vp.width, vp.height))));
            let cur = live_transform.with_value(|f| f());
            show.with_value(|f| f(cur));
        }
    };
    let select_at = move |x: f64, y: f64| {
        let Some(vp) = view.get_untracked() else {
            return;
        };
        let hit = model_sv.with_value(|m| {
            m.areas
                .hit_near(Coord { x, y }, &vp, PICK_RADIUS)
                .and_then(|i| m.area_ids.get(i).cloned())
        });
        match hit {
            Some(id) => c.go(Page::Area { id }),
            None => c.go(Page::Map),
        }
    };

    let g1 = gesture.clone();
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 && ev.pointer_type() == "mouse" {
            return;
        }
        let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
        let on_button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten())
            .is_some();
        // A hand on the map stops a flight where it is; the gesture carries on from there.
        if !on_button {
            flight.update_value(|f| *f = (f.0 + 1, None));
        }
        let mut g = g1.borrow_mut();
        if g.pointers.is_empty() {
            g.moved = 0.0;
            g.dragging = false;
            g.down_at = now();
        }
        // Restart the gesture's reference from the current transform.
        g.base = g.current;
        g.pointers.insert(ev.pointer_id(), p);
        g.start = g.pointers.clone();
    };
    let g2 = gesture.clone();
    let on_move = move |ev: web_sys::PointerEvent| {
        let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
        let mut g = g2.borrow_mut();
        if !g.pointers.contains_key(&ev.pointer_id()) {
            if ev.pointer_type() == "mouse" {
                let hit = view.get_untracked().and_then(|vp| {
                    model_sv.with_value(|m| {
                        m.areas
                            .hit(Coord { x: p.0, y: p.1 }, &vp)
                            .map(|i| m.area_ids[i].clone())
                    })
                });
                if c.hovered.get_untracked() != hit {
                    c.hovered.set(hit);
                }
            }
            return;
        }
        g.pointers.insert(ev.pointer_id(), p);
        let (bs, btx, bty) = g.base;
        let ids: Vec<i32> = g.pointers.keys().copied().take(2).collect();
        let (s, tx, ty) = if ids.len() == 2 {
            let (a0, b0) = (g.start[&ids[0]], g.start[&ids[1]]);
            let (a1, b1) = (g.pointers[&ids[0]], g.pointers[&ids[1]]);
            let d0 = ((a0.0 - b0.0).powi(2) + (a0.1 - b0.1).powi(2))
                .sqrt()
                .max(1.0);
            let d1 = ((a1.0 - b1.0).powi(2) + (a1.1 - b1.1).powi(2))
                .sqrt()
                .max(1.0);
            let k = d1 / d0;
            let m0 = ((a0.0 + b0.0) / 2.0, (a0.1 + b0.1) / 2.0);
            let m1 = ((a1.0 + b1.0) / 2.0, (a1.1 + b1.1) / 2.0);
            // screen' = k (screen - m0) + m1, after the base transform.
            (bs * k, k * (btx - m0.0) + m1.0, k * (bty - m0.1) + m1.1)
        } else {
            let id = ids[0];
            let (x0, y0) = g.start.get(&id).copied().unwrap_or(p);
            (bs, btx + p.0 - x0, bty + p.1 - y0)
        };
        g.moved = g
            .moved
            .max(((tx - btx).powi(2) + (ty - bty).powi(2)).sqrt())
            .max(if s != bs { 99.0 } else { 0.0 });
        if g.moved > TAP_SLOP {
            if !g.dragging {
                g.dragging = true;
                if let Some(el) = container.get_untracked() {
                    let _ = el.set_pointer_capture(ev.pointer_id());
                }
                // The grabbing hand on the painted layer only: a state on the map itself (such as
                // `:active`) would restyle every pin under it at the first touch.
                if let Some(l) = layer.get_untracked() {
                    let _ = web_sys::HtmlElement::style(&l).set_property("cursor", "grabbing");
                }
            }
            // Keep the scale inside the limits during the gesture too.
            if let Some(vp) = view.get_untracked() {
                let lim = limits(vp.width, vp.height);
                if vp.scale * s > lim.max_scale * 1.05 || vp.scale * s < lim.min_scale * 0.95 {
                    return;
                }
            }
            g.current = (s, tx, ty);
            drop(g);
            set_layer_transform((s, tx, ty));
        }
    };
    let g3 = gesture.clone();
    let on_up = move |ev: web_sys::PointerEvent| {
        let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
        let on_button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten())
            .is_some();
        let mut g = g3.borrow_mut();
        if g.pointers.remove(&ev.pointer_id()).is_none() {
            return;
        }
        g.base = g.current;
        g.start = g.pointers.clone();
        if !g.pointers.is_empty() {
            return;
        }
        let tap = !g.dragging && g.moved <= TAP_SLOP && now() - g.down_at < 600.0;
        let t = now();
        let double = tap
            && g.last_tap.is_some_and(|(x, y, at)| {
                t - at < 350.0 && (x - p.0).abs() < 30.0 && (y - p.1).abs() < 30.0
            });
        g.last_tap = if tap && !double {
            Some((p.0, p.1, t))
        } else {
            None
        };
        drop(g);
        finish.with_value(|f| f());
        if tap && !on_button {
            if double {
                zoom_by(2.0, Some(p));
            } else {
                select_at(p.0, p.1);
            }
        }
    };
    let g4 = gesture.clone();
    let on_cancel = move |ev: web_sys::PointerEvent| {
        let mut g = g4.borrow_mut();
        g.pointers.remove(&ev.pointer_id());
        g.start = g.pointers.clone();
        g.base = g.current;
        if g.pointers.is_empty() {
            drop(g);
            finish.with_value(|f| f());
        }
    };
    let g5 = gesture.clone();
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
        let dy = match ev.delta_mode() {
            1 => ev.delta_y() * 16.0,
            2 => ev.delta_y() * 400.0,
            _ => ev.delta_y(),
        };
        let k = (-dy / 300.0).exp().clamp(0.5, 2.0);
        flight.update_value(|f| *f = (f.0 + 1, None));
        let mut g = g5.borrow_mut();
        let (s, tx, ty) = g.current;
        if let Some(vp) = view.get_untracked() {
            let lim = limits(vp.width, vp.height);
            let ns = (vp.scale * s * k).clamp(lim.min_scale, lim.max_scale) / vp.scale;
            let k = ns / s;
            // screen' = k (screen' - p) + p on top of the current transform.
            g.current = (ns, k * (tx - p.0) + p.0, k * (ty - p.1) + p.1);
        }
        let cur = g.current;
        if let Some(h) = g.wheel_timer.take() {
            h.clear();
        }
        g.wheel_timer = set_timeout_with_handle(
            move || finish.with_value(|f| f()),
            Duration::from_millis(140),
        )
        .ok();
        drop(g);
        set_layer_transform(cur);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step = 80.0;
        match ev.key().as_str() {
            "ArrowLeft" => pan_by(-step, 0.0),
            "ArrowRight" => pan_by(step, 0.0),
            "ArrowUp" => pan_by(0.0, -step),
            "ArrowDown" => pan_by(0.0, step),
            "+" | "=" => zoom_by(1.6, None),
            "-" | "_" => zoom_by(1.0 / 1.6, None),
            _ => return,
        }
        ev.prevent_default();
    };
    let reset = move |_: web_sys::Event| {
        let (w, h) = size.get_untracked();
        c.go(Page::Map);
        model_sv.with_value(|m| {
            let usable = Viewport::new(w, h);
            fly(usable.fit_bounds(m.home, 48.0).clamp(&limits(w, h)));
        });
    };

    // The accessible layer: area names at their label points, and building markers.
    // Label sizes, measured when a name is first to be placed and kept for the language: at city
    // scale only a few names are placed at a time, and measuring all 6,509 would cost tens of
    // milliseconds before the first frame.
    let label_cache = StoredValue::new_local((None::<Lang>, HashMap::<usize, LabelSize>::new()));
    let sizes_for = move |lang: Lang, wanted: &[usize], n: usize| -> Vec<LabelSize> {
        label_cache.update_value(|(for_lang, cache)| {
            if *for_lang != Some(lang) {
                cache.clear();
                *for_lang = Some(lang);
            }
            let missing: Vec<usize> = wanted
                .iter()
                .copied()
                .filter(|i| !cache.contains_key(i))
                .collect();
            if !missing.is_empty() {
                let names: Vec<String> = c.with(|e| {
                    model_sv.with_value(|m| {
                        missing
                            .iter()
                            .map(|&i| {
                                m.area_ids
                                    .get(i)
                                    .and_then(|id| e.area(id))
                                    .map(|a| a.name.get(lang).to_string())
                                    .unwrap_or_default()
                            })
                            .collect()
                    })
                });
                cache.extend(missing.into_iter().zip(measure_labels(&names)));
            }
        });
        label_cache.with_value(|(_, cache)| {
            // A name not measured is taken as too large to place anywhere.
            let mut sizes = vec![
                LabelSize {
                    width: f64::INFINITY,
                    height: f64::INFINITY
                };
                n
            ];
            for &i in wanted {
                if let (Some(s), Some(slot)) = (cache.get(&i), sizes.get_mut(i)) {
                    *slot = *s;
                }
            }
            sizes
        })
    };
    // The panel opening or closing lays the labels out again once the tap's answer is on
    // screen (not in the frame that answers it), so no name is left under the panel.
    let panel_moved = RwSignal::new(0u32);
    Effect::new(move |prev: Option<(f64, f64)>| {
        let now = inset.get();
        if prev.is_some_and(|p| p != now) {
            crate::state::after_paint(move || {
                panel_moved.try_update(|n| *n = n.wrapping_add(1));
            });
        }
        now
    });
    let overlay = Memo::new(move |_| {
        let Some(vp) = shown_view.get() else {
            return Overlay::default();
        };
        panel_moved.track();

        let lang = c.lang();
        // A small exhibit re-lays out the layer on every selection and hover. At city scale the
        // layout follows the committed view only: a selection flies there and the layout is made
        // once on arrival; hover shows on the highlight layer.
        let few = model_sv.with_value(|m| m.areas.len() <= FEW_AREAS);
        let sel = if few {
            selected.get()
        } else {
            selected.get_untracked()
        };
        let hov = if few { hovered.get() } else { None };
        model_sv.with_value(|m| {
            // The areas in view, found once for the labels, their sizes and the pins.
            let visible = m.areas.visible(&vp);
            let places: Vec<PlacePin> = m
                .places
                .iter()
                .filter_map(|(id, w, area)| {
                    let big = area
                        .and_then(|i| m.areas.bbox(i))
                        .map(|b| b.width() * vp.scale)
                        .unwrap_or(0.0);
                    let s = vp.to_screen(*w);
                    (big >= 70.0 && s.x >= 0.0 && s.y >= 0.0 && s.x <= vp.width && s.y <= vp.height)
                        .then(|| PlacePin {
                            id: id.clone(),
                            x: s.x.round(),
                            y: s.y.round(),
                        })
                })
                .collect();
            // Labels keep clear of the building markers, and of the panel over the map.
            let mut obstacles: Vec<Rect<f64>> = places
                .iter()
                .map(|p| {
                    Rect::new(
                        Coord {
                            x: p.x - 14.0,
                            y: p.y - 14.0,
                        },
                        Coord {
                            x: p.x + 14.0,
                            y: p.y + 14.0,
                        },
                    )
                })
                .collect();
            // The panel covers the map's right edge (side panel) or its bottom (bottom sheet).
            let (right, bottom) = inset.get_untracked();
            if right > 0.0 || bottom > 0.0 {
                let (x0, y0) = if right > 0.0 {
                    (vp.width - right, 0.0)
                } else {
                    (0.0, vp.height - bottom)
                };
                obstacles.push(Rect::new(
                    Coord { x: x0, y: y0 },
                    Coord {
                        x: vp.width,
                        y: vp.height,
                    },
                ));
            }
            // A small exhibit names every area even when its outline is small on screen;
            // at city scale only the selection, the hovered area and areas large enough.
            let mut priority: Vec<usize> = sel.into_iter().chain(hov).collect();
            if m.areas.len() <= FEW_AREAS {
                let mut rest: Vec<usize> = visible
                    .iter()
                    .copied()
                    .filter(|i| !priority.contains(i))
                    .collect();
                rest.sort_unstable_by(|&a, &b| {
                    m.areas.area(b).total_cmp(&m.areas.area(a)).then(a.cmp(&b))
                });
                priority.extend(rest);
            }
            // Sizes for the names that may be placed: the priority ones, and those of areas large
            // enough on screen to hold a label at all (26 px, the label's height).
            let mut wanted = priority.clone();
            wanted.extend(visible.iter().copied().filter(|&i| {
                !priority.contains(&i)
                    && m.areas.bbox(i).is_some_and(|b| {
                        b.width() * vp.scale >= 26.0 && b.height() * vp.scale >= 26.0
                    })
            }));
            let sizes = sizes_for(lang, &wanted, m.areas.len());
            let placed = m.areas.labels_avoiding(&vp, &sizes, &priority, &obstacles);
            let shown: std::collections::HashSet<usize> = placed.iter().map(|l| l.index).collect();
            let mut areas: Vec<AreaPin> = visible
                .iter()
                .copied()
                .filter_map(|i| {
                    // A small exhibit has a button for every area in view (a dot when it has
                    // no room for its name). At city scale only the named areas and the
                    // selection do: a few hundred unnamed dots made every hit test of the
                    // browser 10× slower (0.6 ms instead of 0.07 ms) and doubled the time a
                    // tap took to answer; the list and search reach every area.
                    let wanted = if m.areas.len() <= FEW_AREAS {
                        true
                    } else {
                        shown.contains(&i) || Some(i) == sel
                    };
                    if !wanted {
                        return None;
                    }
                    let p = m.areas.label_point(i, &vp)?;
                    (p.x >= 0.0 && p.y >= 0.0 && p.x <= vp.width && p.y <= vp.height).then(|| {
                        AreaPin {
                            index: i,
                            id: m.area_ids[i].clone(),
                            x: p.x.round(),
                            y: p.y.round(),
                            labelled: shown.contains(&i),
                            crowded: false,
                        }
                    })
                })
                .collect();
            // At city scale, a bounded number of buttons whatever the labels: the selection,
            // then the labelled areas. Thousands of buttons cost a DOM node and a layout each
            // on every view change; the list beside the map reaches every area.
            if m.areas.len() > FEW_AREAS && areas.len() > MAX_PINS {
                let size = |a: &AreaPin| {
                    m.areas
                        .bbox(a.index)
                        .map(|b| b.width() * b.height())
                        .unwrap_or(0.0)
                };
                areas.sort_unstable_by(|a, b| {
                    (Some(b.index) == sel, b.labelled)
                        .cmp(&(Some(a.index) == sel, a.labelled))
                        .then(size(b).total_cmp(&size(a)))
                        .then(a.index.cmp(&b.index))
                });
                areas.truncate(MAX_PINS);
            }
            // A pin that would sit on a building marker or on another pin is folded away for the
            // pointer (the canvas under it still picks its area, and the list and search offer
            // every area at full size): hidden from sight until focused, so the keyboard and
            // screen readers still reach it (WCAG 2.5.8, target size).
            let rect = |x: f64, y: f64, w: f64, h: f64| {
                [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0]
            };
            let meets =
                |a: [f64; 4], b: [f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
            let mut taken: Vec<[f64; 4]> =
                places.iter().map(|p| rect(p.x, p.y, 32.0, 32.0)).collect();
            let mut order: Vec<usize> = (0..areas.len()).collect();
            order.sort_unstable_by_key(|&k| (Some(areas[k].index) != sel, !areas[k].labelled, k));
            for k in order {
                let a = &areas[k];
                let (w, h) = match sizes.get(a.index) {
                    Some(s) if a.labelled => (s.width.max(24.0), s.height.max(24.0)),
                    _ => (24.0, 24.0),
                };
                let r = rect(a.x, a.y, w, h);
                if Some(a.index) != sel && taken.iter().any(|t| meets(r, *t)) {
                    areas[k].crowded = true;
                } else {
                    taken.push(r);
                }
            }
            // Reading order for Tab: top to bottom, then left to right.
            areas.sort_unstable_by(|a, b| {
                a.y.total_cmp(&b.y)
                    .then(a.x.total_cmp(&b.x))
                    .then(a.index.cmp(&b.index))
            });
            let at = areas
                .iter()
                .enumerate()
                .map(|(k, a)| (a.id.clone(), k))
                .collect();
            Overlay { areas, places, at }
        })
    });
    let area_ids = Memo::new(move |_| {
        overlay.with(|o| {
            o.areas
                .iter()
                .map(|p| (p.id.clone(), p.index))
                .collect::<Vec<_>>()
        })
    });
    // The pins follow `area_ids` a few dozen at a time, one step per frame: creating or removing
    // a few hundred buttons in the frame that ends a gesture would hold that frame for tens of
    // milliseconds. Pins kept from the last layout move at once; a pin no longer laid out is
    // hidden at once and removed in a later step.
    let pins_shown = RwSignal::new(Vec::<(String, usize)>::new());
    let pins_frame = StoredValue::new_local(None::<AnimationFrameRequestHandle>);
    fn pins_step(
        target: Memo<Vec<(String, usize)>>,
        shown: RwSignal<Vec<(String, usize)>>,
        frame: StoredValue<Option<AnimationFrameRequestHandle>, LocalStorage>,
    ) {
        let Some(next) = target
            .try_with_untracked(|t| shown.with_untracked(|s| next_pins(t, s, PINS_PER_FRAME)))
        else {
            return;
        };
        let (list, done) = next;
        shown.set(list);
        if !done {
            let handle =
                request_animation_frame_with_handle(move || pins_step(target, shown, frame)).ok();
            frame.try_set_value(handle);
        }
    }
    Effect::new(move |_| {
        area_ids.track();
        if let Some(Some(h)) = pins_frame.try_update_value(|f| f.take()) {
            h.cancel();
        }
        pins_step(area_ids, pins_shown, pins_frame);
    });
    let place_ids = Memo::new(move |_| {
        overlay.with(|o| o.places.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
    });

    // District names: a quiet layer under everything, only where a district is large on screen.
    let district_labels = Memo::new(move |_| {
        let Some(vp) = shown_view.get() else {
            return Vec::new();
        };
        let lang = c.lang();
        let names: Vec<String> = c.with(|e| {
            model_sv.with_value(|m| {
                m.district_ids
                    .iter()
                    .map(|id| {
                        e.district(id)
                            .map(|d| d.name.get(lang).to_string())
                            .unwrap_or_default()
                    })
                    .collect()
            })
        });
        let sizes: Vec<LabelSize> = names
            .iter()
            .map(|n| LabelSize {
                width: 17.0 * n.chars().count() as f64 + 12.0,
                height: 24.0,
            })
            .collect();
        model_sv.with_value(|m| {
            m.districts
                .labels(&vp, &sizes, &[])
                .into_iter()
                .filter(|l| {
                    m.districts
                        .bbox(l.index)
                        .is_some_and(|b| b.width() * vp.scale > 240.0)
                })
                .map(|l| (names[l.index].clone(), l.x.round(), l.y.round()))
                .collect::<Vec<_>>()
        })
    });
    let scale_bar = Memo::new(move |_| view.get().map(|v| v.scale_bar(120.0)));
    // One reactive flag per pin: a new selection touches the old and the new pin only, not
    // every pin on screen.
    let is_selected = StoredValue::new(Selector::new(move || selected.get()));

    let t = move |key: &'static str| move || Some(c.t(key));
    let control =
        move |key: &'static str| el("button").class("map-btn").dyn_attr("aria-label", t(key));
    let district_names = el("div")
        .class("district-labels")
        .attr("aria-hidden", "true")
        .dyn_children(move || {
            district_labels
                .get()
                .into_iter()
                .map(|(name, x, y)| {
                    el("span")
                        .class("district-label")
                        .attr("style", &format!("left:{x}px;top:{y}px"))
                        .text(&name)
                })
                .collect()
        });
    // Keyed by id only: a pin that moves or gains its label keeps its node, so keyboard focus
    // survives every re-layout.
    let pins = el("div")
        .class("map-pins")
        .dyn_keyed(
            move || pins_shown.get(),
            move |(id, index)| area_button(id, index, overlay, is_selected),
        )
        .dyn_keyed(
            move || place_ids.get(),
            move |id| place_marker(id, overlay, selected_place),
        );
    let scale = move || {
        scale_bar.get().map(|b| {
            let label = if b.metres >= 1000.0 {
                format!("{} km", b.metres / 1000.0)
            } else {
                format!("{} m", b.metres)
            };
            el("div")
                .class("map-scale")
                .attr("aria-label", &format!("{} {}", c.t("map.scale"), label))
                .child(
                    el("div")
                        .class("bar")
                        .attr("style", &format!("width:{}px", b.px.round())),
                )
                .child(el("span").text(&label))
        })
    };
    container_el
        .class("map")
        .attr("tabindex", "0")
        .attr("role", "application")
        .dyn_attr("aria-roledescription", t("map.role"))
        .dyn_attr("aria-label", t("map.label"))
        .on("pointerdown", move |ev: web_sys::Event| {
            on_down(ev.unchecked_into())
        })
        .on("pointermove", move |ev: web_sys::Event| {
            on_move(ev.unchecked_into())
        })
        .on("pointerup", move |ev: web_sys::Event| {
            on_up(ev.unchecked_into())
        })
        .on("pointercancel", move |ev: web_sys::Event| {
            on_cancel(ev.unchecked_into())
        })
        .on("pointerleave", move |ev: web_sys::Event| {
            let ev: web_sys::PointerEvent = ev.unchecked_into();
            if ev.pointer_type() == "mouse" {
                c.hovered.set(None);
            }
        })
        .on("wheel", move |ev: web_sys::Event| {
            on_wheel(ev.unchecked_into())
        })
        .on("keydown", move |ev: web_sys::Event| {
            on_key(ev.unchecked_into())
        })
        .child(
            layer_el
                .class("map-layer")
                .attr("style", "will-change: transform")
                .child(canvas_el.class("map-canvas").attr("aria-hidden", "true"))
                .child(
                    highlight_el
                        .class("map-canvas map-highlight")
                        .attr("aria-hidden", "true"),
                ),
        )
        .child(
            overlay_el
                .class("map-overlay")
                .child(district_names)
                .child(pins),
        )
        .child(
            el("div")
                .class("map-controls")
                .attr("role", "group")
                .dyn_attr("aria-label", t("map.controls"))
                .child(
                    control("map.zoom_in")
                        .on("click", move |_: web_sys::Event| zoom_by(1.6, None))
                        .text("+"),
                )
                .child(
                    control("map.zoom_out")
                        .on("click", move |_: web_sys::Event| zoom_by(1.0 / 1.6, None))
                        .text("−"),
                )
                .child(
                    control("map.reset")
                        .on("click", reset)
                        .child(el("span").attr("aria-hidden", "true").text("⌂")),
                ),
        )
        .child(
            el("div")
                .class("map-north")
                .attr("aria-hidden", "true")
                .dyn_attr("title", t("map.north"))
                .child(el("span").class("arrow").text("▲"))
                .child(el("span").text("N")),
        )
        .dyn_child(scale)
}

/// Buttons created (and, separately, removed) per frame when the pins follow a new layout.
const PINS_PER_FRAME: usize = 40;

/// One step from the pins on screen (`shown`) towards the laid-out ones (`target`): those kept,
/// in the layout's order, with up to `n` new ones; then those no longer laid out, less `n` of
/// them. Also whether `target` is reached.
fn next_pins(
    target: &[(String, usize)],
    shown: &[(String, usize)],
    n: usize,
) -> (Vec<(String, usize)>, bool) {
    let on: HashSet<&str> = shown.iter().map(|p| p.0.as_str()).collect();
    let wanted: HashSet<&str> = target.iter().map(|p| p.0.as_str()).collect();
    let mut out = Vec::with_capacity(target.len());
    let (mut added, mut done) = (0, true);
    for p in target {
        if on.contains(p.0.as_str()) {
            out.push(p.clone());
        } else if added < n {
            out.push(p.clone());
            added += 1;
        } else {
            done = false;
        }
    }
    let mut removed = 0;
    for p in shown {
        if !wanted.contains(p.0.as_str()) {
            if removed < n {
                removed += 1;
            } else {
                out.push(p.clone());
                done = false;
            }
        }
    }
    (out, done)
}

#[derive(Clone, PartialEq)]
struct AreaPin {
    index: usize,
    id: String,
    x: f64,
    y: f64,
    labelled: bool,
    /// Folded away for the pointer: it would cover or be covered by another pin.
    crowded: bool,
}

#[derive(Clone, PartialEq)]
struct PlacePin {
    id: String,
    x: f64,
    y: f64,
}

/// Where the accessible layer's buttons go for the current view.
#[derive(Clone, PartialEq, Default)]
struct Overlay {
    areas: Vec<AreaPin>,
    places: Vec<PlacePin>,
    /// Position of each area's pin in `areas`, so each button finds its own in constant time.
    at: HashMap<String, usize>,
}

/// A button for an area on the map, at its label point (its name shown when it has room).
fn area_button(
    id: String,
    index: usize,
    overlay: Memo<Overlay>,
    is_selected: StoredValue<Selector<Option<usize>>>,
) -> El {
    let c = ctx();
    let pin = {
        let id = id.clone();
        Memo::new(move |_| {
            overlay.with(|o| {
                o.at.get(&id)
                    .and_then(|&k| o.areas.get(k))
                    .map(|p| (p.x, p.y, p.labelled, p.crowded))
            })
        })
    };
    let name = {
        let id = id.clone();
        move || {
            let lang = c.lang();
            c.with(|e| {
                e.area(&id)
                    .map(|a| a.name.get(lang).to_string())
                    .unwrap_or_default()
            })
        }
    };
    let sel = move || is_selected.with_value(|s| s.selected(&Some(index)));
    let (id2, id3, id4) = (id.clone(), id.clone(), id.clone());
    el("button")
        .class("area-pin")
        .attr("data-area", &id)
        .dyn_prop("hidden", move || pin.get().is_none().into())
        .dyn_class("labelled", move || pin.get().is_some_and(|p| p.2))
        .dyn_class("crowded", move || pin.get().is_some_and(|p| p.3))
        .dyn_class("selected", sel)
        .dyn_attr("style", move || {
            let (x, y) = pin.get().map(|p| (p.0, p.1)).unwrap_or((-999.0, -999.0));
            Some(format!("left:{x}px;top:{y}px"))
        })
        .dyn_attr("aria-pressed", move || {
            Some(if sel() { "true" } else { "false" }.to_string())
        })
        .on("click", move |_: web_sys::Event| {
            c.go(Page::Area { id: id2.clone() })
        })
        .on("mouseenter", move |_: web_sys::Event| {
            c.hovered.set(Some(id3.clone()))
        })
        .on("focus", move |_: web_sys::Event| {
            c.hovered.set(Some(id4.clone()))
        })
        .on("blur", move |_: web_sys::Event| c.hovered.set(None))
        .child(el("span").class("area-name").dyn_text(name))
}

/// A building's marker on the map, with its name.
fn place_marker(id: String, overlay: Memo<Overlay>, selected: Memo<Option<String>>) -> El {
    let c = ctx();
    let pin = {
        let id = id.clone();
        Memo::new(move |_| {
            overlay.with(|o| o.places.iter().find(|p| p.id == id).map(|p| (p.x, p.y)))
        })
    };
    let name = {
        let id = id.clone();
        move || {
            let lang = c.lang();
            c.with(|e| {
                e.place(&id)
                    .map(|p| p.name.get(lang).to_string())
                    .unwrap_or_default()
            })
        }
    };
    let is_sel = {
        let id = id.clone();
        Memo::new(move |_| selected.get().as_deref() == Some(id.as_str()))
    };
    let id2 = id.clone();
    el("button")
        .class("place-pin")
        .attr("data-place", &id)
        .dyn_class("selected", move || is_sel.get())
        .dyn_attr("style", move || {
            let (x, y) = pin.get().unwrap_or((-999.0, -999.0));
            Some(format!("left:{x}px;top:{y}px"))
        })
        .dyn_attr("aria-pressed", move || {
            Some(if is_sel.get() { "true" } else { "false" }.to_string())
        })
        .on("click", move |_: web_sys::Event| {
            c.go(Page::Place { id: id2.clone() })
        })
        .child(el("span").class("dot").attr("aria-hidden", "true"))
        .child(el("span").class("place-name").dyn_text(name))
}

/// Measures each name's label box with the page's label font (a throwaway canvas).
fn measure_labels(names: &[String]) -> Vec<LabelSize> {
    let ctx = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|el| el.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .and_then(|cv| cv.get_context("2d").ok().flatten())
        .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok());
    let Some(ctx) = ctx else {
        return names
            .iter()
            .map(|n| LabelSize {
                width: 9.0 * n.chars().count() as f64 + 16.0,
                height: 26.0,
            })
            .collect();
    };
    ctx.set_font("600 15px system-ui, \"Noto Sans CJK SC\", \"PingFang SC\", sans-serif");
    names
        .iter()
        .map(|n| {
            let w = ctx
                .measure_text(n)
                .map(|m| m.width())
                .unwrap_or(9.0 * n.chars().count() as f64);
            LabelSize {
                width: w + 16.0,
                height: 26.0,
            }
        })
        .collect()
}
