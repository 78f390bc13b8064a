//! References between records: every id a record names must resolve; a record that names
//! one left out is left out in turn, round after round until nothing more changes.

use geo::Intersects;

use super::{AREAS, DISTRICTS, EXHIBIT, PLACES, PROJECTS, SOURCES, STORIES, SUBDISTRICTS};
use super::{HashMap, HashSet};
use crate::load::closest;
use crate::load::{Parsed, Rec, Reporter, at};
use crate::locate::JsonPath;
use crate::locate::Seg;
use crate::model::{Dated, Focus};
use std::borrow::Cow;

/// Leaves out the records whose references do not resolve, until nothing more is left out.
pub(super) fn resolve(
    rep: &mut Reporter,
    p: &mut Parsed,
    theme_ids: &HashSet<String>,
    declared: &HashMap<&'static str, HashSet<&str>>,
    unusable: &HashSet<String>,
) {
    loop {
        let alive = alive_ids(p, theme_ids, declared);
        let ids = Ids {
            alive,
            declared,
            unusable,
        };
        let sub_district: HashMap<String, String> = p
            .subdistricts
            .iter()
            .map(|r| (r.value.id.clone(), r.value.district.clone()))
            .collect();
        // The outlines of the areas places name, as they are at the start of this round.
        let named: HashSet<&str> = p.places.iter().map(|r| r.value.area.as_str()).collect();
        let area_geom: HashMap<String, geo::MultiPolygon<f64>> = p
            .areas
            .iter()
            .filter(|r| named.contains(r.value.id.as_str()))
            .map(|r| (r.value.id.clone(), r.value.geometry.clone()))
            .collect();

        let mut changed = false;

        changed |= drop_unresolved(
            rep,
            DISTRICTS,
            &mut p.districts,
            &ids,
            |r| r.value.id.clone(),
            |r| {
                let mut out = Vec::new();
                sources_refs(At::new(&r.path).k("properties"), &r.value.sources, &mut out);
                (out, Vec::new())
            },
        );
        changed |= drop_unresolved(
            rep,
            SUBDISTRICTS,
            &mut p.subdistricts,
            &ids,
            |r| r.value.id.clone(),
            |r| {
                let mut out = vec![Ref {
                    optional: false,
                    at: At::new(&r.path).k("district"),
                    file: DISTRICTS,
                    noun: "district",
                    id: &r.value.district,
                }];
                sources_refs(At::new(&r.path), &r.value.sources, &mut out);
                (out, Vec::new())
            },
        );
        changed |= drop_unresolved(
            rep,
            AREAS,
            &mut p.areas,
            &ids,
            |r| r.value.id.clone(),
            |r| {
                let props = At::new(&r.path).k("properties");
                let mut out = vec![
                    Ref {
                        optional: false,
                        at: props.k("subdistrict"),
                        file: SUBDISTRICTS,
                        noun: "subdistrict",
                        id: &r.value.subdistrict,
                    },
                    Ref {
                        optional: false,
                        at: props.k("district"),
                        file: DISTRICTS,
                        noun: "district",
                        id: &r.value.district,
                    },
                ];
                sources_refs(props, &r.value.sources, &mut out);
                let mut other = Vec::new();
                if let Some(d) = sub_district.get(&r.value.subdistrict)
                    && *d != r.value.district
                {
                    let dp = props.k("district").path();
                    other.push((
                        dp.clone(),
                        format!(
                            "the area's district `{}`{} is not the district of its subdistrict `{}`, which is `{d}`",
                            r.value.district,
                            at(&dp),
                            r.value.subdistrict
                        ),
                    ));
                }
                (out, other)
            },
        );
        changed |= drop_unresolved(
            rep,
            PLACES,
            &mut p.places,
            &ids,
            |r| r.value.id.clone(),
            |r| {
                let props = At::new(&r.path).k("properties");
                let mut out = vec![Ref {
                    optional: false,
                    at: props.k("area"),
                    file: AREAS,
                    noun: "area",
                    id: &r.value.area,
                }];
                if let Some(s) = &r.value.story {
                    out.push(Ref {
                        optional: true,
                        at: props.k("story"),
                        file: STORIES,
                        noun: "story",
                        id: s,
                    });
                }
                sources_refs(props, &r.value.sources, &mut out);
                dated_refs(props, "facts", &r.value.facts, &mut out);
                let mut other = Vec::new();
                if let Some(g) = area_geom.get(&r.value.area)
                    && !g.intersects(&r.value.point)
                {
                    let gp = r.path.key("geometry").key("coordinates");
                    other.push((
                        gp.clone(),
                        format!(
                            "the place's point [{:.6}, {:.6}]{} lies outside the outline of its \
                             area `{}`: move the point or correct `area`",
                            r.value.point.x(),
                            r.value.point.y(),
                            at(&gp),
                            r.value.area
                        ),
                    ));
                }
                (out, other)
            },
        );
        changed |= drop_unresolved(
            rep,
            PROJECTS,
            &mut p.projects,
            &ids,
            |r| r.value.id.clone(),
            |r| {
                let mut out = vec![
                    Ref {
                        optional: false,
                        at: At::new(&r.path).k("area"),
                        file: AREAS,
                        noun: "area",
                        id: &r.value.area,
                    },
                    Ref {
                        optional: false,
                        at: At::new(&r.path).k("theme"),
                        file: EXHIBIT,
                        noun: "theme",
                        id: &r.value.theme,
                    },
                ];
                for (i, pl) in r.value.places.iter().enumerate() {
                    out.push(Ref {
                        optional: true,
                        at: At::new(&r.path).k("places").i(i),
                        file: PLACES,
                        noun: "place",
                        id: pl,
                    });
                }
                sources_refs(At::new(&r.path), &r.value.sources, &mut out);
                dated_refs(
                    At::new(&r.path),
                    "milestones",
                    &r.value.milestones,
                    &mut out,
                );
                (out, Vec::new())
            },
        );
        changed |= drop_unresolved(
            rep,
            STORIES,
            &mut p.stories,
            &ids,
            |r| r.value.id.clone(),
            |r| {
                let mut out = Vec::new();
                if let Some(pl) = &r.value.place {
                    out.push(Ref {
                        optional: true,
                        at: At::new(&r.path).k("place"),
                        file: PLACES,
                        noun: "place",
                        id: pl,
                    });
                }
                if let Some(a) = &r.value.area {
                    out.push(Ref {
                        optional: true,
                        at: At::new(&r.path).k("area"),
                        file: AREAS,
                        noun: "area",
                        id: a,
                    });
                }
                sources_refs(At::new(&r.path), &r.value.sources, &mut out);
                for (i, c) in r.value.chapters.iter().enumerate() {
                    let cp = At::new(&r.path).k("chapters").i(i);
                    match &c.focus {
                        Some(Focus::Area(a)) => out.push(Ref {
                            optional: true,
                            at: cp.k("focus").k("area"),
                            file: AREAS,
                            noun: "area",
                            id: a,
                        }),
                        Some(Focus::Place(pl)) => out.push(Ref {
                            optional: true,
                            at: cp.k("focus").k("place"),
                            file: PLACES,
                            noun: "place",
                            id: pl,
                        }),
                        None => {}
                    }
                    sources_refs(cp, &c.sources, &mut out);
                }
                (out, Vec::new())
            },
        );
        if !changed {
            break;
        }
    }
}

/// Ids of the records still in, per file, and of every record declared.
pub(super) struct Ids<'a> {
    pub(super) alive: HashMap<&'static str, HashSet<Cow<'a, str>>>,
    pub(super) declared: &'a HashMap<&'static str, HashSet<&'a str>>,
    pub(super) unusable: &'a HashSet<String>,
}

/// A reference from a record: where, to which file, what noun, which id.
pub(super) struct Ref<'r> {
    /// An optional link (a story's place, a chapter's focus, a source…): when its target is
    /// left out for its own errors, the link is dropped with a warning and the record stays.
    /// A required one (an area's subdistrict, a place's area…) leaves the record out too.
    pub(super) optional: bool,
    pub(super) at: At<'r>,
    pub(super) file: &'static str,
    pub(super) noun: &'static str,
    pub(super) id: &'r str,
}

/// Where a reference is: its record's path and a few steps below it, made a [`JsonPath`] only
/// when a problem is reported (most references resolve).
#[derive(Clone, Copy)]
pub(super) struct At<'r> {
    pub(super) base: &'r JsonPath,
    pub(super) tail: [Step; 6],
    pub(super) len: u8,
}

#[derive(Clone, Copy)]
pub(super) enum Step {
    K(&'static str),
    I(usize),
}

impl<'r> At<'r> {
    pub(super) fn new(base: &'r JsonPath) -> Self {
        At {
            base,
            tail: [Step::I(0); 6],
            len: 0,
        }
    }

    fn step(mut self, s: Step) -> Self {
        self.tail[usize::from(self.len)] = s;
        self.len += 1;
        self
    }

    pub(super) fn k(self, key: &'static str) -> Self {
        self.step(Step::K(key))
    }

    pub(super) fn i(self, index: usize) -> Self {
        self.step(Step::I(index))
    }

    pub(super) fn path(&self) -> JsonPath {
        let mut v = Vec::with_capacity(self.base.0.len() + usize::from(self.len));
        v.extend(self.base.0.iter().cloned());
        for s in &self.tail[..usize::from(self.len)] {
            v.push(match *s {
                Step::K(k) => Seg::Key(k.into()),
                Step::I(i) => Seg::Index(i),
            });
        }
        JsonPath(v)
    }
}

pub(super) enum Check {
    Ok,
    /// The id exists nowhere.
    Missing(String),
    /// The id belongs to a record left out for its own errors.
    Skipped(String),
}

impl Ids<'_> {
    /// Whether the reference resolves (a reference into an unusable file counts as resolved:
    /// that file's own problem is already reported).
    pub(super) fn check(&self, r: &Ref) -> Check {
        if self.unusable.contains(r.file) {
            return Check::Ok;
        }
        let alive = self.alive.get(r.file);
        if alive.is_some_and(|a| a.contains(r.id)) {
            return Check::Ok;
        }
        if self.declared.get(r.file).is_some_and(|d| d.contains(r.id)) {
            return Check::Skipped(format!(
                "{} `{}`{} is left out because of its own errors (see {})",
                r.noun,
                r.id,
                at(&r.at.path()),
                r.file
            ));
        }
        let mut known: Vec<String> = alive
            .map(|a| a.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        known.sort_unstable();
        let hint = match closest(r.id, &known) {
            Some(best) => format!(" — did you mean `{best}`?"),
            None => String::new(),
        };
        Check::Missing(format!(
            "there is no {} `{}`{}{hint}",
            r.noun,
            r.id,
            at(&r.at.path())
        ))
    }
}

pub(super) fn sources_refs<'r>(base: At<'r>, sources: &'r [String], out: &mut Vec<Ref<'r>>) {
    for (i, s) in sources.iter().enumerate() {
        out.push(Ref {
            optional: true,
            at: base.k("sources").i(i),
            file: SOURCES,
            noun: "source",
            id: s,
        });
    }
}

pub(super) fn dated_refs<'r>(
    base: At<'r>,
    key: &'static str,
    items: &'r [Dated],
    out: &mut Vec<Ref<'r>>,
) {
    for (i, d) in items.iter().enumerate() {
        sources_refs(base.k(key).i(i), &d.sources, out);
    }
}

/// The ids of the records still in, per file (themes under exhibit.json).
pub(super) fn alive_ids<'d>(
    p: &Parsed,
    themes: &'d HashSet<String>,
    declared: &HashMap<&'static str, HashSet<&'d str>>,
) -> HashMap<&'static str, HashSet<Cow<'d, str>>> {
    // Each id borrowed from the declared ones (every record's id is among them, but a
    // feature's own `id` text may have been declared instead of its `properties.id`).
    fn ids<'d, T>(
        file: &'static str,
        recs: &[Rec<T>],
        id: impl Fn(&T) -> &str,
        declared: &HashMap<&'static str, HashSet<&'d str>>,
    ) -> HashSet<Cow<'d, str>> {
        let known = declared.get(file);
        recs.iter()
            .map(|r| {
                let id = id(&r.value);
                match known.and_then(|d| d.get(id)) {
                    Some(&d) => Cow::Borrowed(d),
                    None => Cow::Owned(id.to_string()),
                }
            })
            .collect()
    }
    let mut alive: HashMap<&'static str, HashSet<Cow<'d, str>>> = HashMap::default();
    alive.insert(SOURCES, ids(SOURCES, &p.sources, |v| &v.id, declared));
    alive.insert(DISTRICTS, ids(DISTRICTS, &p.districts, |v| &v.id, declared));
    alive.insert(
        SUBDISTRICTS,
        ids(SUBDISTRICTS, &p.subdistricts, |v| &v.id, declared),
    );
    alive.insert(AREAS, ids(AREAS, &p.areas, |v| &v.id, declared));
    alive.insert(PLACES, ids(PLACES, &p.places, |v| &v.id, declared));
    alive.insert(PROJECTS, ids(PROJECTS, &p.projects, |v| &v.id, declared));
    alive.insert(STORIES, ids(STORIES, &p.stories, |v| &v.id, declared));
    alive.insert(
        EXHIBIT,
        themes.iter().map(|t| Cow::Borrowed(t.as_str())).collect(),
    );
    alive
}

/// Reports and drops the records whose references do not resolve (or that fail another
/// check that depends on other records). True when any was dropped.
pub(super) fn drop_unresolved<T>(
    rep: &mut Reporter,
    file: &'static str,
    recs: &mut Vec<Rec<T>>,
    ids: &Ids,
    id: impl Fn(&Rec<T>) -> String,
    refs: impl for<'r> Fn(&'r Rec<T>) -> (Vec<Ref<'r>>, Vec<(JsonPath, String)>),
) -> bool {
    let mut dropped = false;
    recs.retain(|rec| {
        let (rs, other) = refs(rec);
        let mut bad = false;
        for r in &rs {
            match ids.check(r) {
                Check::Ok => {}
                Check::Missing(msg) => {
                    rep.error(file, &r.at.path(), msg);
                    bad = true;
                }
                // Dropped with a warning once the records are settled (see `prune`).
                Check::Skipped(_) if r.optional => {}
                Check::Skipped(msg) => {
                    rep.error(
                        file,
                        &r.at.path(),
                        format!("{msg}, so this is left out too"),
                    );
                    bad = true;
                }
            }
        }
        for (path, msg) in other {
            rep.error(file, &path, msg);
            bad = true;
        }
        if bad {
            rep.skip(file, &rec.path, Some(&id(rec)));
            dropped = true;
        }
        !bad
    });
    dropped
}
