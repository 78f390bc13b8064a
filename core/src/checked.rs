//! The checked exhibit: what [`crate::load::load`] returns for a folder of data files, with the
//! map's outlines already projected and simplified, in one compact file (`checked.bin`) that
//! the app reads instead of the JSON when nothing has changed since it was written.
//!
//! `cargo xtask build` (and `cargo xtask check-data DIR --write-checked`) write it with
//! [`write`]. It records the length and a fingerprint of every file it was made from; the app
//! fingerprints the files it fetched ([`Fingerprint`]) and uses the checked file only when
//! [`Checked::stale`] names none. Otherwise (a curator edited a file and did not rewrite it)
//! the app reads the JSON as before, so an edit always shows and every problem is located.
//!
//! What it holds: the records that passed, the problems, the unusable files and the skipped
//! records — exactly the [`Loaded`] of the JSON — in a binary form without geometry, then
//! the areas' and districts' [`Scene`]s as arrays of numbers (`f32` coordinates relative to an
//! origin, one byte of importance per point), then the base map's streets and water projected
//! ([`crate::basemap::BaseLayer`]). Reading it costs no text parsing of outlines,
//! no validation, no projection and no simplification.
//!
//! ```
//! use lilong_core::checked::{self, Fingerprint};
//! let data = lilong_core::load::FILES.iter().map(|f| (*f, None)).collect::<Vec<_>>();
//! let bytes = checked::write(&data);
//! let c = checked::read(&bytes).unwrap();
//! // Nothing given: every file missing (the base map is optional, so not unusable).
//! assert_eq!(c.loaded.unusable.len(), data.len() - 1);
//! // Still all missing: it is up to date. A file that now exists makes it stale.
//! let mut now: Vec<_> = data.iter().map(|(f, _)| (*f, None)).collect();
//! assert!(c.stale(&now).is_empty());
//! now[0].1 = Some(Fingerprint::of(b"{}"));
//! assert_eq!(c.stale(&now), vec!["exhibit.json".to_string()]);
//! ```

use std::collections::BTreeMap;
use std::fmt;

use geo::{MultiPolygon, Point};

use crate::geometry::Scene;
use crate::load::{FILES, Loaded, Skipped, load};
use crate::model::{
    Area, AreaProps, District, DistrictProps, Exhibit, Lang, Place, PlaceProps, Project, Settings,
    Source, Story, Subdistrict,
};
use crate::problem::Problem;
use crate::wire::{Reader, WireError, put_bytes, put_u8, put_u32, put_u64};

/// The checked file's name, in the data folder beside the files it was made from.
pub const FILE: &str = "checked.bin";

mod pack;
use pack::Pack;

const MAGIC: &[u8; 8] = b"LILONGCK";
/// Bumped whenever the layout or the model changes: an older file is then not read.
const VERSION: u32 = 7;

/// A file's length and fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub hash: u64,
}

/// A fast 64-bit fingerprint of a file's bytes, fed in pieces of any size (the app feeds a
/// fetched file in slices, never holding a copy of it). Not cryptographic: it tells an edited
/// file from the one the checked file was made from.
///
/// ```
/// use lilong_core::checked::Fingerprint;
/// let mut f = Fingerprint::new();
/// f.update(b"hello, ");
/// f.update(b"world");
/// assert_eq!(f.finish(), Fingerprint::of(b"hello, world"));
/// assert_ne!(Fingerprint::of(b"hello, world"), Fingerprint::of(b"hello, World"));
/// ```
#[derive(Clone, Debug)]
pub struct Fingerprint {
    hash: u64,
    len: u64,
    tail: [u8; 8],
    tail_len: usize,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint::new()
    }
}

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint {
            hash: 0x243f_6a88_85a3_08d3,
            len: 0,
            tail: [0; 8],
            tail_len: 0,
        }
    }

    fn word(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(23) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.tail_len > 0 {
            let n = (8 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + n].copy_from_slice(&bytes[..n]);
            self.tail_len += n;
            bytes = &bytes[n..];
            if self.tail_len < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.tail));
            self.tail_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in words.by_ref() {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            self.word(u64::from_le_bytes(a));
        }
        let rest = words.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    pub fn finish(mut self) -> Stamp {
        if self.tail_len > 0 {
            self.tail[self.tail_len..].fill(0);
            self.word(u64::from_le_bytes(self.tail));
        }
        self.word(self.len);
        // splitmix64's finaliser, so every input bit reaches every output bit.
        let mut z = self.hash;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Stamp {
            len: self.len,
            hash: z ^ (z >> 31),
        }
    }

    /// The stamp of `bytes` at once.
    pub fn of(bytes: &[u8]) -> Stamp {
        let mut f = Fingerprint::new();
        f.update(bytes);
        f.finish()
    }
}

/// A checked exhibit, read back.
pub struct Checked {
    /// The exhibit, problems and all, as the JSON loaded; the areas' and districts' outlines
    /// are in [`Checked::areas`] and [`Checked::districts`] (in the same order) and empty here.
    pub loaded: Loaded,
    pub areas: Scene,
    pub districts: Scene,
    /// The base map (streets and water), projected; `loaded.exhibit.basemap` is empty.
    pub basemap: crate::basemap::BaseLayer,
    /// Each file of [`FILES`] it was made from, with its stamp (`None`: it was missing).
    pub made_from: Vec<(String, Option<Stamp>)>,
}

impl Checked {
    /// The files whose stamp now (`None`: missing now) differs from the one it was made from,
    /// in the order of `now`, then those it was made from that `now` does not list. Empty:
    /// the checked exhibit is what loading these files gives.
    pub fn stale(&self, now: &[(&str, Option<Stamp>)]) -> Vec<String> {
        Checked::stale_against(&self.made_from, now)
    }

    /// [`Checked::stale`] for a list kept apart from the exhibit it came with.
    pub fn stale_against(
        made_from: &[(String, Option<Stamp>)],
        now: &[(&str, Option<Stamp>)],
    ) -> Vec<String> {
        let then = |name: &str| made_from.iter().find(|(n, _)| n == name);
        let mut out: Vec<String> = now
            .iter()
            .filter(|(n, s)| then(n).is_none_or(|(_, t)| t != s))
            .map(|(n, _)| n.to_string())
            .collect();
        for (n, _) in made_from {
            if !now.iter().any(|(m, _)| m == n) {
                out.push(n.clone());
            }
        }
        out
    }
}

/// Why a checked file could not be read (the app then reads the JSON).
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    NotChecked,
    Version(u32),
    Wire(WireError),
    Records(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotChecked => write!(f, "not a checked exhibit"),
            ReadError::Version(v) => {
                write!(f, "written in layout {v}, this app reads layout {VERSION}")
            }
            ReadError::Wire(e) => write!(f, "{e}"),
            ReadError::Records(e) => write!(f, "records: {e}"),
        }
    }
}

impl From<WireError> for ReadError {
    fn from(e: WireError) -> Self {
        ReadError::Wire(e)
    }
}

/// The records and problems, without outlines.
struct Records {
    settings: Settings,
    sources: Vec<Source>,
    districts: Vec<DistrictProps>,
    subdistricts: Vec<Subdistrict>,
    stories: Vec<Story>,
    strings: BTreeMap<Lang, BTreeMap<String, String>>,
    problems: Vec<Problem>,
    unusable: Vec<String>,
    skipped: Vec<Skipped>,
}

impl Records {
    fn put(&self, out: &mut Vec<u8>) {
        let Records {
            settings,
            sources,
            districts,
            subdistricts,
            stories,
            strings,
            problems,
            unusable,
            skipped,
        } = self;
        settings.put(out);
        sources.put(out);
        districts.put(out);
        subdistricts.put(out);
        stories.put(out);
        strings.put(out);
        problems.put(out);
        unusable.put(out);
        skipped.put(out);
    }

    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Records {
            settings: Pack::get(r)?,
            sources: Pack::get(r)?,
            districts: Pack::get(r)?,
            subdistricts: Pack::get(r)?,
            stories: Pack::get(r)?,
            strings: Pack::get(r)?,
            problems: Pack::get(r)?,
            unusable: Pack::get(r)?,
            skipped: Pack::get(r)?,
        })
    }
}

/// Loads `files` (as [`load`] takes them) and writes the checked exhibit.
pub fn write(files: &[(&str, Option<&[u8]>)]) -> Vec<u8> {
    let loaded = load(files);
    let e = &loaded.exhibit;
    let records = Records {
        settings: e.settings.clone(),
        sources: e.sources.clone(),
        districts: e.districts.iter().map(|d| d.props.clone()).collect(),
        subdistricts: e.subdistricts.clone(),
        stories: e.stories.clone(),
        strings: e.strings.clone(),
        problems: loaded.problems.clone(),
        unusable: loaded.unusable.clone(),
        skipped: loaded.skipped.clone(),
    };
    let areas = Scene::from_lonlat(e.areas.iter().map(|a| a.geometry.clone()).collect());
    let districts = Scene::from_lonlat(e.districts.iter().map(|d| d.geometry.clone()).collect());

    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, VERSION);
    put_u32(&mut out, FILES.len() as u32);
    for name in FILES {
        put_bytes(&mut out, name.as_bytes());
        let given = files.iter().find(|(n, _)| n == name).and_then(|(_, b)| *b);
        match given {
            Some(b) => {
                let s = Fingerprint::of(b);
                put_u8(&mut out, 1);
                put_u64(&mut out, s.len);
                put_u64(&mut out, s.hash);
            }
            None => put_u8(&mut out, 0),
        }
    }
    records.put(&mut out);
    // The thousands of areas, places and projects in the binary form of `pack`.
    let areas_props: Vec<&AreaProps> = e.areas.iter().map(|a| &a.props).collect();
    put_u32(&mut out, areas_props.len() as u32);
    for a in areas_props {
        a.put(&mut out);
    }
    put_u32(&mut out, e.places.len() as u32);
    for p in &e.places {
        p.props.put(&mut out);
        p.point.x().put(&mut out);
        p.point.y().put(&mut out);
    }
    e.projects.put(&mut out);
    areas.encode(&mut out);
    districts.encode(&mut out);
    crate::basemap::BaseLayer::new(&e.basemap).encode(&mut out);
    out
}

/// Reads a checked exhibit. Never panics; any damage is an error, and the app then reads the
/// JSON.
pub fn read(bytes: &[u8]) -> Result<Checked, ReadError> {
    let mut r = Reader::new(bytes);
    if r.take(MAGIC.len(), "the file's mark") != Ok(MAGIC.as_slice()) {
        return Err(ReadError::NotChecked);
    }
    let version = r.u32()?;
    if version != VERSION {
        return Err(ReadError::Version(version));
    }
    let n = r.u32()?;
    let mut made_from = Vec::new();
    for _ in 0..n.min(1024) {
        let at = r.position();
        let name = std::str::from_utf8(r.bytes()?)
            .map_err(|_| WireError {
                at,
                what: "a file name that is not UTF-8",
            })?
            .to_string();
        let stamp = match r.u8()? {
            0 => None,
            _ => Some(Stamp {
                len: r.u64()?,
                hash: r.u64()?,
            }),
        };
        made_from.push((name, stamp));
    }
    let records = Records::get(&mut r)?;
    let area_props: Vec<AreaProps> = Pack::get(&mut r)?;
    let n_places = r.u32()? as usize;
    let mut places = Vec::with_capacity(n_places.min(r.left()));
    for _ in 0..n_places {
        let props = PlaceProps::get(&mut r)?;
        let (x, y) = (r.f64()?, r.f64()?);
        places.push(Place {
            props,
            point: Point::new(x, y),
        });
    }
    let projects: Vec<Project> = Pack::get(&mut r)?;
    let areas = Scene::decode(&mut r)?;
    let districts = Scene::decode(&mut r)?;
    let basemap = crate::basemap::BaseLayer::decode(&mut r)?;
    if !r.at_end() {
        return Err(ReadError::Wire(WireError {
            at: r.position(),
            what: "bytes after the end",
        }));
    }
    if areas.len() != area_props.len() || districts.len() != records.districts.len() {
        return Err(ReadError::Records(
            "as many outlines as areas and districts expected".into(),
        ));
    }
    let empty = || MultiPolygon::new(Vec::new());
    let mut exhibit = Exhibit::default();
    exhibit.settings = records.settings;
    exhibit.sources = records.sources;
    exhibit.districts = records
        .districts
        .into_iter()
        .map(|props| District {
            props,
            geometry: empty(),
        })
        .collect();
    exhibit.subdistricts = records.subdistricts;
    exhibit.areas = area_props
        .into_iter()
        .map(|props| Area {
            props,
            geometry: empty(),
        })
        .collect();
    exhibit.places = places;
    exhibit.projects = projects;
    exhibit.stories = records.stories;
    exhibit.strings = records.strings;
    exhibit.reindex();
    Ok(Checked {
        loaded: Loaded {
            exhibit,
            problems: records.problems,
            unusable: records.unusable,
            skipped: records.skipped,
        },
        areas,
        districts,
        basemap,
        made_from,
    })
}
