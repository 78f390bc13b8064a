//! The loader's fast path: one pass of serde_json's parser over a file, which builds the
//! file's `serde_json::Value` exactly as `Value` itself would (numbers, strings, member order,
//! the last of two members of one name kept) except for its records, which it only marks out
//! (each record's text), and which notes on the way every member named twice.
//!
//! Each record's text is then read once more by [`scan`]: members named twice, the checks of
//! its texts (what `texts::of_value` finds in the record's `Value`), its id, and an outline's
//! coordinates read into vectors of positions. The loader then deserializes the record straight
//! from its text into its typed form ([`Record::Fast`]), without a `Value`; only a record that
//! fails to deserialize, or that names a member twice, is read as a `Value` and checked the
//! precise way (same code, same messages).
//!
//! What it gives is what reading the file as one `Value` and scanning its text for members
//! named twice gives. When the parser stops at a syntax error, the caller reads the file
//! precisely instead and words that error as always.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::texts::Finding;
use crate::locate::{JsonPath, Seg};

mod coords;
mod scan;
use crate::model::{Feature, FeatureType, GeometryType, RawGeometry};
use scan::scan;

/// The path of where a parser is.
fn json_path(path: &[Step]) -> JsonPath {
    JsonPath(
        path.iter()
            .map(|s| match s {
                Step::Key(k) => Seg::Key(k.as_ref().into()),
                Step::Index(i) => Seg::Index(*i),
            })
            .collect(),
    )
}

/// A position read straight from the text (longitude, latitude).
pub(crate) type Xy = geo::Coord<f64>;

/// An outline's coordinates read straight from the text.
pub(crate) enum Typed {
    /// A Polygon's rings.
    Rings(Vec<Vec<Xy>>),
    /// A MultiPolygon's polygons.
    Polygons(Vec<Vec<Vec<Xy>>>),
}

/// A file read in one pass.
pub(crate) struct Split<'t> {
    /// The file's value; when the records list was a list, it stands empty here.
    pub top: Value,
    /// The records, each as written with what [`scan`] found in it. `None` when the file has
    /// no records list, or it is not a list.
    pub items: Option<Vec<RawRecord<'t>>>,
    /// The path of every member named a second (or later) time in its object.
    pub duplicates: Vec<JsonPath>,
}

/// A record as written, and what one reading of it found.
pub(crate) struct RawRecord<'t> {
    /// Its text.
    pub text: &'t str,
    /// Its `id` member when that is a text.
    id: Option<Cow<'t, str>>,
    /// Its `properties.id` member when that is a text.
    props_id: Option<Cow<'t, str>>,
    /// The problems of its localized texts, in the order `texts::of_value` finds them.
    pub texts: Vec<Finding>,
    /// A feature's outline coordinates, read as positions.
    pub typed: Option<Typed>,
    /// A feature's geometry's coordinates when they were not read as positions.
    pub coordinates: Option<Value>,
    /// Whether the record must be read the precise way: a member is named twice, a geometry's
    /// `type` is not a plain text, or its coordinates hold an object.
    pub precise: bool,
}

impl<'t> RawRecord<'t> {
    /// The record's id, as `record_id` finds it in its `Value`.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref().or(self.props_id.as_deref())
    }
}

/// A record type, and the form the fast path deserializes it in straight from its text.
pub(crate) trait Record: DeserializeOwned {
    /// Deserializes from a record's text exactly when `Self` deserializes from the record's
    /// `Value` (as the fast path builds it), and gives the same record.
    type Fast: DeserializeOwned;
    /// The record, given the coordinates that were not read as positions.
    fn from_fast(fast: Self::Fast, coordinates: Option<Value>) -> Self;
}

macro_rules! plain_record {
    ($($t:ty),*) => {$(
        impl Record for $t {
            type Fast = $t;
            fn from_fast(fast: $t, _: Option<Value>) -> $t {
                fast
            }
        }
    )*};
}
plain_record!(
    crate::model::Source,
    crate::model::Subdistrict,
    crate::model::Project,
    crate::model::Story
);

/// A feature as its text is deserialized: [`Feature`] with the geometry's coordinates skipped
/// (they were read by [`scan`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeatureIn<P> {
    #[serde(rename = "type")]
    kind: FeatureType,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    bbox: Option<Vec<f64>>,
    properties: P,
    geometry: Option<GeometryIn>,
}

/// [`RawGeometry`] with its coordinates skipped.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeometryIn {
    #[serde(rename = "type")]
    kind: GeometryType,
    #[allow(dead_code)]
    coordinates: de::IgnoredAny,
    #[serde(default)]
    bbox: Option<Vec<f64>>,
}

impl<P: DeserializeOwned> Record for Feature<P> {
    type Fast = FeatureIn<P>;
    fn from_fast(f: FeatureIn<P>, coordinates: Option<Value>) -> Self {
        Feature {
            kind: f.kind,
            id: f.id,
            bbox: f.bbox,
            properties: f.properties,
            geometry: f.geometry.map(|g| RawGeometry {
                kind: g.kind,
                // Read as positions: the list stands empty, as in the fast path's `Value`.
                coordinates: coordinates.unwrap_or_else(|| Value::Array(Vec::new())),
                bbox: g.bbox,
            }),
        }
    }
}

/// Containers nested deeper than this in a record send the file the precise way: a record's
/// text is read on its own, so serde_json's limit of 128 levels does not count the levels
/// above it.
const DEEPEST: usize = 100;

/// Reads `text` in one pass, then each record's text. `list`: the member holding the records,
/// and whether they are GeoJSON features. `None` when the file must be read the precise way:
/// it is not JSON (the records' texts are only marked out by the first pass, which checks less
/// than the parser does: the precise way finds and words the error), or it nests too deep.
pub(crate) fn split<'t>(text: &'t str, list: Option<(&str, bool)>) -> Option<Split<'t>> {
    let mut ctx = Ctx::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let top = ValueSeed {
        ctx: &mut ctx,
        mode: Mode::Top(list),
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    let mut duplicates = ctx.duplicates;
    let items = match (ctx.items, list) {
        (Some(raws), Some((key, features))) => {
            let mut out = Vec::with_capacity(raws.len());
            for (i, raw) in raws.into_iter().enumerate() {
                let (rec, deepest) = scan(raw.get(), key, i, features, &mut duplicates).ok()?;
                if deepest > DEEPEST {
                    return None;
                }
                out.push(rec);
            }
            Some(out)
        }
        _ => None,
    };
    Some(Split {
        top,
        items,
        duplicates,
    })
}

/// Reads `text` as one `Value`, as `serde_json::from_str` does (the same value, the same
/// errors), with the path of every member named a second (or later) time in its object.
pub(crate) fn whole(text: &str) -> Result<(Value, Vec<JsonPath>), serde_json::Error> {
    let mut ctx = Ctx::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        ctx: &mut ctx,
        mode: Mode::Top(None),
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((value, ctx.duplicates))
}

/// One step of where a parser is (a member name, borrowed from the text when it can be; the
/// top-level pass moves it into its object afterwards).
#[derive(Clone)]
enum Step<'t> {
    Key(Cow<'t, str>),
    Index(usize),
}

#[derive(Default)]
struct Ctx<'t> {
    /// Where the parser is.
    path: Vec<Step<'t>>,
    duplicates: Vec<JsonPath>,
    /// The records' texts.
    items: Option<Vec<&'t RawValue>>,
    /// The most containers open at once.
    deepest: usize,
}

#[derive(Clone, Copy)]
enum Mode<'k> {
    /// Any value, as `Value` reads it.
    Plain,
    /// The file's value: its member named so holds the records (features or not).
    Top(Option<(&'k str, bool)>),
    /// The records list.
    Items,
}

struct ValueSeed<'c, 'k, 't> {
    ctx: &'c mut Ctx<'t>,
    mode: Mode<'k>,
}

impl<'t> DeserializeSeed<'t> for ValueSeed<'_, '_, 't> {
    type Value = Value;
    fn deserialize<D: Deserializer<'t>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'t> Visitor<'t> for ValueSeed<'_, '_, 't> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'t>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'t>>(self, mut seq: A) -> Result<Value, A::Error> {
        let ctx = self.ctx;
        ctx.deepest = ctx.deepest.max(ctx.path.len() + 1);
        if let Mode::Items = self.mode {
            // Each record's text, read later on its own.
            let mut records = Vec::new();
            while let Some(r) = seq.next_element::<&'t RawValue>()? {
                records.push(r);
            }
            ctx.items = Some(records);
            return Ok(Value::Array(Vec::new()));
        }
        let mut out = Vec::new();
        for i in 0.. {
            ctx.path.push(Step::Index(i));
            let v = seq.next_element_seed(ValueSeed {
                ctx: &mut *ctx,
                mode: Mode::Plain,
            });
            ctx.path.pop();
            match v? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'t>>(self, mut map: A) -> Result<Value, A::Error> {
        let ctx = self.ctx;
        ctx.deepest = ctx.deepest.max(ctx.path.len() + 1);
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            // Every member read so far is in `out`: a name there already is named twice.
            let twice = out.contains_key(&k);
            ctx.path.push(Step::Key(Cow::Owned(k)));
            if twice {
                let here = json_path(&ctx.path);
                ctx.duplicates.push(here);
            }
            let k = match ctx.path.last() {
                Some(Step::Key(k)) => &k[..],
                _ => "",
            };
            let mode = match self.mode {
                Mode::Top(Some((key, _))) if k == key => {
                    // The last member of the name counts: forget what an earlier one held.
                    ctx.items = None;
                    Mode::Items
                }
                _ => Mode::Plain,
            };
            let v = map.next_value_seed(ValueSeed {
                ctx: &mut *ctx,
                mode,
            })?;
            let Some(Step::Key(k)) = ctx.path.pop() else {
                continue;
            };
            out.insert(k.into_owned(), v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(v: &[JsonPath]) -> Vec<String> {
        v.iter().map(JsonPath::to_string).collect()
    }

    #[test]
    fn members_named_twice_are_found_at_any_depth_both_ways() {
        let text = r#"{"features": [{"properties": {"name": 1, "x": {"name": 2}, "name": 3}}], "features": []}"#;
        let (value, dups) = whole(text).unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(paths(&dups), ["features[0].properties.name", "features"]);
        // Read apart: the top level's in its pass, the record's when its text is read.
        let text = r#"{"features": [{"type": "Feature", "properties": {"id": "a", "id": "b"}}]}"#;
        let split = split(text, Some(("features", true))).unwrap();
        assert_eq!(paths(&split.duplicates), ["features[0].properties.id"]);
        let record = &split.items.unwrap()[0];
        assert!(
            record.precise,
            "a record naming a member twice is read the precise way"
        );
        assert_eq!(
            record.id(),
            Some("b"),
            "the last of the two counts, as in a `Value`"
        );
    }

    #[test]
    fn whole_gives_the_parsers_own_error() {
        for text in ["{\"a\": 1,}", "[1 2]", "{\"a\": \"x", "{} {}"] {
            let ours = whole(text).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
