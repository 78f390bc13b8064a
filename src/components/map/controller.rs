//! The map's controller: the state every part of the map shares, held once ([`Map`]), and
//! the changes of view the parts ask for (show the picture where the view is, zoom, pan,
//! pick, frame the selection).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use lilong_core::geo::Coord;
use lilong_core::geometry::framing::{self, Inset};
use lilong_core::geometry::transform::Transform;
use lilong_core::geometry::{Limits, Viewport};
use lilong_core::route::Page;

use super::flight::FlightState;
use super::gestures::Gesture;
use super::schedule::Painting;
use crate::dom::Handle;
use crate::draw::MapModel;
use crate::state::Ctx;

/// Most pixels per world metre the map zooms to (about 1:1,500 on a screen).
pub const MAX_SCALE: f64 = 3.0;
/// How far (px) from an area a tap still picks it: a fingertip is not a mouse pointer.
const PICK_RADIUS: f64 = 12.0;

/// The map's elements, for the code that reaches them after the build.
#[derive(Clone, Copy)]
pub struct Parts {
    pub container: Handle<web_sys::HtmlElement>,
    /// The painted layer (base and highlight canvases), moved by a CSS transform.
    pub layer: Handle<web_sys::HtmlElement>,
    pub canvas: Handle<web_sys::HtmlCanvasElement>,
    pub highlight: Handle<web_sys::HtmlCanvasElement>,
    /// The accessible layer of buttons.
    pub overlay: Handle<web_sys::HtmlElement>,
}

/// What the map's parts share.
pub struct MapCtl {
    pub c: Ctx,
    pub model: Rc<MapModel>,
    pub parts: Parts,
    /// Areas shown at full strength (filters).
    pub active: Signal<Vec<bool>>,
    /// Colour by theme instead of by subdistrict.
    pub by_theme: Signal<bool>,
    /// Space (px) a panel covers on the right and at the bottom.
    pub inset: Signal<(f64, f64)>,
    pub selected: Memo<Option<usize>>,
    pub selected_place: Memo<Option<String>>,
    pub hovered: Memo<Option<usize>>,
    /// The committed view (without the transform of a gesture or flight in progress).
    pub view: RwSignal<Option<Viewport>>,
    /// The view of the picture on screen. The accessible layer is laid out for it once a new
    /// picture is shown (not on every step of a gesture or flight), and moves with the picture.
    pub shown_view: RwSignal<Option<Viewport>>,
    /// The map's size (CSS px).
    pub size: RwSignal<(f64, f64)>,
    pub painting: RefCell<Painting>,
    pub gesture: RefCell<Gesture>,
    pub flight: Cell<FlightState>,
    /// Where the map's corner is in the window: measured once and again after a resize or a
    /// scroll of the page, since measuring on every pointer event would force a layout.
    pub origin: Cell<Option<(f64, f64)>>,
}

/// The map's controller, held once for the map's lifetime: a copyable handle that every
/// listener, effect and frame callback of the map holds. Once the map is gone it gives
/// nothing, so a late frame or timer does nothing.
#[derive(Clone, Copy)]
pub struct Map(StoredValue<Rc<MapCtl>, LocalStorage>);

impl Map {
    pub fn new(ctl: MapCtl) -> Map {
        Map(StoredValue::new_local(Rc::new(ctl)))
    }

    /// The controller, unless the map is gone.
    pub fn get(self) -> Option<Rc<MapCtl>> {
        self.0.try_get_value()
    }

    /// Zooms by `factor` around the screen point `at` at once (a double tap), or around the
    /// centre in a glide (buttons and keys), from the destination of a glide under way so
    /// that quick presses add up.
    pub fn zoom_by(self, factor: f64, at: Option<(f64, f64)>) {
        let Some(m) = self.get() else { return };
        let Some(vp) = m.flight.get().to.or(m.view.get_untracked()) else {
            return;
        };
        let p = at.unwrap_or((vp.width / 2.0, vp.height / 2.0));
        let v = vp
            .zoom_around(Coord { x: p.0, y: p.1 }, factor)
            .clamp(&m.limits(vp.width, vp.height));
        if at.is_none() {
            self.fly(v)
        } else {
            m.set_view(v);
        }
    }

    /// Back to the home view, with nothing selected.
    pub fn reset(self) {
        let Some(m) = self.get() else { return };
        let (w, h) = m.size.get_untracked();
        m.c.go(Page::Map);
        self.fly(framing::home(m.model.home, w, h, &m.limits(w, h)));
    }
}

impl MapCtl {
    /// What the view may do on a `w` × `h` map.
    pub fn limits(&self, w: f64, h: f64) -> Limits {
        Limits::for_bounds(self.model.extent, w, h, MAX_SCALE)
    }

    /// The transform of the gesture or flight in progress.
    pub fn live(&self) -> Transform {
        self.gesture
            .try_borrow()
            .map(|g| g.current)
            .unwrap_or(Transform::IDENTITY)
    }

    /// Where things are on screen: the painted layer carries the picture on screen (painted
    /// for an older view, perhaps) onto the live view (the committed view under `cur`, the
    /// transform of a gesture or flight in progress); the accessible layer is laid out for
    /// the committed view and only follows the transform.
    pub fn show(&self, cur: Transform) {
        let Some(v) = self.view.try_get_untracked().flatten() else {
            return;
        };
        let live = cur.commit(v);
        let (shown, laid_out) = {
            let p = self.painting.borrow();
            (p.shown, p.laid_out)
        };
        if let Some(l) = self.parts.layer.get_untracked() {
            let t = shown
                .map(|p| Transform::between(p, live))
                .unwrap_or(Transform::IDENTITY);
            let _ = l.style().set_property("transform", &t.css());
        }
        if let Some(o) = self.parts.overlay.get_untracked() {
            let t = laid_out.map(|p| Transform::between(p, live)).unwrap_or(cur);
            let _ = o.style().set_property("transform", &t.css());
        }
    }

    /// [`MapCtl::show`] for the transform in progress.
    pub fn show_live(&self) {
        self.show(self.live());
    }

    /// Commits `v` and moves the layers to it.
    pub fn set_view(&self, v: Viewport) {
        self.view.set(Some(v));
        self.show_live();
    }

    /// Moves the map's content by `dx`, `dy` px (arrow keys).
    pub fn pan_by(&self, dx: f64, dy: f64) {
        if let Some(vp) = self.view.get_untracked() {
            self.set_view(vp.pan(dx, dy).clamp(&self.limits(vp.width, vp.height)));
        }
    }

    /// The view that frames the selection (or the home view), leaving room for the panel.
    pub fn framing(&self, w: f64, h: f64) -> Viewport {
        let (right, bottom) = self.inset.get_untracked();
        let m = &self.model;
        let target = match self.selected.get_untracked() {
            Some(i) => match self.selected_place.get_untracked() {
                Some(pid) => m
                    .places
                    .iter()
                    .find(|p| p.0 == pid)
                    .map(|p| framing::around_place(p.1))
                    .or(m.areas.bbox(i)),
                None => m.areas.bbox(i).map(framing::around_area),
            }
            .unwrap_or(m.home),
            None => m.home,
        };
        framing::frame(
            target,
            w,
            h,
            Inset { right, bottom },
            MAX_SCALE,
            &self.limits(w, h),
        )
    }

    /// The area under the screen point (x, y) of the committed view, within reach of a finger.
    pub fn select_at(&self, x: f64, y: f64) {
        let Some(vp) = self.view.get_untracked() else {
            return;
        };
        let m = &self.model;
        let hit = m
            .areas
            .hit_near(Coord { x, y }, &vp, PICK_RADIUS)
            .and_then(|i| m.area_ids.get(i).cloned());
        match hit {
            Some(id) => self.c.go(Page::Area { id }),
            None => self.c.go(Page::Map),
        }
    }

    /// Hovers the area under the mouse at (x, y).
    pub fn hover_at(&self, x: f64, y: f64) {
        let m = &self.model;
        let hit = self.view.get_untracked().and_then(|vp| {
            m.areas
                .hit(Coord { x, y }, &vp)
                .map(|i| m.area_ids[i].clone())
        });
        if self.c.hovered.get_untracked() != hit {
            self.c.hovered.set(hit);
        }
    }
}
