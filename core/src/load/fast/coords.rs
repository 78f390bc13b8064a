//! A geometry's coordinates as read from the text: lists of plain positions become vectors of
//! positions (what outlines are made of), without a `Value` for each.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::{Ctx, Mode, Step, Typed, ValueSeed, Xy};
use crate::model::GeometryType;
/// Coordinates as read: a list of positions of two fractional numbers as a vector of them
/// (what outlines are made of), other positions of two or three numbers kept apart, anything
/// else as a `Value`; every number as written, so the `Value` can be made again exactly.
pub(super) enum Node {
    /// A number on its own (only while a list is read: a list of numbers becomes a position).
    Num(Number),
    Ring(Vec<Xy>),
    Pos(Number, Number, Option<Number>),
    List(Vec<Node>),
    Other(Value),
}

pub(super) fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

impl Node {
    pub(super) fn into_value(self) -> Value {
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
    pub(super) fn into_typed(self, kind: GeometryType) -> Result<Typed, Node> {
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

pub(super) struct NodeSeed<'c, 't> {
    pub(super) ctx: &'c mut Ctx<'t>,
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
