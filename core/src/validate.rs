//! The cross-checks of the exhibit's records, run by [`crate::load::load`] after each record
//! has been read on its own: the same code for the app and the checker.
//!
//! - ids unique, well formed (slugs; 12-digit codes; `prov-<subdistrict code>-<slug>`), an
//!   area's code under its subdistrict's, a subdistrict's under its district's;
//! - every reference resolves (area → subdistrict → district, place → area and story,
//!   project → area, theme and places, story → place and area, chapter focus, kiosk tour,
//!   sources); a record that refers to a skipped record is skipped in turn;
//! - a place's point inside its area's outline;
//! - declared `area_km2` against the measured geodesic area (warning beyond
//!   [`AREA_TOLERANCE`]);
//! - dates: a span's end not before its start, milestones in date order;
//! - images exist (when the list of media files is known) and are paths under `data/`;
//! - links are `http(s)://` only (`public_base_url`: `https://`).

use std::borrow::Cow;
use std::hash::{BuildHasherDefault, Hasher};

use geo::{GeodesicArea, Intersects};

use crate::load::{Parsed, Rec, Reporter, at, closest, in_shanghai};
use crate::locate::{JsonPath, Seg, Target};
use crate::model::{AttractStep, Dated, Exhibit, Focus, Image, Lang, Settings, Theme};

/// The maps and sets of ids here hash with [`IdHasher`].
type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<IdHasher>>;
type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<IdHasher>>;

/// A fast hash for short keys (ids, file names), in the manner of rustc's FxHash: the data
/// are the curators' own, so the protection of std's keyed hash against crafted collisions
/// is not needed, and its cost is (thousands of ids, hashed many times).
#[derive(Default)]
struct IdHasher(u64);

impl IdHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// How far a declared `area_km2` may differ from the measured area of the outline before a
/// warning: 25 % of the declared figure.
pub const AREA_TOLERANCE: f64 = 0.25;

const SOURCES: &str = "sources.json";
const DISTRICTS: &str = "districts.geojson";
const SUBDISTRICTS: &str = "subdistricts.json";
const AREAS: &str = "areas.geojson";
const PLACES: &str = "places.geojson";
const PROJECTS: &str = "projects.json";
const STORIES: &str = "stories.json";
const EXHIBIT: &str = "exhibit.json";

/// A lower-case slug: `nanchang-building`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A 12-digit statistical division code.
pub fn is_code(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a link may be followed: `http://` or `https://` with a host.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        r.split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty())
            && !r.chars().any(char::is_whitespace)
    })
}

/// A provisional area id `prov-<12-digit subdistrict code>-<slug>`: (code, slug).
pub fn provisional(id: &str) -> Option<(&str, &str)> {
    let rest = id.strip_prefix("prov-")?;
    let (code, slug) = rest.split_at_checked(12)?;
    let slug = slug.strip_prefix('-')?;
    (is_code(code) && is_slug(slug)).then_some((code, slug))
}

/// Ids of the records still in, per file, and of every record declared.
struct Ids<'a> {
    alive: HashMap<&'static str, HashSet<Cow<'a, str>>>,
    declared: &'a HashMap<&'static str, HashSet<&'a str>>,
    unusable: &'a HashSet<String>,
}

/// A reference from a record: where, to which file, what noun, which id.
struct Ref<'r> {
    /// An optional link (a story's place, a chapter's focus, a source…): when its target is
    /// left out for its own errors, the link is dropped with a warning and the record stays.
    /// A required one (an area's subdistrict, a place's area…) leaves the record out too.
    optional: bool,
    at: At<'r>,
    file: &'static str,
    noun: &'static str,
    id: &'r str,
}

/// Where a reference is: its record's path and a few steps below it, made a [`JsonPath`] only
/// when a problem is reported (most references resolve).
#[derive(Clone, Copy)]
struct At<'r> {
    base: &'r JsonPath,
    tail: [Step; 6],
    len: u8,
}

#[derive(Clone, Copy)]
enum Step {
    K(&'static str),
    I(usize),
}

impl<'r> At<'r> {
    fn new(base: &'r JsonPath) -> Self {
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

    fn k(self, key: &'static str) -> Self {
        self.step(Step::K(key))
    }

    fn i(self, index: usize) -> Self {
        self.step(Step::I(index))
    }

    fn path(&self) -> JsonPath {
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

enum Check {
    Ok,
    /// The id exists nowhere.
    Missing(String),
    /// The id belongs to a record left out for its own errors.
    Skipped(String),
}

impl Ids<'_> {
    /// Whether the reference resolves (a reference into an unusable file counts as resolved:
    /// that file's own problem is already reported).
    fn check(&self, r: &Ref) -> Check {
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

fn sources_refs<'r>(base: At<'r>, sources: &'r [String], out: &mut Vec<Ref<'r>>) {
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

fn dated_refs<'r>(base: At<'r>, key: &'static str, items: &'r [Dated], out: &mut Vec<Ref<'r>>) {
    for (i, d) in items.iter().enumerate() {
        sources_refs(base.k(key).i(i), &d.sources, out);
    }
}

/// Drops records with duplicate ids (the first stays), reporting each later one.
fn unique<T>(
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

fn prop_path(p: &JsonPath) -> JsonPath {
    p.key("properties").key("id")
}

fn plain_id_path(p: &JsonPath) -> JsonPath {
    p.key("id")
}

/// Runs the one-time checks of every record of a list, keeping those without errors.
fn retain_checked<T>(
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

fn check_slug(rep: &mut Reporter, file: &str, path: &JsonPath, id: &str, what: &str) {
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

fn check_dates(
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

fn check_image(
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

fn check_sources_present(rep: &mut Reporter, file: &str, path: &JsonPath, sources: &[String]) {
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

impl Reporter<'_> {
    fn line_of(&mut self, file: &str, path: &JsonPath) -> u32 {
        self.locate(file, path, Target::Value).0
    }
}

/// Checks the records against each other and builds the exhibit of those that pass.
pub(crate) fn validate(rep: &mut Reporter, mut p: Parsed, media: Option<&[&str]>) -> Exhibit {
    let unusable: HashSet<String> = rep.unusable().iter().cloned().collect();

    // -- One-time checks of each record on its own -------------------------------------------
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
            }
        },
    );

    let mut settings = p.settings.take();
    let declared_themes: HashSet<String> = match &settings {
        Some(s) => s.themes.iter().map(|t| t.id.clone()).collect(),
        None => HashSet::default(),
    };
    let themes: Vec<Theme> = match settings.as_mut() {
        Some(s) => check_settings(rep, s),
        None => Vec::new(),
    };

    // -- References, until nothing more is left out -------------------------------------------
    let declared_lists = std::mem::take(&mut p.declared);
    let mut declared: HashMap<&'static str, HashSet<&str>> = HashMap::default();
    for (file, ids) in &declared_lists {
        declared.insert(file, ids.iter().map(String::as_str).collect());
    }
    declared.insert(
        EXHIBIT,
        declared_themes.iter().map(String::as_str).collect(),
    );
    let theme_ids: HashSet<String> = themes.iter().map(|t| t.id.clone()).collect();
    let mut unusable = unusable;
    if settings.is_none() {
        unusable.insert(EXHIBIT.to_string());
    }
    loop {
        let alive = alive_ids(&p, &theme_ids, &declared);
        let ids = Ids {
            alive,
            declared: &declared,
            unusable: &unusable,
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

    // -- Optional links to records left out: dropped with a warning ------------------------
    let ids = Ids {
        alive: alive_ids(&p, &theme_ids, &declared),
        declared: &declared,
        unusable: &unusable,
    };
    let mut keep =
        |rep: &mut Reporter,
         file: &str,
         path: At<'_>,
         target: &'static str,
         noun: &'static str,
         id: &str| prune_link(rep, &ids, file, path, target, noun, id);
    for r in &mut p.districts {
        let base = At::new(&r.path).k("properties");
        kept_sources(rep, &mut keep, DISTRICTS, base, &mut r.value.props.sources);
    }
    for r in &mut p.subdistricts {
        kept_sources(
            rep,
            &mut keep,
            SUBDISTRICTS,
            At::new(&r.path),
            &mut r.value.sources,
        );
    }
    for r in &mut p.areas {
        let base = At::new(&r.path).k("properties");
        kept_sources(rep, &mut keep, AREAS, base, &mut r.value.props.sources);
    }
    for r in &mut p.places {
        let base = At::new(&r.path).k("properties");
        let v = &mut r.value.props;
        if let Some(st) = v.story.clone()
            && !keep(rep, PLACES, base.k("story"), STORIES, "story", &st)
        {
            v.story = None;
        }
        kept_sources(rep, &mut keep, PLACES, base, &mut v.sources);
        for (i, f) in v.facts.iter_mut().enumerate() {
            let fp = base.k("facts").i(i);
            kept_sources(rep, &mut keep, PLACES, fp, &mut f.sources);
        }
    }
    for r in &mut p.projects {
        let v = &mut r.value;
        let mut i = 0;
        v.places.retain(|pl| {
            let base = At::new(&r.path).k("places").i(i);
            i += 1;
            keep(rep, PROJECTS, base, PLACES, "place", pl)
        });
        kept_sources(rep, &mut keep, PROJECTS, At::new(&r.path), &mut v.sources);
        for (i, m) in v.milestones.iter_mut().enumerate() {
            let mp = At::new(&r.path).k("milestones").i(i);
            kept_sources(rep, &mut keep, PROJECTS, mp, &mut m.sources);
        }
    }
    for r in &mut p.stories {
        let v = &mut r.value;
        if let Some(pl) = v.place.clone()
            && !keep(
                rep,
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
            && !keep(rep, STORIES, At::new(&r.path).k("area"), AREAS, "area", &a)
        {
            v.area = None;
        }
        kept_sources(rep, &mut keep, STORIES, At::new(&r.path), &mut v.sources);
        for (i, c) in v.chapters.iter_mut().enumerate() {
            let cp = At::new(&r.path).k("chapters").i(i);
            let fp = cp.k("focus");
            let ok = match &c.focus {
                Some(Focus::Area(a)) => keep(rep, STORIES, fp.k("area"), AREAS, "area", a),
                Some(Focus::Place(pl)) => keep(rep, STORIES, fp.k("place"), PLACES, "place", pl),
                None => true,
            };
            if !ok {
                c.focus = None;
            }
            kept_sources(rep, &mut keep, STORIES, cp, &mut c.sources);
        }
    }

    // -- Settings that refer to records ------------------------------------------------------
    let mut ex = Exhibit::default();
    if let Some(mut s) = settings {
        s.themes = themes;
        let root = JsonPath::root();
        let mut kept = Vec::new();
        for (i, step) in s.kiosk.attract.drain(..).enumerate() {
            let sp = At::new(&root).k("kiosk").k("attract").i(i);
            let ok = match &step {
                AttractStep::Story(id) => keep(rep, EXHIBIT, sp.k("story"), STORIES, "story", id),
                AttractStep::Area(id) => keep(rep, EXHIBIT, sp.k("area"), AREAS, "area", id),
                AttractStep::Place(id) => keep(rep, EXHIBIT, sp.k("place"), PLACES, "place", id),
            };
            if ok {
                kept.push(step);
            }
        }
        s.kiosk.attract = kept;
        let featured = std::mem::take(&mut s.featured_stories);
        for (i, id) in featured.into_iter().enumerate() {
            let sp = At::new(&root).k("featured_stories").i(i);
            if keep(rep, EXHIBIT, sp, STORIES, "story", &id) {
                s.featured_stories.push(id);
            }
        }
        kept_sources(rep, &mut keep, EXHIBIT, At::new(&root), &mut s.sources);
        ex.settings = s;
    }

    // -- Interface strings -------------------------------------------------------------------
    let zh_keys: Option<HashSet<String>> = p
        .strings
        .iter()
        .find(|(l, _)| *l == Lang::ZhHans)
        .map(|(_, f)| f.strings.keys().cloned().collect());
    for (lang, f) in p.strings {
        if let Some(zh) = &zh_keys {
            let known: Vec<String> = zh.iter().cloned().collect();
            for key in f.strings.keys() {
                if !zh.contains(key) {
                    let kp = JsonPath::root().key("strings").key(key.clone());
                    let hint = match closest(key, &known) {
                        Some(best) => format!(" — did you mean `{best}`?"),
                        None => String::new(),
                    };
                    rep.push(
                        crate::problem::Severity::Warning,
                        lang.strings_file(),
                        &kp,
                        Target::Key,
                        format!("the key `{key}`{} is not in i18n/zh-Hans.json, so it is never shown{hint}", at(&kp)),
                    );
                }
            }
        }
        ex.strings.insert(lang, f.strings);
    }

    ex.sources = p.sources.into_iter().map(|r| r.value).collect();
    ex.districts = p.districts.into_iter().map(|r| r.value).collect();
    ex.subdistricts = p.subdistricts.into_iter().map(|r| r.value).collect();
    ex.areas = p.areas.into_iter().map(|r| r.value).collect();
    ex.places = p.places.into_iter().map(|r| r.value).collect();
    ex.projects = p.projects.into_iter().map(|r| r.value).collect();
    ex.stories = p.stories.into_iter().map(|r| r.value).collect();
    // The lists reuse the records' buffers, which are as long as the records read.
    ex.sources.shrink_to_fit();
    ex.districts.shrink_to_fit();
    ex.subdistricts.shrink_to_fit();
    ex.areas.shrink_to_fit();
    ex.places.shrink_to_fit();
    ex.projects.shrink_to_fit();
    ex.stories.shrink_to_fit();
    ex.reindex();
    ex
}

/// The ids of the records still in, per file (themes under exhibit.json).
fn alive_ids<'d>(
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

/// Whether an optional link stays. A link to a record left out for its own errors is
/// dropped with a warning; one into an unusable file is dropped silently (that file's problem
/// is reported); one to an id that exists nowhere is an error (records with such links are
/// already out; this reaches only exhibit.json's own links).
fn prune_link(
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
fn kept_sources(
    rep: &mut Reporter,
    keep: &mut impl FnMut(&mut Reporter, &str, At<'_>, &'static str, &'static str, &str) -> bool,
    file: &str,
    base: At<'_>,
    sources: &mut Vec<String>,
) {
    let mut i = 0;
    sources.retain(|s| {
        let kept = keep(rep, file, base.k("sources").i(i), SOURCES, "source", s);
        i += 1;
        kept
    });
}

/// Reports and drops the records whose references do not resolve (or that fail another
/// check that depends on other records). True when any was dropped.
fn drop_unresolved<T>(
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

/// Checks exhibit.json on its own; returns the sound themes (others are reported and left
/// out). Unsound optional settings are reported and cleared.
fn check_settings(rep: &mut Reporter, s: &mut Settings) -> Vec<Theme> {
    let root = JsonPath::root();
    if s.languages.is_empty() || !s.languages.contains(&Lang::ZhHans) {
        let p = root.key("languages");
        rep.error(
            EXHIBIT,
            &p,
            format!(
                "`languages`{} must include `zh-Hans`, the reference language",
                at(&p)
            ),
        );
        if !s.languages.contains(&Lang::ZhHans) {
            s.languages.insert(0, Lang::ZhHans);
        }
    }
    let mut seen = HashSet::default();
    for (i, l) in s.languages.iter().enumerate() {
        if !seen.insert(*l) {
            let p = root.key("languages").index(i);
            rep.error(
                EXHIBIT,
                &p,
                format!("`{}` is listed twice{}", l.tag(), at(&p)),
            );
        }
    }
    s.languages.dedup();
    if !s.languages.contains(&s.default_language) {
        let p = root.key("default_language");
        rep.error(
            EXHIBIT,
            &p,
            format!(
                "the default language `{}`{} is not among `languages`",
                s.default_language.tag(),
                at(&p)
            ),
        );
        s.default_language = Lang::ZhHans;
    }
    let [w, so, e, n] = s.view.bounds;
    let bp = root.key("view").key("bounds");
    if !(w < e && so < n) {
        rep.error(
            EXHIBIT,
            &bp,
            format!(
                "`bounds`{} must be [west, south, east, north] with west < east and south < north",
                at(&bp)
            ),
        );
        s.view.bounds = crate::model::SHANGHAI_CENTRE_BOUNDS;
    } else if !(in_shanghai(w, so) && in_shanghai(e, n)) {
        let msg = if in_shanghai(so, w) && in_shanghai(n, e) {
            format!(
                "`bounds`{} has latitude and longitude swapped: write [west, south, east, north] in longitude/latitude",
                at(&bp)
            )
        } else {
            format!("`bounds`{} lie outside Shanghai", at(&bp))
        };
        rep.error(EXHIBIT, &bp, msg);
        s.view.bounds = crate::model::SHANGHAI_CENTRE_BOUNDS;
    }
    if s.kiosk.idle_seconds < 10 {
        let p = root.key("kiosk").key("idle_seconds");
        rep.error(
            EXHIBIT,
            &p,
            format!(
                "`idle_seconds`{} must be at least 10, or visitors are interrupted",
                at(&p)
            ),
        );
        s.kiosk.idle_seconds = 90;
    }
    if let Some(url) = &s.public_base_url
        && (!url.to_ascii_lowercase().starts_with("https://") || !is_http_url(url))
    {
        let p = root.key("public_base_url");
        rep.error(
            EXHIBIT,
            &p,
            format!("the address `{url}`{} must start with https://", at(&p)),
        );
        s.public_base_url = None;
    }
    if let Some(t) = &s.tiles {
        let p = root.key("tiles").key("url");
        if !is_http_url(&t.url) || !["{z}", "{x}", "{y}"].iter().all(|p| t.url.contains(p)) {
            rep.error(
                EXHIBIT,
                &p,
                format!("the tile address{} must start with http(s):// and contain {{z}}, {{x}} and {{y}}", at(&p)),
            );
            s.tiles = None;
        }
    }
    let mut themes = Vec::new();
    let mut ids = HashSet::default();
    for (i, t) in s.themes.drain(..).enumerate() {
        let tp = root.key("themes").index(i);
        let before = rep.error_count();
        check_slug(rep, EXHIBIT, &tp.key("id"), &t.id, "theme");
        let c = t.color.as_bytes();
        if !(c.len() == 7 && c[0] == b'#' && c[1..].iter().all(u8::is_ascii_hexdigit)) {
            let cp = tp.key("color");
            rep.error(
                EXHIBIT,
                &cp,
                format!(
                    "the colour `{}`{} must be written `#rrggbb`, like `#b5473a`",
                    t.color,
                    at(&cp)
                ),
            );
        }
        if !ids.insert(t.id.clone()) {
            let ip = tp.key("id");
            rep.error(
                EXHIBIT,
                &ip,
                format!("the theme id `{}`{} is used twice", t.id, at(&ip)),
            );
        }
        if rep.error_count() == before {
            themes.push(t);
        }
    }
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_links() {
        assert!(is_slug("nanchang-building"));
        assert!(!is_slug("Nanchang"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert_eq!(
            provisional("prov-310101023000-yuyangli"),
            Some(("310101023000", "yuyangli"))
        );
        assert_eq!(provisional("prov-31010102300-yuyangli"), None);
        assert!(is_http_url("https://example.org/a"));
        assert!(is_http_url("HTTP://example.org"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("ftp://example.org"));
    }
}
