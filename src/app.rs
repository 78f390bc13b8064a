//! The root: loads the data, provides the shared state, and shows the page the route names.
//! It never leaves a blank page: while loading it says so, and when a file cannot be used it
//! says which and why.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use lilong_core::checked;
use lilong_core::geometry::Scene;
use lilong_core::load::Loaded;
use lilong_core::route::Page;

use crate::components::header::header;
use crate::components::kiosk::provide_reset_generation;
use crate::dom::{El, el, existing};
use crate::draw::MapModel;
use crate::fetch::{fetch_buffer, fetch_data};
use crate::pages::health::health_page;
use crate::pages::map::map_page;
use crate::pages::stories::stories_page;
use crate::pages::story::story_page;
use crate::pages::timeline::timeline_page;
use crate::state::{Ctx, route_from_url, tr};

/// Builds the exhibit into the page's `<body>`, under a reactive owner that lives as long as
/// the page.
pub fn mount() {
    // The reactive system's tasks run on the browser's microtask queue.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.with(|| {
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = existing(body.into()).dyn_child(app);
        }
    });
    std::mem::forget(owner);
}

/// The loading note, then the exhibit.
fn app() -> Option<El> {
    register_service_worker();
    let loaded = RwSignal::new_local(None::<(Arc<Loaded>, Rc<MapModel>, DataFrom)>);
    // Whether what is shown is known to come from the files as they are now (see below).
    let verified = RwSignal::new(false);
    provide_context(Verified(verified.into()));
    leptos::task::spawn_local(async move {
        let base = route_from_url().data.unwrap_or_else(|| "data".to_string());
        // The checked exhibit first: shown at once, then compared with the JSON files once the
        // map is on screen. If a file changed since it was written, the page loads again and
        // reads the JSON for the rest of the visit (a curator's edit shows within a second,
        // and every problem is located); `STALE_KEY` in the session's storage says so.
        let noted = stale_noted(&base);
        let mut from = DataFrom::Json(noted.clone().unwrap_or_default(), None);
        let checked_url = format!("{base}/{}", checked::FILE);
        if noted.is_none()
            && let Some(buf) = fetch_buffer(&checked_url).await
        {
            crate::memory::mark("lilong-fetched");
            let bytes = crate::fetch::to_vec(&buf);
            drop(buf);
            match checked::read(&bytes) {
                Ok(c) => {
                    // The bytes go before the map is shown (the read exhibit holds its copies).
                    drop(bytes);
                    let (l, model, made_from) = prepare(c);
                    loaded.set(Some((Arc::new(l), Rc::new(model), DataFrom::Checked)));
                    crate::memory::interactive_or(1500).await;
                    let stale = checked::Checked::stale_against(
                        &made_from,
                        &fetch_data(&base).await.stamps(),
                    );
                    if stale.is_empty() || !note_stale(&base, &stale) {
                        // Up to date; or no session storage (a browser that refuses it), where
                        // reloading would only show the checked exhibit again.
                        verified.set(true);
                    } else if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                    return;
                }
                Err(e) => from = DataFrom::Json(Vec::new(), Some(e.to_string())),
            }
        }
        let (l, model) = check_json(&base).await;
        loaded.set(Some((Arc::new(l), Rc::new(model), from)));
        verified.set(true);
    });
    let root = el("div").class("dom-host").dyn_child(move || {
        Some(match loaded.get() {
            None => el("main")
                .attr("id", "app")
                .class("app loading")
                .attr("aria-busy", "true")
                .child(
                    el("p")
                        .class("loading-note")
                        .text("正在载入展览… · Loading the exhibit…"),
                ),
            Some((l, model, from)) => untrack(move || exhibit(l, model, from)),
        })
    });
    Some(root)
}

fn exhibit(loaded: Arc<Loaded>, model: Rc<MapModel>, from: DataFrom) -> El {
    let c = Ctx::new(loaded.clone(), route_from_url());
    provide_context(c);
    provide_context(from);
    let verified = use_context::<Verified>()
        .map(|v| v.0)
        .unwrap_or(Signal::stored(true));
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let r = route_from_url();
        // The same view again (a replaced entry, a duplicate event) redoes nothing.
        if c.route.with_untracked(|now| *now != r) {
            c.set_route(r);
        }
    });
    on_cleanup(move || handle.remove());
    let esc = window_event_listener(leptos::ev::keydown, move |ev| {
        // A story closes itself (back to where it was opened from: story.rs).
        let own = |p: &Page| matches!(p, Page::Map | Page::Story { .. });
        if ev.key() == "Escape" && c.route.with_untracked(|r| !own(&r.page)) {
            c.go(Page::Map);
        }
    });
    on_cleanup(move || esc.remove());
    // Keep the document's language and title in step.
    Effect::new(move |_| {
        let lang = c.lang();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(el) = doc.document_element() {
                let _ = el.set_attribute("lang", lang.tag());
            }
            doc.set_title(&c.with(|e| e.settings.title.get(lang).to_string()));
        }
    });
    let unusable = RwSignal::new(!loaded.unusable.is_empty());
    // A kiosk reset rebuilds the page, so nothing a visitor left behind survives it.
    let generation = provide_reset_generation();
    let model = StoredValue::new_local(model);
    provide_context(crate::components::story_card::MapHandle(model));
    let kiosk = move || c.kiosk();
    // Which page fills the screen: rebuilt only when this changes, not on every route change
    // (a new chapter of the same story keeps its map and flies it).
    let shown = Memo::new(move |_| {
        c.route.with(|r| match &r.page {
            Page::Health => Shown::Health,
            Page::Story { id, .. } => Shown::Story(id.clone()),
            Page::Timeline => Shown::Timeline,
            Page::Stories => Shown::Stories,
            _ => Shown::Map,
        })
    });
    let page = move || {
        Some(if unusable.get() {
            untrack(|| unusable_files(move || unusable.set(false)))
        } else {
            generation.track();
            let model = model.get_value();
            untrack(|| match shown.get_untracked() {
                Shown::Health => health_page(),
                Shown::Story(id) => story_page(model, id),
                Shown::Timeline => timeline_page(),
                Shown::Stories => stories_page(&model),
                Shown::Map => map_page(model),
            })
        })
    };
    // `shown` is read here so the page is rebuilt when it changes (not inside `untrack`).
    let page = move || {
        shown.track();
        page()
    };
    el("main")
        .attr("id", "app")
        .class("app")
        .dyn_class("kiosk", kiosk)
        .dyn_bool_attr("data-ready", move || c.ready.get() && verified.get())
        .child(
            el("a")
                .class("skip-link")
                .attr("href", "#content")
                .on("click", |ev: web_sys::Event| {
                    ev.prevent_default();
                    skip_to_content();
                })
                .dyn_text(tr("skip.main")),
        )
        .child(header())
        .dyn_child(page)
        .child(
            el("div")
                .class("sr-only")
                .attr("aria-live", "polite")
                .attr("role", "status")
                .dyn_text(move || c.announce.get()),
        )
        .child(crate::components::kiosk::kiosk())
}

/// Moves the focus to the page's main content (`#content`: the story's text, the shelf of
/// stories, the map page's sidebar), for the skip link.
fn skip_to_content() {
    use wasm_bindgen::JsCast;
    let target = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("content"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(t) = target {
        let _ = t.focus();
    }
}

/// Registers `sw.js` (offline and installable; see `public/sw.js`) as `sw.js?v=<build>`, the build
/// being the hashed name of the app's script, so each build gets its own cache. Failure (a
/// browser without service workers, a `file://` page) is silent: the exhibit works without it.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if !js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let build = window
        .document()
        .and_then(|d| {
            d.query_selector(r#"link[rel="modulepreload"][href$=".js"]"#)
                .ok()
                .flatten()
        })
        .and_then(|l| l.get_attribute("href"))
        .and_then(|h| {
            h.rsplit('/')
                .next()
                .map(|f| f.trim_end_matches(".js").to_string())
        })
        .filter(|b| {
            !b.is_empty()
                && b.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .unwrap_or_else(|| "dev".to_string());
    let promise = window
        .navigator()
        .service_worker()
        .register(&format!("sw.js?v={build}"));
    leptos::task::spawn_local(async move {
        // A refusal is not an error a visitor should see; the exhibit simply stays online-only.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// The map prepared for a checked exhibit, and the files it was made from.
fn prepare(c: checked::Checked) -> (Loaded, MapModel, Vec<(String, Option<checked::Stamp>)>) {
    crate::memory::mark("lilong-loaded");
    let model = MapModel::new(&c.loaded.exhibit, c.areas, c.districts, c.basemap);
    crate::memory::mark("lilong-map-prepared");
    (c.loaded, model, c.made_from)
}

/// Reads the JSON files in the checker worker (`crate::checker`) and prepares the map. When the
/// worker cannot answer, every file is named on the calm screen with the reason.
async fn check_json(base: &str) -> (Loaded, MapModel) {
    let read = crate::checker::run(base)
        .await
        .and_then(|bytes| checked::read(&bytes).map_err(|e| e.to_string()));
    match read {
        Ok(c) => {
            let (l, model, _) = prepare(c);
            (l, model)
        }
        Err(why) => {
            let files = lilong_core::load::FILES;
            let l = Loaded {
                problems: files
                    .iter()
                    .map(|f| lilong_core::problem::Problem {
                        file: f.to_string(),
                        line: 1,
                        col: 1,
                        path: String::new(),
                        severity: lilong_core::problem::Severity::Error,
                        message: format!("could not be read: {why}"),
                    })
                    .collect(),
                unusable: files.iter().map(|f| f.to_string()).collect(),
                ..Loaded::default()
            };
            let model = MapModel::new(
                &l.exhibit,
                Scene::empty(),
                Scene::empty(),
                Default::default(),
            );
            (l, model)
        }
    }
}

/// The session storage key under which the app notes that a data folder's checked exhibit is
/// older than its files: `folder`, then the newer files, one per line. `index.html` reads it too.
const STALE_KEY: &str = "lilong-stale-checked";

/// The files noted as newer than `base`'s checked exhibit in this visit, if any.
fn stale_noted(base: &str) -> Option<Vec<String>> {
    let s = web_sys::window()?.session_storage().ok()??;
    let v = s.get_item(STALE_KEY).ok()??;
    let mut lines = v.lines();
    (lines.next()? == base).then(|| lines.map(String::from).collect())
}

/// Notes the newer files for the rest of the visit; whether the note can be read back.
fn note_stale(base: &str, files: &[String]) -> bool {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.set_item(STALE_KEY, &format!("{base}\n{}", files.join("\n")));
    }
    stale_noted(base).is_some()
}

/// Whether the exhibit shown is known to be what the data files hold now: false while a checked
/// exhibit is shown and not yet compared with them. The page is `data-ready` only then.
#[derive(Clone, Copy)]
pub struct Verified(pub Signal<bool>);

/// Where the exhibit was read from, for the curators' health page.
#[derive(Clone, Debug, PartialEq)]
pub enum DataFrom {
    /// `checked.bin`, made from exactly the files the server has now.
    Checked,
    /// The JSON files, read by the checker worker: the checked file is older than these files,
    /// or (the text) could not be read, or (neither) there is none.
    Json(Vec<String>, Option<String>),
}

/// The page kinds [`Exhibit`] switches between.
#[derive(Clone, PartialEq)]
enum Shown {
    Map,
    Health,
    Story(String),
    Timeline,
    Stories,
}

/// A calm screen naming the files that could not be used and why, instead of a blank page.
/// The calm screen that names each data file that could not be used, and why.
fn unusable_files(on_continue: impl Fn() + 'static) -> El {
    let c = crate::state::ctx();
    Effect::new(move |_| c.ready.set(true));
    let loaded = c.exhibit();
    let items = loaded.unusable.iter().map(|f| {
        let msgs = loaded
            .problems
            .iter()
            .filter(|p| &p.file == f && p.is_error())
            .map(|p| {
                el("li")
                    .class("msg")
                    .text(&format!("{}:{}:{}: {}", p.file, p.line, p.col, p.message))
            });
        el("li")
            .child(el("code").class("file").text(&format!("data/{f}")))
            .child(el("ul").children(msgs))
    });
    el("section")
        .class("unusable")
        .attr("role", "alert")
        .child(el("h2").text(
            "部分展览数据无法读取 · Part of the exhibit's data could not be read",
        ))
        .child(el("p").text(
            "以下文件有问题，其余内容仍可浏览。· These files have a problem; everything else can still be shown.",
        ))
        .child(el("ul").children(items))
        .child(
            el("button")
                .class("continue")
                .on_click(on_continue)
                .text("继续浏览 · Continue to the exhibit"),
        )
}
