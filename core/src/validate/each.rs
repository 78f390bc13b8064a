//! The checks of each record on its own, before the cross-checks: ids unique and well formed
//! (slugs, 12-digit codes under their parent's, provisional ids), sources named, declared
//! areas against the outline, dates, images and links.

use geo::GeodesicArea;

use super::{AREA_TOLERANCE, is_code, is_http_url, is_slug, provisional};
use super::{AREAS, DISTRICTS, PLACES, PROJECTS, SOURCES, STORIES, SUBDISTRICTS};
use super::{HashMap, HashSet};
use crate::load::closest;
use crate::load::{Parsed, Rec, Reporter, at};
use crate::locate::JsonPath;
use crate::model::{Dated, Focus, Image};

/// Checks every record on its own; a record with an error is left out.
pub(super) fn check_each(rep: &mut Reporter, p: &mut Parsed, media: Option<&[&str]>) {
    sources(rep, p, media);
    districts(rep, p, media);
    subdistricts(rep, p, media);
    areas(rep, p, media);
    places(rep, p, media);
    projects(rep, p, media);
    stories(rep, p, media);
}

fn sources(rep: &mut Reporter, p: &mut Parsed, _media: Option<&[&str]>) {
    unique(rep, SOURCES, &mut p.sources, |s| &s.id, plain_id_path);
    retain_checked(
        rep,
        SOURCES,
        &mut p.sources,
        |s| &s.id,
        |rep, r| {
            check_slug(rep, SOURCES, &r.path.key("id"), &r.value.id, "source");
            if let Some(url) = &r.value.url
                && !is_http_url(url)
            {
                let u = r.path.key("url");
                rep.error(
                    SOURCES,
                    &u,
                    format!(
                        "the link `{url}`{} must start with http:// or https://",
                        at(&u)
                    ),
                );
            }
        },
    );
}

fn districts(rep: &mut Reporter, p: &mut Parsed, _media: Option<&[&str]>) {
    unique(rep, DISTRICTS, &mut p.districts, |d| &d.id, prop_path);
    retain_checked(
        rep,
        DISTRICTS,
        &mut p.districts,
        |d| &d.id,
        |rep, r| {
            let id = &r.value.id;
            if !(is_code(id) && id.ends_with("000000") && id.starts_with("31")) {
                let ip = prop_path(&r.path);
                rep.error(
                DISTRICTS,
                &ip,
                format!("`{id}`{} is not a district code: 12 digits ending in 000000, like `310101000000`", at(&ip)),
            );
            }
            if r.value.sources.is_empty() {
                let sp = r.path.key("properties").key("sources");
                rep.warning(
                    DISTRICTS,
                    &sp,
                    format!(
                        "`sources`{} is empty: name where the outline comes from",
                        at(&sp)
                    ),
                );
            }
        },
    );
}

fn subdistricts(rep: &mut Reporter, p: &mut Parsed, _media: Option<&[&str]>) {
    unique(
        rep,
        SUBDISTRICTS,
        &mut p.subdistricts,
        |s| &s.id,
        plain_id_path,
    );
    retain_checked(
        rep,
        SUBDISTRICTS,
        &mut p.subdistricts,
        |s| &s.id,
        |rep, r| {
            let s = &r.value;
            let ip = r.path.key("id");
            if !(is_code(&s.id) && s.id.ends_with("000") && !s.id.ends_with("000000")) {
                rep.error(
                SUBDISTRICTS,
                &ip,
                format!("`{}`{} is not a subdistrict code: 12 digits ending in 000, like `310101023000`", s.id, at(&ip)),
            );
            } else if s.id.get(..6) != s.district.get(..6) {
                rep.error(
                SUBDISTRICTS,
                &ip,
                format!(
                    "the code `{}`{} does not lie under its district `{}`: their first 6 digits must match",
                    s.id,
                    at(&ip),
                    s.district
                ),
            );
            }
            check_sources_present(rep, SUBDISTRICTS, &r.path, &s.sources);
        },
    );
}

fn areas(rep: &mut Reporter, p: &mut Parsed, _media: Option<&[&str]>) {
    unique(rep, AREAS, &mut p.areas, |a| &a.id, prop_path);
    retain_checked(
        rep,
        AREAS,
        &mut p.areas,
        |a| &a.id,
        |rep, r| {
            let a = &r.value;
            let props = r.path.key("properties");
            let ip = props.key("id");
            if let Some((code, _)) = provisional(&a.id) {
                if code != a.subdistrict {
                    rep.error(
                        AREAS,
                        &ip,
                        format!(
                            "the provisional id `{}`{} names subdistrict `{code}`, but the area's \
                         `subdistrict` is `{}`",
                            a.id,
                            at(&ip),
                            a.subdistrict
                        ),
                    );
                }
            } else if !is_code(&a.id) || a.id.ends_with("000") {
                rep.error(
                AREAS,
                &ip,
                format!(
                    "`{}`{} is not a residential area code (12 digits, like `310101023005`) nor a \
                     provisional id (`prov-<subdistrict code>-<slug>`)",
                    a.id,
                    at(&ip)
                ),
            );
            } else if a.id.get(..9) != a.subdistrict.get(..9) {
                rep.error(
                AREAS,
                &ip,
                format!(
                    "the code `{}`{} does not lie under its subdistrict `{}`: their first 9 digits must match",
                    a.id,
                    at(&ip),
                    a.subdistrict
                ),
            );
            }
            check_sources_present(rep, AREAS, &props, &a.sources);
            if let (Some(declared), true) = (a.area_km2, a.has_outline()) {
                let kp = props.key("area_km2");
                // Not `<= 0.0`: NaN is not more than 0 either.
                #[allow(clippy::neg_cmp_op_on_partial_ord)]
                let not_positive = !(declared > 0.0);
                if not_positive {
                    rep.error(
                        AREAS,
                        &kp,
                        format!("`area_km2`{} must be more than 0", at(&kp)),
                    );
                } else {
                    let measured = a.geometry.geodesic_area_unsigned() / 1e6;
                    let diff = (measured - declared) / declared;
                    if diff.abs() > AREA_TOLERANCE {
                        rep.warning(
                            AREAS,
                            &kp,
                            format!(
                                "the outline measures {measured:.3} km² but `area_km2`{} says \
                             {declared} km² ({:+.0}%; the tolerance is ±{:.0}%): check the figure \
                             or redraw the boundary",
                                at(&kp),
                                diff * 100.0,
                                AREA_TOLERANCE * 100.0
                            ),
                        );
                    }
                }
            }
        },
    );
}

fn places(rep: &mut Reporter, p: &mut Parsed, media: Option<&[&str]>) {
    unique(rep, PLACES, &mut p.places, |x| &x.id, prop_path);
    retain_checked(
        rep,
        PLACES,
        &mut p.places,
        |x| &x.id,
        |rep, r| {
            let props = r.path.key("properties");
            check_slug(rep, PLACES, &props.key("id"), &r.value.id, "place");
            check_sources_present(rep, PLACES, &props, &r.value.sources);
            check_dates(rep, PLACES, &props, "facts", &r.value.facts, false);
            if let Some(img) = &r.value.image {
                check_image(rep, PLACES, &props.key("image"), img, media);
            }
        },
    );
}

fn projects(rep: &mut Reporter, p: &mut Parsed, _media: Option<&[&str]>) {
    unique(rep, PROJECTS, &mut p.projects, |x| &x.id, plain_id_path);
    retain_checked(
        rep,
        PROJECTS,
        &mut p.projects,
        |x| &x.id,
        |rep, r| {
            check_slug(rep, PROJECTS, &r.path.key("id"), &r.value.id, "project");
            check_sources_present(rep, PROJECTS, &r.path, &r.value.sources);
            check_dates(
                rep,
                PROJECTS,
                &r.path,
                "milestones",
                &r.value.milestones,
                true,
            );
        },
    );
}

fn stories(rep: &mut Reporter, p: &mut Parsed, media: Option<&[&str]>) {
    unique(rep, STORIES, &mut p.stories, |x| &x.id, plain_id_path);
    retain_checked(
        rep,
        STORIES,
        &mut p.stories,
        |x| &x.id,
        |rep, r| {
            check_slug(rep, STORIES, &r.path.key("id"), &r.value.id, "story");
            check_sources_present(rep, STORIES, &r.path, &r.value.sources);
            if r.value.chapters.is_empty() {
                let cp = r.path.key("chapters");
                rep.error(
                    STORIES,
                    &cp,
                    format!("a story needs at least one chapter{}", at(&cp)),
                );
            }
            for (i, c) in r.value.chapters.iter().enumerate() {
                let cp = r.path.key("chapters").index(i);
                if c.paragraphs.is_empty() {
                    let pp = cp.key("paragraphs");
                    rep.error(
                        STORIES,
                        &pp,
                        format!("a chapter needs at least one paragraph{}", at(&pp)),
                    );
                }
                if let Some(img) = &c.image {
                    check_image(rep, STORIES, &cp.key("image"), img, media);
                }
                // The map travels with the story: a chapter that points where the one before it
                // points leaves the map standing still.
                if i > 0
                    && let Some(f) = &c.focus
                    && r.value.chapters[i - 1].focus.as_ref() == Some(f)
                {
                    let fp = cp.key("focus");
                    let what = match f {
                        Focus::Area(a) => format!("area `{a}`"),
                        Focus::Place(pl) => format!("place `{pl}`"),
                    };
                    rep.warning(
                        STORIES,
                        &fp,
                        format!(
                            "the map stands still{}: it shows the same {what} as in chapter {}; \
                             give this chapter a focus of its own (the place, its area, a \
                             neighbour, the street it is about)",
                            at(&fp),
                            i
                        ),
                    );
                }
            }
        },
    );
}

/// Drops records with duplicate ids (the first stays), reporting each later one.
pub(super) fn unique<T>(
    rep: &mut Reporter,
    file: &str,
    recs: &mut Vec<Rec<T>>,
    id: impl Fn(&T) -> &str,
    id_path: impl Fn(&JsonPath) -> JsonPath,
) {
    // Most lists have no id twice: then there is nothing to drop.
    let mut ids: HashSet<&str> = HashSet::with_capacity_and_hasher(recs.len(), Default::default());
    if recs.iter().all(|r| ids.insert(id(&r.value))) {
        return;
    }
    let mut seen: HashMap<String, JsonPath> = HashMap::default();
    let mut keep = Vec::with_capacity(recs.len());
    for rec in recs.drain(..) {
        let key = id(&rec.value).to_string();
        match seen.get(&key) {
            Some(first) => {
                let line = rep.line_of(file, &id_path(first));
                let p = id_path(&rec.path);
                rep.error(
                    file,
                    &p,
                    format!(
                        "the id `{key}`{} is already used on line {line}: ids must be unique",
                        at(&p)
                    ),
                );
                rep.skip(file, &rec.path, Some(&key));
            }
            None => {
                seen.insert(key, rec.path.clone());
                keep.push(rec);
            }
        }
    }
    *recs = keep;
}

pub(super) fn prop_path(p: &JsonPath) -> JsonPath {
    p.key("properties").key("id")
}

pub(super) fn plain_id_path(p: &JsonPath) -> JsonPath {
    p.key("id")
}

/// Runs the one-time checks of every record of a list, keeping those without errors.
pub(super) fn retain_checked<T>(
    rep: &mut Reporter,
    file: &str,
    recs: &mut Vec<Rec<T>>,
    id: impl Fn(&T) -> &str,
    mut check: impl FnMut(&mut Reporter, &Rec<T>),
) {
    recs.retain(|rec| {
        let before = rep.error_count();
        check(rep, rec);
        let ok = rep.error_count() == before;
        if !ok {
            rep.skip(file, &rec.path, Some(id(&rec.value)));
        }
        ok
    });
}

pub(super) fn check_slug(rep: &mut Reporter, file: &str, path: &JsonPath, id: &str, what: &str) {
    if !is_slug(id) {
        rep.error(
            file,
            path,
            format!(
                "`{id}`{} is not a valid {what} id: use lower-case letters, digits and hyphens, \
                 like `nanchang-building`",
                at(path)
            ),
        );
    }
}

pub(super) fn check_dates(
    rep: &mut Reporter,
    file: &str,
    base: &JsonPath,
    key: &str,
    items: &[Dated],
    ordered: bool,
) {
    let mut prev: Option<(usize, crate::date::PartialDate)> = None;
    for (i, d) in items.iter().enumerate() {
        let path = base.key(key).index(i);
        if let (Some(start), Some(end)) = (d.date, d.end)
            && end < start
        {
            let p = path.key("end");
            rep.error(
                file,
                &p,
                format!("the span ends ({end}) before it starts ({start}){}", at(&p)),
            );
        }
        if !ordered {
            continue;
        }
        let Some(date) = d.date else {
            let p = path.clone();
            rep.error(file, &p, format!("a milestone needs a `date`{}", at(&p)));
            continue;
        };
        if let Some((_, before)) = prev
            && date < before
        {
            let p = path.key("date");
            rep.error(
                file,
                &p,
                format!(
                    "milestones must be in date order: {date}{} comes after {before}",
                    at(&p)
                ),
            );
        }
        prev = Some((i, date));
    }
}

pub(super) fn check_image(
    rep: &mut Reporter,
    file: &str,
    path: &JsonPath,
    img: &Image,
    media: Option<&[&str]>,
) {
    let fpath = path.key("file");
    let f = img.file.as_str();
    if f.is_empty()
        || f.starts_with('/')
        || f.contains('\\')
        || f.contains("://")
        || f.split('/').any(|part| part == ".." || part == ".")
    {
        rep.error(
            file,
            &fpath,
            format!(
                "the image path `{f}`{} must be a path inside data/, like `media/nanchang.jpg`",
                at(&fpath)
            ),
        );
        return;
    }
    if let Some(media) = media
        && !media.contains(&f)
    {
        let known: Vec<String> = media.iter().map(|m| m.to_string()).collect();
        let hint = match closest(f, &known) {
            Some(best) => format!(" — did you mean `{best}`?"),
            None => String::new(),
        };
        rep.error(
            file,
            &fpath,
            format!("the image `data/{f}`{} does not exist{hint}", at(&fpath)),
        );
    }
}

pub(super) fn check_sources_present(
    rep: &mut Reporter,
    file: &str,
    path: &JsonPath,
    sources: &[String],
) {
    if sources.is_empty() {
        let p = path.key("sources");
        rep.error(
            file,
            &p,
            format!(
                "`sources`{} is empty: name the article(s) this comes from",
                at(&p)
            ),
        );
    }
}
