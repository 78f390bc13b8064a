//! What the loader's tests share.

use lilong_core::load::Loaded;

/// What must be the same whichever path read the files: the problems, the unusable and skipped
/// files and records, and every record of the exhibit (its lookups are hash maps, whose order
/// varies).
pub fn same(l: &Loaded) -> String {
    let e = &l.exhibit;
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
        l.problems,
        l.unusable,
        l.skipped,
        e.settings,
        e.sources,
        e.districts,
        e.subdistricts,
        e.areas,
        e.places,
        e.projects,
        e.stories,
        e.strings
    )
}
