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

use std::hash::{BuildHasherDefault, Hasher};

mod each;
mod links;
mod refs;
mod settings;

use refs::{Ids, alive_ids};
use settings::check_settings;

use crate::load::{Parsed, Reporter};
use crate::locate::{JsonPath, Target};
use crate::model::{Exhibit, Theme};

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

impl Reporter<'_> {
    fn line_of(&mut self, file: &str, path: &JsonPath) -> u32 {
        self.locate(file, path, Target::Value).0
    }
}

/// Checks the records against each other and builds the exhibit of those that pass.
pub(crate) fn validate(rep: &mut Reporter, mut p: Parsed, media: Option<&[&str]>) -> Exhibit {
    let unusable: HashSet<String> = rep.unusable().iter().cloned().collect();

    each::check_each(rep, &mut p, media);

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
    refs::resolve(rep, &mut p, &theme_ids, &declared, &unusable);

    // -- Optional links to records left out: dropped with a warning ------------------------
    let ids = Ids {
        alive: alive_ids(&p, &theme_ids, &declared),
        declared: &declared,
        unusable: &unusable,
    };
    links::prune_links(rep, &mut p, &ids);

    // -- Settings that refer to records ------------------------------------------------------
    let mut ex = Exhibit::default();
    if let Some(s) = settings {
        ex.settings = links::prune_settings(rep, &ids, s, themes);
    }

    // -- Interface strings -------------------------------------------------------------------
    settings::check_strings(rep, std::mem::take(&mut p.strings), &mut ex);

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
