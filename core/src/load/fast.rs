//! The loader's fast path: a file read as borrowed pieces of its text instead of one
//! `serde_json::Value` tree, and outlines read straight into coordinate vectors.
//!
//! A record becomes a `Value` only for its own small members (its properties), so the checks
//! and messages are the same as on the precise path; coordinates never do. Whenever anything
//! here fails to read (a number out of range, nesting too deep, a position that is not two or
//! three numbers…), the fast path gives up on that outline (read precisely instead) or, for
//! anything else, on the whole file ([`Abort`]): the caller then reads the file as one `Value`,
//! exactly as before, and words every problem from there.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::model::GeometryType;

/// The fast path cannot read this file: read it precisely.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Abort;

/// Whether `text` is one JSON value that `serde_json::Value` would read: the same parser
/// reads it, with the same rules (nesting at most 128 deep, numbers in range, escapes valid,
/// nothing after the value), keeping nothing. Only then does the fast path read the file, so
/// that a syntax error is always reported by the precise path, where the whole text is read.
pub(crate) fn valid(text: &str) -> bool {
    struct Any;
    impl<'de> Deserialize<'de> for Any {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Any)
        }
    }
    impl<'de> Visitor<'de> for Any {
        type Value = Any;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_str<E>(self, _: &str) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_unit<E>(self) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_none<E>(self) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Any, D::Error> {
            d.deserialize_any(Any)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
            while seq.next_element::<Any>()?.is_some() {}
            Ok(Any)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
            while map.next_entry::<Any, Any>()?.is_some() {}
            Ok(Any)
        }
    }
    serde_json::from_str::<Any>(text).is_ok()
}

/// An object's members in the order written, each value still text.
pub(crate) struct Members<'a>(pub Vec<(String, &'a RawValue)>);

impl<'a> Members<'a> {
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The member's value, the last one written when a name appears twice (as `Value` does).
    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The object as a `Value` map, with `replace`'s members given the values supplied. Built
    /// in the order written, with later duplicates replacing earlier ones, as `Value` does.
    pub(crate) fn to_map(&self, replace: &[(&str, &dyn Fn() -> Value)]) -> Result<Map<String, Value>, Abort> {
        let mut m = Map::new();
        for (k, raw) in &self.0 {
            let v = match replace.iter().find(|(r, _)| r == k) {
                Some((_, f)) => f(),
                None => to_value(raw)?,
            };
            m.insert(k.clone(), v);
        }
        Ok(m)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A piece of text as a `Value`.
pub(crate) fn to_value(raw: &RawValue) -> Result<Value, Abort> {
    serde_json::from_str(raw.get()).map_err(|_| Abort)
}

/// The elements of a list, each still text; `None` when it is not a list.
pub(crate) fn elements(raw: &RawValue) -> Option<Vec<&RawValue>> {
    serde_json::from_str(raw.get()).ok()
}

/// A position read straight from the text: two finite numbers, and optionally a third
/// (altitude, ignored, whatever it is), as the precise path accepts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Xy(pub f64, pub f64);

impl<'de> Deserialize<'de> for Xy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Xy;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a position")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Xy, A::Error> {
                let x: f64 = seq.next_element()?.ok_or_else(|| de::Error::custom("short"))?;
                let y: f64 = seq.next_element()?.ok_or_else(|| de::Error::custom("short"))?;
                if seq.next_element::<IgnoredAny>()?.is_some()
                    && seq.next_element::<IgnoredAny>()?.is_some()
                {
                    return Err(de::Error::custom("long"));
                }
                if !(x.is_finite() && y.is_finite()) {
                    return Err(de::Error::custom("not finite"));
                }
                Ok(Xy(x, y))
            }
        }
        d.deserialize_seq(V)
    }
}

/// An outline's coordinates read straight from the text.
pub(crate) enum Typed {
    /// A Polygon's rings.
    Rings(Vec<Vec<Xy>>),
    /// A MultiPolygon's polygons.
    Polygons(Vec<Vec<Vec<Xy>>>),
}

/// A feature read fast: its `Value` with an outline's coordinates left out (an empty list in
/// their place) and those coordinates read straight into vectors. Points, and outlines the
/// fast path cannot read, are left whole in the `Value`.
pub(crate) fn feature(raw: &RawValue) -> Result<(Value, Option<Typed>), Abort> {
    let Some(members) = Members::parse(raw.get()) else {
        return Ok((to_value(raw)?, None));
    };
    let Some(geometry) = members.get("geometry") else {
        return Ok((Value::Object(members.to_map(&[])?), None));
    };
    match outline(geometry)? {
        Some((g, typed)) => {
            // Once per `geometry` member written (the last one is kept, as `Value` does).
            let geometry = || Value::Object(g.clone());
            let m = members.to_map(&[("geometry", &geometry)])?;
            Ok((Value::Object(m), Some(typed)))
        }
        None => Ok((Value::Object(members.to_map(&[])?), None)),
    }
}

/// A Polygon or MultiPolygon geometry: its members but `coordinates` as a `Value` map, and its
/// coordinates typed. `None` when it is anything else or cannot be read fast.
fn outline(raw: &RawValue) -> Result<Option<(Map<String, Value>, Typed)>, Abort> {
    let Some(g) = Members::parse(raw.get()) else {
        return Ok(None);
    };
    let (Some(kind), Some(coords)) = (g.get("type"), g.get("coordinates")) else {
        return Ok(None);
    };
    let typed = match serde_json::from_str::<GeometryType>(kind.get()) {
        Ok(GeometryType::Polygon) => serde_json::from_str(coords.get()).map(Typed::Rings),
        Ok(GeometryType::MultiPolygon) => serde_json::from_str(coords.get()).map(Typed::Polygons),
        _ => return Ok(None),
    };
    let Ok(typed) = typed else { return Ok(None) };
    let empty = || Value::Array(Vec::new());
    let m = g.to_map(&[("coordinates", &empty)])?;
    Ok(Some((m, typed)))
}
