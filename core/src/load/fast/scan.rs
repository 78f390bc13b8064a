//! One record's text, read once more on its own: members named twice, the check of its
//! localized texts, its id, and a feature's outline coordinates read as positions.

use std::borrow::Cow;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::coords::{Node, NodeSeed};
use super::{Ctx, RawRecord, Step, json_path};
use crate::load::texts;
use crate::locate::JsonPath;
use crate::model::GeometryType;

/// Reads record `index` of the list `key` from its text: see [`RawRecord`]. Members named twice
/// are added to `duplicates`. Also gives the most containers open at once, counted from the
/// file's top.
pub(super) fn scan<'t>(
    text: &'t str,
    key: &str,
    index: usize,
    feature: bool,
    duplicates: &mut Vec<JsonPath>,
) -> Result<(RawRecord<'t>, usize), serde_json::Error> {
    let mut s = Scan {
        path: vec![Step::Key(Cow::Owned(key.to_string())), Step::Index(index)],
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

pub(super) struct Scan<'s, 't> {
    /// Where the parser is, from the file's top.
    path: Vec<Step<'t>>,
    /// The most containers open at once.
    deepest: usize,
    duplicates: &'s mut Vec<JsonPath>,
    rec: RawRecord<'t>,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum SMode {
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

pub(super) struct ScanSeed<'a, 's, 't> {
    s: &'a mut Scan<'s, 't>,
    mode: SMode,
    /// Whether a text's value is wanted (an id, a geometry's type).
    keep: bool,
}

/// What a value was, as far as the checks need.
pub(super) enum Seen<'t> {
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
pub(super) struct KeySeed;

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
pub(super) struct Names<'t> {
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

pub(super) fn has_object(v: &Value) -> bool {
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
        let blank = texts::blank(v);
        Ok(Seen::Text(blank, self.keep.then_some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Seen<'t>, E> {
        let blank = texts::blank(v);
        Ok(Seen::Text(
            blank,
            self.keep.then(|| Cow::Owned(v.to_string())),
        ))
    }
    fn visit_string<E>(self, v: String) -> Result<Seen<'t>, E> {
        let blank = texts::blank(&v);
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
            s.path.push(Step::Index(i));
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

    /// An object: members named twice, and the check of `texts` as `texts::of_value` walks a `Value`:
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
            s.path.push(Step::Key(k));
            if !fresh {
                s.rec.precise = true;
                let here = json_path(&s.path);
                s.duplicates.push(here);
            }
            let k: &str = match s.path.last() {
                Some(Step::Key(k)) => k,
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
                    path: s.path.clone(),
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
            texts::localized(&json_path(&s.path), zh_blank, en_missing, &mut s.rec.texts);
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
                    // `texts::of_value` would walk into objects there: leave that to it.
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
