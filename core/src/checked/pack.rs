//! Every record of the checked exhibit in a compact binary form: fields in declaration order, no
//! names, strings length-prefixed. Reading it is several times faster than reading the same
//! records as JSON, the file is smaller, and the app's module needs no JSON reader at all.
//!
//! A new field in one of these types must be added here too (the destructuring in each `put`
//! fails to compile until it is); the round-trip tests in `core/tests/checked.rs` compare every
//! record with the one the JSON gives.

use std::collections::BTreeMap;

use crate::date::PartialDate;
use crate::load::Skipped;
use crate::model::{
    AreaProps, AttractStep, Boundary, Chapter, Dated, DistrictProps, Focus, Image, Kiosk, Lang,
    Localized, LocationAccuracy, PlaceKind, PlaceProps, Project, Quote, Settings, Source, Story,
    Subdistrict, Theme, Tiles, View,
};
use crate::problem::{Problem, Severity};
use crate::wire::{Reader, WireError, put_bytes, put_f64, put_u8, put_u32};

pub(super) trait Pack: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn get(r: &mut Reader) -> Result<Self, WireError>;
}

fn bad(r: &Reader, what: &'static str) -> WireError {
    WireError {
        at: r.position(),
        what,
    }
}

impl Pack for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(out, self.as_bytes());
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        let b = r.bytes()?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(bad(r, "text that is not UTF-8")),
        }
    }
}

impl Pack for u32 {
    fn put(&self, out: &mut Vec<u8>) {
        put_u32(out, *self);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.u32()
    }
}

impl Pack for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        put_f64(out, *self);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.f64()
    }
}

impl Pack for bool {
    fn put(&self, out: &mut Vec<u8>) {
        put_u8(out, u8::from(*self));
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(r.u8()? != 0)
    }
}

impl<T: Pack> Pack for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => {
                put_u8(out, 1);
                v.put(out);
            }
            None => put_u8(out, 0),
        }
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        match r.u8()? {
            0 => Ok(None),
            _ => T::get(r).map(Some),
        }
    }
}

impl Pack for [f64; 4] {
    fn put(&self, out: &mut Vec<u8>) {
        for v in self {
            put_f64(out, *v);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok([r.f64()?, r.f64()?, r.f64()?, r.f64()?])
    }
}

impl<K: Pack + Ord, V: Pack> Pack for BTreeMap<K, V> {
    fn put(&self, out: &mut Vec<u8>) {
        put_u32(out, self.len() as u32);
        for (k, v) in self {
            k.put(out);
            v.put(out);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        let n = r.u32()?;
        let mut m = BTreeMap::new();
        for _ in 0..n {
            let k = K::get(r)?;
            m.insert(k, V::get(r)?);
        }
        Ok(m)
    }
}

impl<T: Pack> Pack for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_u32(out, self.len() as u32);
        for v in self {
            v.put(out);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        let n = r.u32()? as usize;
        // Every item takes at least one byte: no more room is taken than the file could fill.
        let mut v = Vec::with_capacity(n.min(r.left()));
        for _ in 0..n {
            v.push(T::get(r)?);
        }
        Ok(v)
    }
}

/// A struct as its fields in the order listed; the destructuring fails to compile when a field
/// of the type is missing from the list, and `get` reads them back in the same order.
macro_rules! pack_struct {
    ($t:ident { $($f:ident),+ $(,)? }) => {
        impl Pack for $t {
            fn put(&self, out: &mut Vec<u8>) {
                let $t { $($f),+ } = self;
                $($f.put(out);)+
            }
            fn get(r: &mut Reader) -> Result<Self, WireError> {
                Ok($t { $($f: Pack::get(r)?),+ })
            }
        }
    };
}

pack_struct!(Localized {
    zh_hans,
    zh_hant,
    en
});

impl Pack for PartialDate {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.year.to_le_bytes());
        put_u8(out, self.month.unwrap_or(0));
        put_u8(out, self.day.unwrap_or(0));
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        let y = r.take(2, "a year")?;
        let year = u16::from_le_bytes([y[0], y[1]]);
        let (month, day) = (r.u8()?, r.u8()?);
        Ok(PartialDate {
            year,
            month: (month != 0).then_some(month),
            day: (day != 0).then_some(day),
        })
    }
}

pack_struct!(Dated {
    date,
    approximate,
    end,
    text,
    sources
});

pack_struct!(Image { file, alt, credit });

/// A field-less enum as one byte: the number given to each variant.
macro_rules! pack_enum {
    ($t:ident { $($v:ident = $k:literal),+ $(,)? }) => {
        impl Pack for $t {
            /// A `match` on every variant: a variant added to the type and not here is a
            /// compile error, not a record saved as another kind.
            fn put(&self, out: &mut Vec<u8>) {
                put_u8(out, match self { $($t::$v => $k),+ });
            }
            fn get(r: &mut Reader) -> Result<Self, WireError> {
                match r.u8()? {
                    $($k => Ok($t::$v),)+
                    _ => Err(bad(r, "an unknown kind")),
                }
            }
        }
    };
}

pack_enum!(Boundary {
    Surveyed = 0,
    Traced = 1,
    Schematic = 2,
});
pack_enum!(PlaceKind {
    Building = 0,
    Site = 1,
    Garden = 2,
    Lane = 3,
    Park = 4,
    Estate = 5,
    LaneEstate = 6,
    ResidentialBuilding = 7,
    CommunitySpace = 8,
    Street = 9,
});
pack_enum!(LocationAccuracy {
    Surveyed = 0,
    Approximate = 1,
});

pack_struct!(AreaProps {
    id,
    name,
    subdistrict,
    district,
    households,
    residents,
    area_km2,
    summary,
    boundary,
    boundary_note,
    sources
});

pack_struct!(PlaceProps {
    id,
    name,
    kind,
    area,
    summary,
    facts,
    story,
    image,
    location,
    sources
});

pack_struct!(Project {
    id,
    area,
    theme,
    title,
    summary,
    milestones,
    places,
    sources
});

pack_enum!(Lang {
    ZhHans = 0,
    ZhHant = 1,
    En = 2,
});
pack_enum!(Severity {
    Error = 0,
    Warning = 1,
});

/// An enum whose variants each hold one id: a byte for the variant, then the id. The match at
/// the end of `put` fails to compile when the enum gains a variant the list does not have.
macro_rules! pack_id_enum {
    ($t:ident, [$($v:ident),+ $(,)?]) => {
        impl Pack for $t {
            fn put(&self, out: &mut Vec<u8>) {
                let mut k = 0u8;
                $(
                    if let $t::$v(id) = self {
                        put_u8(out, k);
                        id.put(out);
                        return;
                    }
                    k += 1;
                )+
                let _ = k;
                match self {
                    $($t::$v(_))|+ => {}
                }
            }
            fn get(r: &mut Reader) -> Result<Self, WireError> {
                let want = r.u8()?;
                let mut k = 0u8;
                $(
                    if want == k {
                        return Ok($t::$v(Pack::get(r)?));
                    }
                    k += 1;
                )+
                let _ = k;
                Err(bad(r, "an unknown kind"))
            }
        }
    };
}

pack_id_enum!(Focus, [Area, Place]);
pack_id_enum!(AttractStep, [Story, Area, Place]);

pack_struct!(View { bounds });
pack_struct!(Kiosk {
    enabled,
    idle_seconds,
    countdown_seconds,
    attract
});
pack_struct!(Theme { id, name, color });
pack_struct!(Tiles { url, attribution });
pack_struct!(Settings {
    schema,
    title,
    intro,
    languages,
    default_language,
    view,
    kiosk,
    themes,
    credits,
    public_base_url,
    tiles,
    sources,
    featured_stories
});
pack_struct!(Source {
    id,
    file,
    title,
    publisher,
    url
});
pack_struct!(DistrictProps { id, name, sources });
pack_struct!(Subdistrict {
    id,
    district,
    name,
    summary,
    sources
});
pack_struct!(Quote { text, by });
pack_struct!(Chapter {
    heading,
    paragraphs,
    image,
    focus,
    quote,
    sources
});
pack_struct!(Story {
    id,
    title,
    summary,
    place,
    area,
    chapters,
    sources
});
pack_struct!(Problem {
    file,
    line,
    col,
    path,
    severity,
    message
});
pack_struct!(Skipped { file, path, id });
