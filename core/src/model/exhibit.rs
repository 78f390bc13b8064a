//! The resolved exhibit: every sound record, with its geometry in WGS84 and lookups by id.

use std::collections::BTreeMap;
use std::ops::Deref;

use geo::{MultiPolygon, Point};

use super::{
    AreaProps, DistrictProps, Lang, PlaceProps, Project, Settings, Source, Story, Subdistrict,
    Theme,
};

/// A district with its outline (WGS84 lon/lat).
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    pub props: DistrictProps,
    pub geometry: MultiPolygon<f64>,
}

/// A residential area with its outline (WGS84 lon/lat). The outline is empty (no polygons)
/// for an area whose location no source gives: list it, but do not draw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub props: AreaProps,
    pub geometry: MultiPolygon<f64>,
}

impl Area {
    /// Whether the area has an outline to draw.
    pub fn has_outline(&self) -> bool {
        !self.geometry.0.is_empty()
    }
}

/// A historical building or place with its point (WGS84 lon/lat).
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub props: PlaceProps,
    pub point: Point<f64>,
}

impl Deref for District {
    type Target = DistrictProps;
    fn deref(&self) -> &DistrictProps {
        &self.props
    }
}

impl Deref for Area {
    type Target = AreaProps;
    fn deref(&self) -> &AreaProps {
        &self.props
    }
}

impl Deref for Place {
    type Target = PlaceProps;
    fn deref(&self) -> &PlaceProps {
        &self.props
    }
}

/// Everything the exhibit shows, loaded and checked. Records with errors are absent (they
/// are listed in [`crate::load::Loaded::problems`]); every id in here resolves.
#[derive(Clone, Debug, Default)]
pub struct Exhibit {
    pub settings: Settings,
    pub sources: Vec<Source>,
    pub districts: Vec<District>,
    pub subdistricts: Vec<Subdistrict>,
    pub areas: Vec<Area>,
    pub places: Vec<Place>,
    pub projects: Vec<Project>,
    pub stories: Vec<Story>,
    /// Interface strings per language (key → text).
    pub strings: BTreeMap<Lang, BTreeMap<String, String>>,
    /// Streets and water under the areas (`basemap.geojson`; empty without it).
    pub basemap: crate::basemap::Basemap,
    index: Index,
}

/// The records' positions in each list, sorted by id (among equal ids, in list order): a
/// lookup is a binary search, and the index holds 4 bytes per record instead of a copy of
/// every id in a hash map.
#[derive(Clone, Debug, Default)]
struct Index {
    sources: Vec<u32>,
    districts: Vec<u32>,
    subdistricts: Vec<u32>,
    areas: Vec<u32>,
    places: Vec<u32>,
    projects: Vec<u32>,
    stories: Vec<u32>,
}

/// The positions of `items`, sorted by id (equal ids stay in list order).
fn index_of<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<u32> {
    let mut order: Vec<u32> = (0..items.len()).map(|i| i as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        id(&items[a as usize])
            .cmp(id(&items[b as usize]))
            .then(a.cmp(&b))
    });
    order
}

/// The first item (in list order) with this id, through its sorted positions. Never panics,
/// even if the lists were changed without [`Exhibit::reindex`].
fn find<'a, T>(items: &'a [T], order: &[u32], key: &str, id: impl Fn(&T) -> &str) -> Option<&'a T> {
    let id_at = |i: u32| items.get(i as usize).map(&id);
    let k = order.partition_point(|&i| id_at(i).is_some_and(|x| x < key));
    let item = items.get(*order.get(k)? as usize)?;
    (id(item) == key).then_some(item)
}

impl Exhibit {
    /// Rebuilds the id lookups; call after changing the record lists by hand.
    pub fn reindex(&mut self) {
        self.index = Index {
            sources: index_of(&self.sources, |s| &s.id),
            districts: index_of(&self.districts, |d| &d.id),
            subdistricts: index_of(&self.subdistricts, |s| &s.id),
            areas: index_of(&self.areas, |a| &a.id),
            places: index_of(&self.places, |p| &p.id),
            projects: index_of(&self.projects, |p| &p.id),
            stories: index_of(&self.stories, |s| &s.id),
        };
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        find(&self.sources, &self.index.sources, id, |s| &s.id)
    }
    pub fn district(&self, id: &str) -> Option<&District> {
        find(&self.districts, &self.index.districts, id, |d| &d.id)
    }
    pub fn subdistrict(&self, id: &str) -> Option<&Subdistrict> {
        find(&self.subdistricts, &self.index.subdistricts, id, |s| &s.id)
    }
    pub fn area(&self, id: &str) -> Option<&Area> {
        find(&self.areas, &self.index.areas, id, |a| &a.id)
    }
    pub fn place(&self, id: &str) -> Option<&Place> {
        find(&self.places, &self.index.places, id, |p| &p.id)
    }
    pub fn project(&self, id: &str) -> Option<&Project> {
        find(&self.projects, &self.index.projects, id, |p| &p.id)
    }
    pub fn story(&self, id: &str) -> Option<&Story> {
        find(&self.stories, &self.index.stories, id, |s| &s.id)
    }
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.settings.themes.iter().find(|t| t.id == id)
    }

    /// The residential areas of a subdistrict, in file order.
    pub fn areas_in_subdistrict<'a>(
        &'a self,
        subdistrict: &'a str,
    ) -> impl Iterator<Item = &'a Area> + 'a {
        self.areas
            .iter()
            .filter(move |a| a.subdistrict == subdistrict)
    }
    /// The places standing in an area, in file order.
    pub fn places_in_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Place> + 'a {
        self.places.iter().filter(move |p| p.area == area)
    }
    /// The projects of an area, in file order.
    pub fn projects_in_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Project> + 'a {
        self.projects.iter().filter(move |p| p.area == area)
    }
    /// The stories about an area (directly or through one of its places).
    pub fn stories_about_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Story> + 'a {
        self.stories.iter().filter(move |s| {
            s.area.as_deref() == Some(area)
                || s.place
                    .as_deref()
                    .and_then(|p| self.place(p))
                    .is_some_and(|p| p.area == area)
        })
    }

    /// An interface string in `lang`, falling back to Simplified Chinese, then to the key
    /// itself (so a missing string shows as its key rather than as nothing).
    pub fn t<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.strings
            .get(&lang)
            .and_then(|m| m.get(key))
            .or_else(|| self.strings.get(&Lang::ZhHans).and_then(|m| m.get(key)))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// Every image file the records refer to (paths relative to `data/`).
    pub fn media_files(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in &self.places {
            if let Some(img) = &p.image {
                out.push(&img.file);
            }
        }
        for s in &self.stories {
            for c in &s.chapters {
                if let Some(img) = &c.image {
                    out.push(&img.file);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
