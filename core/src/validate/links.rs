//! Optional links to records that were left out (a place's story, a project's places, a
//! chapter's focus, a step of the kiosk tour, sources): dropped with a warning, the record kept.

use super::refs::{At, Ids};
use super::refs::{Check, Ref};
use super::{AREAS, DISTRICTS, EXHIBIT, PLACES, PROJECTS, SOURCES, STORIES, SUBDISTRICTS};
use crate::load::{Parsed, Reporter};
use crate::locate::JsonPath;
use crate::model::{AttractStep, Focus, Settings, Theme};

/// Drops the optional links of every record to records left out.
pub(super) fn prune_links(rep: &mut Reporter, p: &mut Parsed, ids: &Ids) {
    for r in &mut p.districts {
        let base = At::new(&r.path).k("properties");
        kept_sources(rep, ids, DISTRICTS, base, &mut r.value.props.sources);
    }
    for r in &mut p.subdistricts {
        kept_sources(
            rep,
            ids,
            SUBDISTRICTS,
            At::new(&r.path),
            &mut r.value.sources,
        );
    }
    for r in &mut p.areas {
        let base = At::new(&r.path).k("properties");
        kept_sources(rep, ids, AREAS, base, &mut r.value.props.sources);
    }
    for r in &mut p.places {
        let base = At::new(&r.path).k("properties");
        let v = &mut r.value.props;
        if let Some(st) = v.story.clone()
            && !prune_link(rep, ids, PLACES, base.k("story"), STORIES, "story", &st)
        {
            v.story = None;
        }
        kept_sources(rep, ids, PLACES, base, &mut v.sources);
        for (i, f) in v.facts.iter_mut().enumerate() {
            let fp = base.k("facts").i(i);
            kept_sources(rep, ids, PLACES, fp, &mut f.sources);
        }
    }
    for r in &mut p.projects {
        let v = &mut r.value;
        let mut i = 0;
        v.places.retain(|pl| {
            let base = At::new(&r.path).k("places").i(i);
            i += 1;
            prune_link(rep, ids, PROJECTS, base, PLACES, "place", pl)
        });
        kept_sources(rep, ids, PROJECTS, At::new(&r.path), &mut v.sources);
        for (i, m) in v.milestones.iter_mut().enumerate() {
            let mp = At::new(&r.path).k("milestones").i(i);
            kept_sources(rep, ids, PROJECTS, mp, &mut m.sources);
        }
    }
    for r in &mut p.stories {
        let v = &mut r.value;
        if let Some(pl) = v.place.clone()
            && !prune_link(
                rep,
                ids,
                STORIES,
                At::new(&r.path).k("place"),
                PLACES,
                "place",
                &pl,
            )
        {
            v.place = None;
        }
        if let Some(a) = v.area.clone()
            && !prune_link(
                rep,
                ids,
                STORIES,
                At::new(&r.path).k("area"),
                AREAS,
                "area",
                &a,
            )
        {
            v.area = None;
        }
        kept_sources(rep, ids, STORIES, At::new(&r.path), &mut v.sources);
        for (i, c) in v.chapters.iter_mut().enumerate() {
            let cp = At::new(&r.path).k("chapters").i(i);
            let fp = cp.k("focus");
            let ok = match &c.focus {
                Some(Focus::Area(a)) => {
                    prune_link(rep, ids, STORIES, fp.k("area"), AREAS, "area", a)
                }
                Some(Focus::Place(pl)) => {
                    prune_link(rep, ids, STORIES, fp.k("place"), PLACES, "place", pl)
                }
                None => true,
            };
            if !ok {
                c.focus = None;
            }
            kept_sources(rep, ids, STORIES, cp, &mut c.sources);
        }
    }
}

/// The settings, with their checked themes and without links to records left out.
pub(super) fn prune_settings(
    rep: &mut Reporter,
    ids: &Ids,
    mut s: Settings,
    themes: Vec<Theme>,
) -> Settings {
    s.themes = themes;
    let root = JsonPath::root();
    let mut kept = Vec::new();
    for (i, step) in s.kiosk.attract.drain(..).enumerate() {
        let sp = At::new(&root).k("kiosk").k("attract").i(i);
        let ok = match &step {
            AttractStep::Story(id) => {
                prune_link(rep, ids, EXHIBIT, sp.k("story"), STORIES, "story", id)
            }
            AttractStep::Area(id) => prune_link(rep, ids, EXHIBIT, sp.k("area"), AREAS, "area", id),
            AttractStep::Place(id) => {
                prune_link(rep, ids, EXHIBIT, sp.k("place"), PLACES, "place", id)
            }
        };
        if ok {
            kept.push(step);
        }
    }
    s.kiosk.attract = kept;
    let featured = std::mem::take(&mut s.featured_stories);
    for (i, id) in featured.into_iter().enumerate() {
        let sp = At::new(&root).k("featured_stories").i(i);
        if prune_link(rep, ids, EXHIBIT, sp, STORIES, "story", &id) {
            s.featured_stories.push(id);
        }
    }
    kept_sources(rep, ids, EXHIBIT, At::new(&root), &mut s.sources);
    s
}

/// Whether an optional link stays. A link to a record left out for its own errors is
/// dropped with a warning; one into an unusable file is dropped silently (that file's problem
/// is reported); one to an id that exists nowhere is an error (records with such links are
/// already out; this reaches only exhibit.json's own links).
pub(super) fn prune_link(
    rep: &mut Reporter,
    ids: &Ids,
    file: &str,
    path: At<'_>,
    target: &'static str,
    noun: &'static str,
    id: &str,
) -> bool {
    if ids.alive.get(target).is_some_and(|a| a.contains(id)) {
        return true;
    }
    if ids.unusable.contains(target) {
        return false;
    }
    let r = Ref {
        optional: true,
        at: path,
        file: target,
        noun,
        id,
    };
    match ids.check(&r) {
        Check::Ok => true,
        Check::Skipped(msg) => {
            rep.warning(file, &path.path(), format!("{msg}: this link is dropped"));
            false
        }
        Check::Missing(msg) => {
            rep.error(file, &path.path(), msg);
            false
        }
    }
}

/// Drops the sources of a `sources` list that do not stay (see [`prune_link`]), in place.
pub(super) fn kept_sources(
    rep: &mut Reporter,
    ids: &Ids,
    file: &str,
    base: At<'_>,
    sources: &mut Vec<String>,
) {
    let mut i = 0;
    sources.retain(|s| {
        let kept = prune_link(rep, ids, file, base.k("sources").i(i), SOURCES, "source", s);
        i += 1;
        kept
    });
}
