//! The root: loads the data, provides the shared state, and shows the page the route names.
//! It never leaves a blank page: while loading it says so, and when a file cannot be used it
//! says which and why.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use lilong_core::checked;
use lilong_core::geometry::Scene;
use lilong_core::load::Loaded;
use lilong_core::model::Lang;
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
    // The files read from this device's last good copy, and why (see `crate::last_good`).
    let from_good = RwSignal::new(FromGood(Vec::new()));
    provide_context(from_good);
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
                    let l = Arc::new(l);
                    loaded.set(Some((l.clone(), Rc::new(model), DataFrom::Checked)));
                    crate::memory::interactive_or(1500).await;
                    let fetched = fetch_data(&base).await;
                    let stale = checked::Checked::stale_against(&made_from, &fetched.stamps());
                    if stale.is_empty() {
                        // Exactly the files the checked exhibit was made from: each one without
                        // an error becomes this device's last good copy.
                        keep_good_copies(&base, &l, &fetched).await;
                        verified.set(true);
                    } else if !note_stale(&base, &stale) {
                        // No session storage (a browser that refuses it), where reloading
                        // would only show the checked exhibit again.
                        verified.set(true);
                    } else if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                    return;
                }
                Err(e) => from = DataFrom::Json(Vec::new(), Some(e.to_string())),
            }
        }
        let (l, model, good) = check_json(&base).await;
        from_good.set(FromGood(good));
        mark_good_copies_kept();
        loaded.set(Some((Arc::new(l), Rc::new(model), from)));
        verified.set(true);
    });
    let base = route_from_url().data.unwrap_or_else(|| "data".to_string());
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
            // Only when nothing can be shown: a calm screen for visitors (the curators' page
            // is never blocked by a broken file).
            Some((l, _, _)) if cannot_show(&l) && route_from_url().page != Page::Health => {
                let base = base.clone();
                untrack(move || being_updated(&l, base))
            }
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
        // A file that could not be used is left out without a word to visitors; the
        // curators' page (`?health`) names it.
        generation.track();
        let model = model.get_value();
        Some(untrack(|| match shown.get_untracked() {
            Shown::Health => health_page(),
            Shown::Story(id) => story_page(model, id),
            Shown::Timeline => timeline_page(),
            Shown::Stories => stories_page(&model),
            Shown::Map => map_page(model),
        }))
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

/// Reads the JSON files in the checker worker (`crate::checker`) and prepares the map; with the
/// files read from the last good copy, and why. When the worker cannot answer, every file is
/// unusable with the reason (for the health page).
async fn check_json(base: &str) -> (Loaded, MapModel, Vec<(String, String)>) {
    let read = crate::checker::run(base).await.and_then(|a| {
        checked::read(&a.checked)
            .map(|c| (c, a.from_good))
            .map_err(|e| e.to_string())
    });
    match read {
        Ok((c, good)) => {
            let (l, model, _) = prepare(c);
            (l, model, good)
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
            (l, model, Vec::new())
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

/// The files read from this device's last good copy because the server's could not be used:
/// `(file, why)`, for the health page. Provided as a signal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FromGood(pub Vec<(String, String)>);

/// Whether the exhibit cannot be shown at all: its settings or its areas could not be used
/// (and this device had no good copy of them).
fn cannot_show(l: &Loaded) -> bool {
    let unusable = |f: &str| l.unusable.iter().any(|u| u == f);
    unusable("exhibit.json")
        || unusable("areas.geojson")
        || (!l.unusable.is_empty() && l.exhibit.areas.is_empty())
}

/// Keeps each file of `fetched` in which `loaded` found no error as the last good copy.
async fn keep_good_copies(base: &str, loaded: &Loaded, fetched: &crate::fetch::Fetched) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (Ok(caches), Ok(page)) = (window.caches(), window.location().href()) else {
        return;
    };
    let present = fetched
        .files
        .iter()
        .filter(|(_, b)| b.is_some())
        .map(|(n, _)| *n);
    for name in crate::last_good::clean_files(loaded, present) {
        if let Some((_, Some(buf))) = fetched.files.iter().find(|(n, _)| *n == name) {
            let key = crate::last_good::key(&page, base, name);
            crate::last_good::put(&caches, &key, &js_sys::Uint8Array::new(buf)).await;
        }
    }
    mark_good_copies_kept();
}

/// Marks the document `data-good-kept`: the files that loaded cleanly are kept on this device
/// (what the end-to-end tests wait for before breaking a file on the server).
fn mark_good_copies_kept() {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("data-good-kept", "true");
    }
}

/// How often the calm screen looks again whether the files have been fixed.
const RETRY_MS: i32 = 20_000;

/// The language of a visitor before the exhibit's settings can be trusted: the link's, else
/// the exhibit's default (when its settings could be read), else the browser's.
fn visitor_lang(l: &Loaded) -> Lang {
    if let Some(lang) = route_from_url().lang.as_deref().and_then(Lang::from_tag) {
        return lang;
    }
    if !l.unusable.iter().any(|u| u == "exhibit.json") {
        return l.exhibit.settings.default_language;
    }
    let navigator = web_sys::window().map(|w| w.navigator());
    let tags = navigator
        .map(|n| {
            n.languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    for tag in tags {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            let hant = ["hant", "-tw", "-hk", "-mo"]
                .iter()
                .any(|h| tag.contains(h));
            return if hant { Lang::ZhHant } else { Lang::ZhHans };
        }
        if tag.starts_with("en") {
            return Lang::En;
        }
    }
    Lang::ZhHans
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The calm screen when the exhibit cannot be shown at all: "the exhibit is being updated" in
/// the visitor's language, nothing technical (the curators' page names the file). It has the
/// checker read the files again every [`RETRY_MS`] and reloads the page as soon as they can be
/// shown, so a kiosk recovers by itself.
fn being_updated(l: &Loaded, base: String) -> El {
    let lang = visitor_lang(l);
    let (title, note) = match lang {
        Lang::ZhHans => ("展览正在更新", "请稍候，马上就好。"),
        Lang::ZhHant => ("展覽正在更新", "請稍候，馬上就好。"),
        Lang::En => (
            "The exhibit is being updated",
            "Please come back in a moment.",
        ),
    };
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", lang.tag());
    }
    leptos::task::spawn_local(async move {
        loop {
            sleep(RETRY_MS).await;
            let Ok(answer) = crate::checker::run(&base).await else {
                continue;
            };
            if let Ok(c) = checked::read(&answer.checked)
                && !cannot_show(&c.loaded)
            {
                // The files can be shown again: start afresh from them.
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
                return;
            }
        }
    });
    el("main")
        .attr("id", "app")
        .class("app updating")
        .attr("data-ready", "true")
        .attr("data-updating", "true")
        .child(
            el("section")
                .class("being-updated")
                .attr("role", "status")
                .child(el("h1").text(title))
                .child(el("p").text(note)),
        )
}
