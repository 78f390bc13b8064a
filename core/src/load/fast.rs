//! The loader's fast path: one pass of serde_json's parser over a file, which builds each
//! record's `serde_json::Value` exactly as `Value` itself would (numbers, strings, member
//! order, the last of two members of one name kept), except for outlines' coordinates, which
//! are read into vectors of positions, and which notes on the way every member named twice.
//!
//! What it gives is what reading the file as one `Value` and scanning its text for members
//! named twice gives, so every check after it is the same code with the same messages. It
//! only saves the `Value` of every coordinate (the bulk of the geometry files) and a second
//! pass over the text. When the parser stops at a syntax error, the caller reads the file
//! precisely instead and words that error as always.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::locate::{JsonPath, Seg};

impl Ctx {
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
use crate::model::GeometryType;

/// A position read straight from the text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Xy(pub f64, pub f64);

/// An outline's coordinates read straight from the text.
pub(crate) enum Typed {
    /// A Polygon's rings.
    Rings(Vec<Vec<Xy>>),
    /// A MultiPolygon's polygons.
    Polygons(Vec<Vec<Vec<Xy>>>),
}

/// A file read in one pass.
pub(crate) struct Split {
    /// The file's value; when the records list was a list, it stands empty here.
    pub top: Value,
    /// The records, each with its outline's coordinates when they were read as positions
    /// (its `Value` then has an empty list in their place). `None` when the file has no
    /// records list, or it is not a list.
    pub items: Option<Vec<(Value, Option<Typed>)>>,
    /// The path of every member named a second (or later) time in its object, in text order.
    pub duplicates: Vec<JsonPath>,
}

/// Reads `text` in one pass. `list`: the member holding the records, and whether they are
/// GeoJSON features. The error is the parser's, the same as reading the text as one `Value`
/// gives (same parser, same rules: nesting, numbers, escapes, nothing after the value).
pub(crate) fn split(text: &str, list: Option<(&str, bool)>) -> Result<Split, serde_json::Error> {
    let mut ctx = Ctx::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let top = ValueSeed {
        ctx: &mut ctx,
        mode: Mode::Top(list),
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(Split {
        top,
        items: ctx.items,
        duplicates: ctx.duplicates,
    })
}

/// One step of where the parser is (a member name is moved into its object afterwards).
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Default)]
struct Ctx {
    /// Where the parser is.
    path: Vec<Step>,
    duplicates: Vec<JsonPath>,
    items: Option<Vec<(Value, Option<Typed>)>>,
    /// The coordinates of the feature being read.
    typed: Option<Typed>,
}

#[derive(Clone, Copy)]
enum Mode<'k> {
    /// Any value, as `Value` reads it.
    Plain,
    /// The file's value: its member named so holds the records (features or not).
    Top(Option<(&'k str, bool)>),
    /// The records list.
    Items(bool),
    /// A feature: its `geometry` may be an outline.
    Feature,
    /// A feature's geometry: its `coordinates` are read as positions.
    Geometry,
}

struct ValueSeed<'c, 'k> {
    ctx: &'c mut Ctx,
    mode: Mode<'k>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
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
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let ctx = self.ctx;
        let (element, items) = match self.mode {
            Mode::Items(true) => (Mode::Feature, true),
            Mode::Items(false) => (Mode::Plain, true),
            _ => (Mode::Plain, false),
        };
        let mut out = Vec::new();
        let mut records = Vec::new();
        for i in 0.. {
            ctx.path.push(Step::Index(i));
            if items {
                ctx.typed = None;
            }
            let v = seq.next_element_seed(ValueSeed {
                ctx: &mut *ctx,
                mode: element,
            });
            ctx.path.pop();
            match v? {
                Some(v) if items => records.push((v, ctx.typed.take())),
                Some(v) => out.push(v),
                None => break,
            }
        }
        if items {
            ctx.items = Some(records);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let ctx = self.ctx;
        let mut out = Map::new();
        let mut coords: Option<Node> = None;
        if let Mode::Geometry = self.mode {
            ctx.typed = None;
        }
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
            let child = match self.mode {
                Mode::Top(Some((key, geo))) if k == key => Some(Mode::Items(geo)),
                Mode::Feature if k == "geometry" => Some(Mode::Geometry),
                Mode::Geometry if k == "coordinates" => None,
                _ => Some(Mode::Plain),
            };
            match child {
                // The last member of the name counts: forget what an earlier one held.
                Some(Mode::Items(_)) => ctx.items = None,
                Some(Mode::Geometry) => ctx.typed = None,
                _ => {}
            }
            let v = match child {
                Some(mode) => map.next_value_seed(ValueSeed {
                    ctx: &mut *ctx,
                    mode,
                })?,
                None => {
                    coords = Some(map.next_value_seed(NodeSeed { ctx: &mut *ctx })?);
                    Value::Array(Vec::new())
                }
            };
            let Some(Step::Key(k)) = ctx.path.pop() else {
                continue;
            };
            out.insert(k, v);
        }
        if let Mode::Geometry = self.mode
            && let Some(node) = coords
        {
            let kind = out
                .get("type")
                .and_then(|t| serde_json::from_value::<GeometryType>(t.clone()).ok());
            let typed = match kind {
                Some(k) => node.into_typed(k),
                None => Err(node),
            };
            match typed {
                Ok(t) => ctx.typed = Some(t),
                Err(node) => {
                    out.insert("coordinates".to_string(), node.into_value());
                }
            }
        }
        Ok(Value::Object(out))
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
                    .map(|Xy(x, y)| Value::Array(vec![float(x), float(y)]))
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
            Node::Pos(x, y, None) if x.is_f64() && y.is_f64() => Some(Xy(x.as_f64()?, y.as_f64()?)),
            _ => None,
        }
    }

    fn xy(&self) -> Option<Xy> {
        match self {
            Node::Pos(x, y, _) => Some(Xy(x.as_f64()?, y.as_f64()?)),
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
            Node::Ring(v) => Ok(v),
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

struct NodeSeed<'c> {
    ctx: &'c mut Ctx,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
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
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$out, A::Error> {
            let v = ValueSeed {
                ctx: self.ctx,
                mode: Mode::Plain,
            }
            .visit_map(map)?;
            Ok($wrap(v))
        }
    };
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
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
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
    /// A list: kept as a position while it is two or three numbers, or as a ring while it
    /// is plain positions, without a node for each.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let ctx = self.ctx;
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
                            .map(|Xy(x, y)| {
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
