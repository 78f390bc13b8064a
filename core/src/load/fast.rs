//! The loader's fast path: one pass of serde_json's parser over a file, which builds the
//! file's `serde_json::Value` exactly as `Value` itself would (numbers, strings, member order,
//! the last of two members of one name kept) except for its records, which it only marks out
//! (each record's text), and which notes on the way every member named twice.
//!
//! Each record's text is then read once more by [`scan`]: members named twice, the checks of
//! its texts (what `check_texts` finds in the record's `Value`), its id, and an outline's
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

use crate::locate::{JsonPath, Seg};
use crate::model::{Feature, FeatureType, GeometryType, RawGeometry};

impl Ctx<'_> {
    /// The path where the parser is.
    fn json_path(&self) -> JsonPath {
        JsonPath(
            self.path
                .iter()
                .map(|s| match s {
                    Step::Key(k) => Seg::Key(k.as_str().into()),
                    Step::Index(i) => Seg::Index(*i),
                })
                .collect(),
        )
    }
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

/// A problem of a record's texts (see `check_texts`).
pub(crate) enum TextFinding {
    /// The `zh-Hans` text at this path is empty (an error).
    EmptyZh(JsonPath),
    /// The localized text at this path has no English (a warning).
    NoEn(JsonPath),
}

/// A record as written, and what one reading of it found.
pub(crate) struct RawRecord<'t> {
    /// Its text.
    pub text: &'t str,
    /// Its `id` member when that is a text.
    id: Option<Cow<'t, str>>,
    /// Its `properties.id` member when that is a text.
    props_id: Option<Cow<'t, str>>,
    /// The problems of its localized texts, in the order `check_texts` reports them.
    pub texts: Vec<TextFinding>,
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

/// One step of where the parser is (a member name is moved into its object afterwards).
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Default)]
struct Ctx<'t> {
    /// Where the parser is.
    path: Vec<Step>,
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
            ctx.path.push(Step::Key(k));
            if twice {
                let here = ctx.json_path();
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
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

// ---------------------------------------------------------------------------------------------
// One record's text
// ---------------------------------------------------------------------------------------------

/// Reads record `index` of the list `key` from its text: see [`RawRecord`]. Members named twice
/// are added to `duplicates`. Also gives the most containers open at once, counted from the
/// file's top.
fn scan<'t>(
    text: &'t str,
    key: &str,
    index: usize,
    feature: bool,
    duplicates: &mut Vec<JsonPath>,
) -> Result<(RawRecord<'t>, usize), serde_json::Error> {
    let mut s = Scan {
        path: vec![SStep::Key(Cow::Owned(key.to_string())), SStep::Index(index)],
        deepest: 0,
        duplicates,
        rec: RawRecord {
            text,
            id: None,
            props_id: None,
            texts: Vec::new(),
            typed: None,
            coordinates: None,
            precise: false,
        },
    };
    let mut de = serde_json::Deserializer::from_str(text);
    ScanSeed {
        s: &mut s,
        mode: SMode::Root { feature },
        keep: false,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((s.rec, s.deepest))
}

enum SStep<'t> {
    Key(Cow<'t, str>),
    Index(usize),
}

struct Scan<'s, 't> {
    /// Where the parser is, from the file's top.
    path: Vec<SStep<'t>>,
    /// The most containers open at once.
    deepest: usize,
    duplicates: &'s mut Vec<JsonPath>,
    rec: RawRecord<'t>,
}

impl Scan<'_, '_> {
    fn json_path(&self) -> JsonPath {
        JsonPath(
            self.path
                .iter()
                .map(|s| match s {
                    SStep::Key(k) => Seg::Key(k.as_ref().into()),
                    SStep::Index(i) => Seg::Index(*i),
                })
                .collect(),
        )
    }
}

#[derive(Clone, Copy, PartialEq)]
enum SMode {
    /// The record itself.
    Root {
        feature: bool,
    },
    /// Its `properties`.
    Props,
    /// A feature's `geometry`.
    Geometry,
    Plain,
}

struct ScanSeed<'a, 's, 't> {
    s: &'a mut Scan<'s, 't>,
    mode: SMode,
    /// Whether a text's value is wanted (an id, a geometry's type).
    keep: bool,
}

/// What a value was, as far as the checks need.
enum Seen<'t> {
    /// A text: whether it is blank, and the text when it was wanted.
    Text(bool, Option<Cow<'t, str>>),
    Nested,
    Other,
}

impl<'t> DeserializeSeed<'t> for ScanSeed<'_, '_, 't> {
    type Value = Seen<'t>;
    fn deserialize<D: Deserializer<'t>>(self, d: D) -> Result<Seen<'t>, D::Error> {
        d.deserialize_any(self)
    }
}

/// A member name, borrowed from the text when it has no escapes.
struct KeySeed;

impl<'t> DeserializeSeed<'t> for KeySeed {
    type Value = Cow<'t, str>;
    fn deserialize<D: Deserializer<'t>>(self, d: D) -> Result<Cow<'t, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'t> Visitor<'t> for KeySeed {
    type Value = Cow<'t, str>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'t str) -> Result<Cow<'t, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'t, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Cow<'t, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// The names of an object's members read so far.
#[derive(Default)]
struct Names<'t> {
    few: Vec<Cow<'t, str>>,
    many: Option<std::collections::HashSet<Cow<'t, str>>>,
}

impl<'t> Names<'t> {
    /// Adds a name; false when it was there already.
    fn insert(&mut self, k: Cow<'t, str>) -> bool {
        if let Some(set) = &mut self.many {
            return set.insert(k);
        }
        if self.few.contains(&k) {
            return false;
        }
        self.few.push(k);
        if self.few.len() > 16 {
            self.many = Some(self.few.drain(..).collect());
        }
        true
    }
}

fn has_object(v: &Value) -> bool {
    match v {
        Value::Object(_) => true,
        Value::Array(a) => a.iter().any(has_object),
        _ => false,
    }
}

impl<'t> Visitor<'t> for ScanSeed<'_, '_, 't> {
    type Value = Seen<'t>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Seen<'t>, E> {
        Ok(Seen::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Seen<'t>, E> {
        Ok(Seen::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Seen<'t>, E> {
        Ok(Seen::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Seen<'t>, E> {
        Ok(Seen::Other)
    }
    fn visit_borrowed_str<E>(self, v: &'t str) -> Result<Seen<'t>, E> {
        let blank = v.trim().is_empty();
        Ok(Seen::Text(blank, self.keep.then_some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Seen<'t>, E> {
        let blank = v.trim().is_empty();
        Ok(Seen::Text(
            blank,
            self.keep.then(|| Cow::Owned(v.to_string())),
        ))
    }
    fn visit_string<E>(self, v: String) -> Result<Seen<'t>, E> {
        let blank = v.trim().is_empty();
        Ok(Seen::Text(blank, self.keep.then_some(Cow::Owned(v))))
    }
    fn visit_none<E>(self) -> Result<Seen<'t>, E> {
        Ok(Seen::Other)
    }
    fn visit_unit<E>(self) -> Result<Seen<'t>, E> {
        Ok(Seen::Other)
    }
    fn visit_some<D: Deserializer<'t>>(self, d: D) -> Result<Seen<'t>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'t>>(self, mut seq: A) -> Result<Seen<'t>, A::Error> {
        let s = self.s;
        s.deepest = s.deepest.max(s.path.len() + 1);
        for i in 0.. {
            s.path.push(SStep::Index(i));
            let v = seq.next_element_seed(ScanSeed {
                s: &mut *s,
                mode: SMode::Plain,
                keep: false,
            });
            s.path.pop();
            if v?.is_none() {
                break;
            }
        }
        Ok(Seen::Nested)
    }

    /// An object: members named twice, and the checks of `check_texts` as it walks a `Value`:
    /// an object with a `zh-Hans` member is a localized text (checked, not walked into);
    /// another is walked into. What its members found is dropped when it turns out to be a
    /// localized text.
    fn visit_map<A: MapAccess<'t>>(self, mut map: A) -> Result<Seen<'t>, A::Error> {
        let s = self.s;
        s.deepest = s.deepest.max(s.path.len() + 1);
        let mode = self.mode;
        let mark = s.rec.texts.len();
        let mut names = Names::default();
        // `zh-Hans`: whether it is a blank text; `en`: whether it is missing or blank.
        let mut zh: Option<bool> = None;
        let mut en_missing = true;
        let mut kind: Option<Option<GeometryType>> = None;
        let mut coords: Option<Node> = None;
        while let Some(k) = map.next_key_seed(KeySeed)? {
            let fresh = names.insert(k.clone());
            s.path.push(SStep::Key(k));
            if !fresh {
                s.rec.precise = true;
                let here = s.json_path();
                s.duplicates.push(here);
            }
            let k: &str = match s.path.last() {
                Some(SStep::Key(k)) => k,
                _ => "",
            };
            let (child, keep) = match (mode, k) {
                (SMode::Root { .. }, "id") | (SMode::Props, "id") | (SMode::Geometry, "type") => {
                    (SMode::Plain, true)
                }
                (SMode::Root { .. }, "properties") => (SMode::Props, false),
                (SMode::Root { feature: true }, "geometry") => (SMode::Geometry, false),
                _ => (SMode::Plain, false),
            };
            if mode == SMode::Geometry && k == "coordinates" {
                // Read as the fast path always read outlines: positions where they are plain.
                let mut ctx = Ctx {
                    path: s
                        .path
                        .iter()
                        .map(|st| match st {
                            SStep::Key(k) => Step::Key(k.to_string()),
                            SStep::Index(i) => Step::Index(*i),
                        })
                        .collect(),
                    ..Ctx::default()
                };
                coords = Some(map.next_value_seed(NodeSeed { ctx: &mut ctx })?);
                s.deepest = s.deepest.max(ctx.deepest);
                if !ctx.duplicates.is_empty() {
                    s.rec.precise = true;
                    s.duplicates.append(&mut ctx.duplicates);
                }
                s.path.pop();
                continue;
            }
            let is = |name: &str| k == name;
            let (zh_key, en_key, id_key, type_key) =
                (is("zh-Hans"), is("en"), is("id"), is("type"));
            let v = map.next_value_seed(ScanSeed {
                s: &mut *s,
                mode: child,
                keep,
            })?;
            if zh_key {
                zh = Some(matches!(v, Seen::Text(true, _)));
            } else if en_key {
                en_missing = matches!(v, Seen::Text(true, _));
            }
            match (mode, v) {
                (SMode::Root { .. }, Seen::Text(_, t)) if id_key => s.rec.id = t,
                (SMode::Root { .. }, _) if id_key => s.rec.id = None,
                (SMode::Props, Seen::Text(_, t)) if id_key => s.rec.props_id = t,
                (SMode::Props, _) if id_key => s.rec.props_id = None,
                (SMode::Geometry, Seen::Text(_, t)) if type_key => {
                    kind = Some(match t.as_deref() {
                        Some("Point") => Some(GeometryType::Point),
                        Some("Polygon") => Some(GeometryType::Polygon),
                        Some("MultiPolygon") => Some(GeometryType::MultiPolygon),
                        _ => None,
                    })
                }
                // Not a plain text: serde may still read it as the type (`{"Polygon": null}`).
                (SMode::Geometry, _) if type_key => s.rec.precise = true,
                _ => {}
            }
            s.path.pop();
        }
        if let Some(zh_blank) = zh {
            // A localized text: what its members found does not count.
            s.rec.texts.truncate(mark);
            if zh_blank {
                let mut p = s.json_path();
                p.0.push(Seg::Key("zh-Hans".into()));
                s.rec.texts.push(TextFinding::EmptyZh(p));
            }
            if en_missing {
                let p = s.json_path();
                s.rec.texts.push(TextFinding::NoEn(p));
            }
        }
        if mode == SMode::Geometry
            && let Some(node) = coords
        {
            let typed = match kind.flatten() {
                Some(k) => node.into_typed(k),
                None => Err(node),
            };
            match typed {
                Ok(t) => s.rec.typed = Some(t),
                Err(node) => {
                    let v = node.into_value();
                    // `check_texts` would walk into objects there: leave that to it.
                    if has_object(&v) {
                        s.rec.precise = true;
                    }
                    s.rec.coordinates = Some(v);
                }
            }
        }
        Ok(Seen::Nested)
    }
}

/// Coordinates as read: a list of positions of two fractional numbers as a vector of them
/// (what outlines are made of), other positions of two or three numbers kept apart, anything
/// else as a `Value`; every number as written, so the `Value` can be made again exactly.
enum Node {
    /// A number on its own (only while a list is read: a list of numbers becomes a position).
    Num(Number),
    Ring(Vec<Xy>),
    Pos(Number, Number, Option<Number>),
    List(Vec<Node>),
    Other(Value),
}

fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

impl Node {
    fn into_value(self) -> Value {
        match self {
            Node::Ring(v) => Value::Array(
                v.into_iter()
                    .map(|Xy { x, y }| Value::Array(vec![float(x), float(y)]))
                    .collect(),
            ),
            Node::Pos(x, y, z) => {
                let mut v = vec![Value::Number(x), Value::Number(y)];
                v.extend(z.map(Value::Number));
                Value::Array(v)
            }
            Node::List(v) => Value::Array(v.into_iter().map(Node::into_value).collect()),
            Node::Num(n) => Value::Number(n),
            Node::Other(v) => v,
        }
    }

    /// A plain position: two fractional numbers.
    fn plain(&self) -> Option<Xy> {
        match self {
            Node::Pos(x, y, None) if x.is_f64() && y.is_f64() => Some(Xy {
                x: x.as_f64()?,
                y: y.as_f64()?,
            }),
            _ => None,
        }
    }

    fn xy(&self) -> Option<Xy> {
        match self {
            Node::Pos(x, y, _) => Some(Xy {
                x: x.as_f64()?,
                y: y.as_f64()?,
            }),
            _ => None,
        }
    }

    /// The positions of a ring, if that is what this is (an empty list is one).
    fn ring(&self) -> Option<Vec<Xy>> {
        match self {
            Node::Ring(v) => Some(v.clone()),
            Node::List(v) => v.iter().map(Node::xy).collect(),
            _ => None,
        }
    }

    fn into_ring(self) -> Result<Vec<Xy>, Node> {
        match self {
            Node::Ring(mut v) => {
                // It grew as it was read: it becomes the outline's ring as it is.
                v.shrink_to_fit();
                Ok(v)
            }
            other => other.ring().ok_or(other),
        }
    }

    /// The rings of a polygon, if that is what this is; otherwise the node itself.
    fn into_rings(self) -> Result<Vec<Vec<Xy>>, Node> {
        let Node::List(v) = self else {
            return Err(self);
        };
        if !v
            .iter()
            .all(|r| matches!(r, Node::Ring(_)) || r.ring().is_some())
        {
            return Err(Node::List(v));
        }
        Ok(v.into_iter().filter_map(|r| r.into_ring().ok()).collect())
    }

    /// The coordinates as positions of a geometry of this kind, if that is what they are;
    /// otherwise the node itself.
    fn into_typed(self, kind: GeometryType) -> Result<Typed, Node> {
        match kind {
            GeometryType::Polygon => self.into_rings().map(Typed::Rings),
            GeometryType::MultiPolygon => {
                let Node::List(v) = self else {
                    return Err(self);
                };
                let fits = |p: &Node| match p {
                    Node::List(rings) => rings
                        .iter()
                        .all(|r| matches!(r, Node::Ring(_)) || r.ring().is_some()),
                    _ => false,
                };
                if !v.iter().all(fits) {
                    return Err(Node::List(v));
                }
                Ok(Typed::Polygons(
                    v.into_iter().filter_map(|p| p.into_rings().ok()).collect(),
                ))
            }
            GeometryType::Point => Err(self),
        }
    }
}

struct NodeSeed<'c, 't> {
    ctx: &'c mut Ctx<'t>,
}

impl<'t> DeserializeSeed<'t> for NodeSeed<'_, 't> {
    type Value = Node;
    fn deserialize<D: Deserializer<'t>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! plain_visits {
    ($out:ty, $wrap:expr) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<$out, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<$out, E> {
            Ok($wrap(Value::String(v.to_string())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<$out, E> {
            Ok($wrap(Value::String(v)))
        }
        fn visit_none<E: de::Error>(self) -> Result<$out, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_unit<E: de::Error>(self) -> Result<$out, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_map<A: MapAccess<'t>>(self, map: A) -> Result<$out, A::Error> {
            let v = ValueSeed {
                ctx: self.ctx,
                mode: Mode::Plain,
            }
            .visit_map(map)?;
            Ok($wrap(v))
        }
    };
}

impl<'t> Visitor<'t> for NodeSeed<'_, 't> {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Num(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(match Number::from_f64(v) {
            Some(n) => Node::Num(n),
            None => Node::Other(Value::Null),
        })
    }
    fn visit_some<D: Deserializer<'t>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
    /// A list: kept as a position while it is two or three numbers, or as a ring while it
    /// is plain positions, without a node for each.
    fn visit_seq<A: SeqAccess<'t>>(self, mut seq: A) -> Result<Node, A::Error> {
        let ctx = self.ctx;
        ctx.deepest = ctx.deepest.max(ctx.path.len() + 1);
        let mut first: [Option<Number>; 3] = [None, None, None];
        let mut ring: Option<Vec<Xy>> = None;
        let mut list: Option<Vec<Node>> = None;
        let mut n = 0usize;
        loop {
            ctx.path.push(Step::Index(n));
            let e = seq.next_element_seed(NodeSeed { ctx: &mut *ctx });
            ctx.path.pop();
            let Some(e) = e? else { break };
            if let Some(v) = &mut list {
                v.push(e);
            } else if let Some(r) = &mut ring {
                match e {
                    p if p.plain().is_some() => r.extend(p.plain()),
                    e => {
                        let mut v: Vec<Node> = r
                            .drain(..)
                            .map(|Xy { x, y }| {
                                Node::Pos(
                                    Number::from_f64(x).unwrap_or_else(|| 0.into()),
                                    Number::from_f64(y).unwrap_or_else(|| 0.into()),
                                    None,
                                )
                            })
                            .collect();
                        v.push(e);
                        list = Some(v);
                        ring = None;
                    }
                }
            } else {
                match e {
                    Node::Num(x) if n < 3 => first[n] = Some(x),
                    p if n == 0 && p.plain().is_some() => {
                        let mut r = Vec::new();
                        r.extend(p.plain());
                        ring = Some(r);
                    }
                    e => {
                        let mut v: Vec<Node> = first
                            .iter_mut()
                            .take(n)
                            .filter_map(Option::take)
                            .map(Node::Num)
                            .collect();
                        v.push(e);
                        list = Some(v);
                    }
                }
            }
            n += 1;
        }
        Ok(match (list, ring) {
            (Some(v), _) => Node::List(v),
            (None, Some(r)) => Node::Ring(r),
            (None, None) => match first {
                [Some(x), Some(y), z] => Node::Pos(x, y, z),
                [x, y, z] => Node::List([x, y, z].into_iter().flatten().map(Node::Num).collect()),
            },
        })
    }
    plain_visits!(Node, Node::Other);
}
