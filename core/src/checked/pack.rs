//! The records that come in thousands (areas, places, projects) in a compact binary form:
//! fields in declaration order, no names, strings length-prefixed. Reading it is several times
//! faster than reading the same records as JSON, and the file is smaller.
//!
//! A new field in one of these types must be added here too (the destructuring in each `put`
//! fails to compile until it is); the round-trip tests in `core/tests/checked.rs` compare every
//! record with the one the JSON gives.

use crate::date::PartialDate;
use crate::model::{
    AreaProps, Boundary, Dated, Image, Localized, LocationAccuracy, PlaceKind, PlaceProps, Project,
};
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

impl Pack for Localized {
    fn put(&self, out: &mut Vec<u8>) {
        let Localized {
            zh_hans,
            zh_hant,
            en,
        } = self;
        zh_hans.put(out);
        zh_hant.put(out);
        en.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Localized {
            zh_hans: Pack::get(r)?,
            zh_hant: Pack::get(r)?,
            en: Pack::get(r)?,
        })
    }
}

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

impl Pack for Dated {
    fn put(&self, out: &mut Vec<u8>) {
        let Dated {
            date,
            approximate,
            end,
            text,
            sources,
        } = self;
        date.put(out);
        approximate.put(out);
        end.put(out);
        text.put(out);
        sources.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Dated {
            date: Pack::get(r)?,
            approximate: Pack::get(r)?,
            end: Pack::get(r)?,
            text: Pack::get(r)?,
            sources: Pack::get(r)?,
        })
    }
}

impl Pack for Image {
    fn put(&self, out: &mut Vec<u8>) {
        let Image { file, alt, credit } = self;
        file.put(out);
        alt.put(out);
        credit.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Image {
            file: Pack::get(r)?,
            alt: Pack::get(r)?,
            credit: Pack::get(r)?,
        })
    }
}

/// A field-less enum as one byte: its position in the list.
macro_rules! pack_enum {
    ($t:ty, [$($v:expr),+ $(,)?]) => {
        impl Pack for $t {
            fn put(&self, out: &mut Vec<u8>) {
                let all = [$($v),+];
                put_u8(out, all.iter().position(|v| v == self).unwrap_or(0) as u8);
            }
            fn get(r: &mut Reader) -> Result<Self, WireError> {
                let all = [$($v),+];
                let k = r.u8()?;
                all.get(usize::from(k)).copied().ok_or_else(|| bad(r, "an unknown kind"))
            }
        }
    };
}

pack_enum!(
    Boundary,
    [Boundary::Surveyed, Boundary::Traced, Boundary::Schematic]
);
pack_enum!(
    PlaceKind,
    [
        PlaceKind::Building,
        PlaceKind::Site,
        PlaceKind::Garden,
        PlaceKind::Lane,
        PlaceKind::Park,
    ]
);
pack_enum!(
    LocationAccuracy,
    [LocationAccuracy::Surveyed, LocationAccuracy::Approximate]
);

impl Pack for AreaProps {
    fn put(&self, out: &mut Vec<u8>) {
        let AreaProps {
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
            sources,
        } = self;
        id.put(out);
        name.put(out);
        subdistrict.put(out);
        district.put(out);
        households.put(out);
        residents.put(out);
        area_km2.put(out);
        summary.put(out);
        boundary.put(out);
        boundary_note.put(out);
        sources.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(AreaProps {
            id: Pack::get(r)?,
            name: Pack::get(r)?,
            subdistrict: Pack::get(r)?,
            district: Pack::get(r)?,
            households: Pack::get(r)?,
            residents: Pack::get(r)?,
            area_km2: Pack::get(r)?,
            summary: Pack::get(r)?,
            boundary: Pack::get(r)?,
            boundary_note: Pack::get(r)?,
            sources: Pack::get(r)?,
        })
    }
}

impl Pack for PlaceProps {
    fn put(&self, out: &mut Vec<u8>) {
        let PlaceProps {
            id,
            name,
            kind,
            area,
            summary,
            facts,
            story,
            image,
            location,
            sources,
        } = self;
        id.put(out);
        name.put(out);
        kind.put(out);
        area.put(out);
        summary.put(out);
        facts.put(out);
        story.put(out);
        image.put(out);
        location.put(out);
        sources.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(PlaceProps {
            id: Pack::get(r)?,
            name: Pack::get(r)?,
            kind: Pack::get(r)?,
            area: Pack::get(r)?,
            summary: Pack::get(r)?,
            facts: Pack::get(r)?,
            story: Pack::get(r)?,
            image: Pack::get(r)?,
            location: Pack::get(r)?,
            sources: Pack::get(r)?,
        })
    }
}

impl Pack for Project {
    fn put(&self, out: &mut Vec<u8>) {
        let Project {
            id,
            area,
            theme,
            title,
            summary,
            milestones,
            places,
            sources,
        } = self;
        id.put(out);
        area.put(out);
        theme.put(out);
        title.put(out);
        summary.put(out);
        milestones.put(out);
        places.put(out);
        sources.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Project {
            id: Pack::get(r)?,
            area: Pack::get(r)?,
            theme: Pack::get(r)?,
            title: Pack::get(r)?,
            summary: Pack::get(r)?,
            milestones: Pack::get(r)?,
            places: Pack::get(r)?,
            sources: Pack::get(r)?,
        })
    }
}
