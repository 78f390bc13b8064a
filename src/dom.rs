//! The interface's own view layer: elements made with plain DOM calls and kept up to date by
//! the same reactive graph the rest of the app uses (signals, memos, `RenderEffect`s).
//!
//! Why: Leptos's `view!` turns every view tree into its own type, and the framework's build,
//! rebuild, mount and drop code is generated again for each of them; in this app that generated
//! code is about two thirds of the module (see `docs/performance.md`, code size). Here a view is
//! a chain of calls on one type, [`El`], whose methods are compiled once; a closure passed to
//! `dyn_*` or `on` is boxed at once, so each costs one small function, not a family of generic
//! ones. The whole interface is built this way; nothing in the app uses `view!`.
//!
//! Lifetimes follow the reactive owner the view is built under: its effects and event listeners
//! are released (listeners removed first) when that owner is cleaned up, as when a Leptos view
//! around it is replaced. Text is always set as text (`Text` nodes, `textContent`, attributes):
//! there is no way to insert markup here.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// An element under construction. Code that reaches the element after the build holds a
/// [`Handle`] bound to it ([`El::bind`]), not the element itself.
pub struct El(web_sys::Element);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("a document")
}

/// A new element: `el("button")`.
pub fn el(tag: &str) -> El {
    El(document().create_element(tag).expect_throw("an element"))
}

/// A new SVG element: `svg("rect")` (made with `createElementNS`; `el` makes HTML ones). Its
/// class is set with `.attr("class", …)`: an SVG element's `className` is not a string.
pub fn svg(tag: &str) -> El {
    El(document()
        .create_element_ns(Some("http://www.w3.org/2000/svg"), tag)
        .expect_throw("an SVG element"))
}

/// An element that is already in the page (the `<body>` the app is built into).
pub fn existing(element: web_sys::Element) -> El {
    El(element)
}

/// Keeps `value` until the current reactive owner is cleaned up, then drops it.
fn keep<T: 'static>(value: T) {
    let value = SendWrapper::new(value);
    on_cleanup(move || drop(value));
}

impl El {
    /// Sets the `class` attribute (several classes: one string, space-separated).
    pub fn class(self, class: &str) -> El {
        self.0.set_class_name(class);
        self
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Appends a text node.
    pub fn text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child element.
    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    /// Appends a child element when there is one.
    pub fn maybe(self, child: Option<El>) -> El {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Appends every child, in order.
    pub fn children(self, children: impl IntoIterator<Item = El>) -> El {
        for c in children {
            let _ = self.0.append_child(&c.0);
        }
        self
    }

    /// Appends a text node whose text follows `f`.
    pub fn dyn_text(self, f: impl Fn() -> String + 'static) -> El {
        self.dyn_text_boxed(Box::new(f))
    }

    fn dyn_text_boxed(self, f: Box<dyn Fn() -> String>) -> El {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        keep(RenderEffect::new(move |_| node.set_data(&f())));
        self
    }

    /// An attribute that follows `f`: a `String` (`tr("search.label")` for a label), or an
    /// `Option<String>` whose `None` removes it.
    pub fn dyn_attr<V: Into<Option<String>>>(
        self,
        name: &'static str,
        f: impl Fn() -> V + 'static,
    ) -> El {
        self.dyn_attr_boxed(name, Box::new(move || f().into()))
    }

    fn dyn_attr_boxed(self, name: &'static str, f: Box<dyn Fn() -> Option<String>>) -> El {
        let e = self.0.clone();
        keep(RenderEffect::new(move |_| {
            let _ = match f() {
                Some(v) => e.set_attribute(name, &v),
                None => e.remove_attribute(name),
            };
        }));
        self
    }

    /// An attribute that is `"true"` or `"false"` as `f` says (`aria-expanded`, `aria-pressed`,
    /// `aria-selected`, `data-ready`): ARIA states are spelled out, never left absent.
    pub fn dyn_bool_attr(self, name: &'static str, f: impl Fn() -> bool + 'static) -> El {
        self.dyn_bool_attr_boxed(name, Box::new(f))
    }

    fn dyn_bool_attr_boxed(self, name: &'static str, f: Box<dyn Fn() -> bool>) -> El {
        let e = self.0.clone();
        keep(RenderEffect::new(move |_| {
            let _ = e.set_attribute(name, if f() { "true" } else { "false" });
        }));
        self
    }

    /// A class that is on while `f` says so.
    pub fn dyn_class(self, class: &'static str, f: impl Fn() -> bool + 'static) -> El {
        self.dyn_class_boxed(class, Box::new(f))
    }

    fn dyn_class_boxed(self, class: &'static str, f: Box<dyn Fn() -> bool>) -> El {
        let list = self.0.class_list();
        keep(RenderEffect::new(move |_| {
            let _ = list.toggle_with_force(class, f());
        }));
        self
    }

    /// A DOM property that follows `f` (`disabled`, `hidden`, a `<select>`'s `value`).
    pub fn dyn_prop(self, name: &'static str, f: impl Fn() -> JsValue + 'static) -> El {
        self.dyn_prop_boxed(name, Box::new(f))
    }

    fn dyn_prop_boxed(self, name: &'static str, f: Box<dyn Fn() -> JsValue>) -> El {
        let e = self.0.clone();
        keep(RenderEffect::new(move |_| {
            let _ = js_sys::Reflect::set(&e, &JsValue::from_str(name), &f());
        }));
        self
    }

    /// Children that `f` builds anew whenever what it reads changes (they replace every child
    /// this element had). What the previous children set up is released first.
    pub fn dyn_children(self, f: impl Fn() -> Vec<El> + 'static) -> El {
        self.dyn_children_boxed(Box::new(f))
    }

    fn dyn_children_boxed(self, f: Box<dyn Fn() -> Vec<El>>) -> El {
        let e = self.0.clone();
        keep(RenderEffect::new(move |_| {
            let fresh = js_sys::Array::new();
            for c in f() {
                fresh.push(&c.0);
            }
            e.replace_children_with_node(&fresh);
        }));
        self
    }

    /// A child that `f` builds anew (or leaves out) whenever what it reads changes, in this
    /// place among the element's children. What the previous one set up is released first.
    pub fn dyn_child(self, f: impl Fn() -> Option<El> + 'static) -> El {
        self.dyn_child_boxed(Box::new(f))
    }

    fn dyn_child_boxed(self, f: Box<dyn Fn() -> Option<El>>) -> El {
        let marker = document().create_comment("");
        let _ = self.0.append_child(&marker);
        keep(RenderEffect::new(
            move |prev: Option<Option<web_sys::Element>>| {
                if let Some(Some(old)) = prev {
                    old.remove();
                }
                let new = f().map(|e| e.0);
                if let Some(n) = &new {
                    let _ = marker.before_with_node_1(n);
                }
                new
            },
        ));
        self
    }

    /// Children built by `build`, one per key of `items`, in its order: when the keys change,
    /// a key kept keeps its element (and its state, focus included), a new one is built, a gone
    /// one is released and removed, and as few elements as possible move. They stand where this
    /// call puts them among the element's other children.
    pub fn dyn_keyed<K>(
        self,
        items: impl Fn() -> Vec<K> + 'static,
        build: impl Fn(K) -> El + 'static,
    ) -> El
    where
        K: Clone + Eq + std::hash::Hash + 'static,
    {
        let end = document().create_comment("");
        let _ = self.0.append_child(&end);
        let parent = self.0.clone();
        // Rows belong to the view's owner, not to the effect's run, so they outlive a rerun.
        let owner = Owner::current().unwrap_or_default();
        let mut rows: HashMap<K, (web_sys::Element, Owner)> = HashMap::new();
        let mut order: Vec<K> = Vec::new();
        keep(RenderEffect::new(move |_| {
            let want = items();
            let wanted: HashSet<&K> = want.iter().collect();
            for k in &order {
                if !wanted.contains(k)
                    && let Some((el, o)) = rows.remove(k)
                {
                    o.cleanup();
                    el.remove();
                }
            }
            let old: HashMap<&K, usize> = order
                .iter()
                .filter(|k| wanted.contains(k))
                .enumerate()
                .map(|(i, k)| (k, i))
                .collect();
            let was: Vec<Option<usize>> = want.iter().map(|k| old.get(k).copied()).collect();
            let stay = stationary(&was);
            let mut next: web_sys::Node = end.clone().into();
            for (i, k) in want.iter().enumerate().rev() {
                let el = match rows.get(k) {
                    Some((el, _)) => el.clone(),
                    None => {
                        let o = owner.child();
                        let el = o.with(|| untrack(|| build(k.clone()))).0;
                        rows.insert(k.clone(), (el.clone(), o));
                        el
                    }
                };
                if !stay[i] {
                    let _ = parent.insert_before(&el, Some(&next));
                }
                next = el.into();
            }
            order = want;
        }));
        self
    }

    /// Listens to `event` for as long as the view lives; the handler receives the event as
    /// the type it names (`|ev: web_sys::PointerEvent|`, or `on::<web_sys::KeyboardEvent>`).
    /// The event is cast here, once, without a check: name the type the browser sends for
    /// `event` (`MouseEvent` for clicks, `PointerEvent` for `pointer*`, `KeyboardEvent` for
    /// `key*`, `FocusEvent` for focus changes, `web_sys::Event` for any).
    pub fn on<E: JsCast + 'static>(
        self,
        event: &'static str,
        mut f: impl FnMut(E) + 'static,
    ) -> El {
        self.on_boxed(
            event,
            Box::new(move |ev: web_sys::Event| f(ev.unchecked_into())),
        )
    }

    /// Listens to clicks, for a handler that needs nothing from the event.
    pub fn on_click(self, mut f: impl FnMut() + 'static) -> El {
        self.on_boxed("click", Box::new(move |_| f()))
    }

    fn on_boxed(self, event: &'static str, f: Box<dyn FnMut(web_sys::Event)>) -> El {
        let cb = Closure::<dyn FnMut(web_sys::Event)>::wrap(f);
        let _ = self
            .0
            .add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        let target = self.0.clone();
        let listener = SendWrapper::new((target, cb));
        on_cleanup(move || {
            let (target, cb) = listener.take();
            let _ = target.remove_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        });
        self
    }

    /// Binds `handle` to this element, for the code that reaches it after the build.
    pub fn bind<T: JsCast + Clone + 'static>(self, handle: Handle<T>) -> El {
        handle.0.try_set(Some(self.0.clone().unchecked_into()));
        self
    }

    /// Appends the nodes of a part that keeps its own place among the element's children.
    pub fn nodes(self, nodes: Vec<web_sys::Node>) -> El {
        for n in &nodes {
            let _ = self.0.append_child(n);
        }
        self
    }

    /// The element as a node, for a part that places nodes itself.
    pub fn into_node(self) -> web_sys::Node {
        self.0.into()
    }
}

/// Which entries stay where they are when a keyed list is reordered: given each new entry's
/// position in the old order (`None` for a new one), the longest run that is already in order.
/// Every other entry moves (or is inserted).
fn stationary(was: &[Option<usize>]) -> Vec<bool> {
    // Longest increasing subsequence, O(n log n): `tails[l]` ends the best run of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; was.len()];
    for (i, w) in was.iter().enumerate() {
        let Some(w) = *w else { continue };
        let l = tails.partition_point(|&t| was[t].is_some_and(|x| x < w));
        if l > 0 {
            prev[i] = Some(tails[l - 1]);
        }
        if l == tails.len() {
            tails.push(i);
        } else {
            tails[l] = i;
        }
    }
    let mut stay = vec![false; was.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        stay[i] = true;
        at = prev[i];
    }
    stay
}

/// The one way to reach an element after the build (Leptos's `NodeRef`): made empty, bound to
/// its element with [`El::bind`], copied into closures as a signal is, and typed as the element
/// it holds (`Handle<web_sys::HtmlCanvasElement>`), cast once when bound.
pub struct Handle<T: 'static = web_sys::HtmlElement>(RwSignal<Option<T>, LocalStorage>);

impl<T: 'static> Clone for Handle<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Handle<T> {}

impl<T: Clone + 'static> Default for Handle<T> {
    fn default() -> Self {
        Handle::new()
    }
}

impl<T: Clone + 'static> Handle<T> {
    /// A handle bound to nothing yet.
    pub fn new() -> Handle<T> {
        Handle(RwSignal::new_local(None))
    }

    /// The element once it is bound (and while the view it belongs to lives). Read in an
    /// effect, the effect runs again when the handle is bound to another element.
    pub fn get(&self) -> Option<T> {
        self.0.try_get().flatten()
    }

    /// The element, without tracking.
    pub fn get_untracked(&self) -> Option<T> {
        self.0.try_get_untracked().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::stationary;

    #[test]
    fn a_keyed_list_moves_as_few_entries_as_it_can() {
        // Nothing changed: nothing moves.
        assert_eq!(stationary(&[Some(0), Some(1), Some(2)]), [true; 3]);
        // The first went to the end: only it moves.
        assert_eq!(
            stationary(&[Some(1), Some(2), Some(0)]),
            [true, true, false]
        );
        // New entries are always placed; the kept ones stay in order.
        assert_eq!(
            stationary(&[None, Some(0), None, Some(1)]),
            [false, true, false, true]
        );
        // Reversed: one stays.
        assert_eq!(
            stationary(&[Some(2), Some(1), Some(0)])
                .iter()
                .filter(|s| **s)
                .count(),
            1
        );
    }
}
