//! JSON paths (`features[3].properties.name.en`) and where they are in a file's text.
//!
//! The loader works on parsed values; only when it must report a problem does it ask
//! [`locate`] for the line and column, by a small scanner over the original text. Nothing is
//! computed on the happy path.
//!
//! ```
//! use lilong_core::locate::{locate, JsonPath, Target};
//! let text = "{\n  \"features\": [\n    {\"id\": 1, \"name\": \"x\"}\n  ]\n}";
//! let path = JsonPath::root().key("features").index(0).key("name");
//! assert_eq!(path.to_string(), "features[0].name");
//! assert_eq!(locate(text, &path, Target::Value), (3, 23));
//! assert_eq!(locate(text, &path, Target::Key), (3, 15));
//! ```

use std::fmt;

/// One step of a JSON path. A member name is shared, so copying a path is cheap.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(std::rc::Rc<str>),
    Index(usize),
}

/// A path from a file's top-level value to one value inside it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path followed by an object member.
    pub fn key(&self, k: impl AsRef<str>) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend(self.0.iter().cloned());
        v.push(Seg::Key(k.as_ref().into()));
        JsonPath(v)
    }

    /// This path followed by an array element.
    pub fn index(&self, i: usize) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend(self.0.iter().cloned());
        v.push(Seg::Index(i));
        JsonPath(v)
    }

    /// This path followed by every step of `tail`.
    pub fn join(&self, tail: &JsonPath) -> Self {
        let mut v = self.0.clone();
        v.extend(tail.0.iter().cloned());
        JsonPath(v)
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last object member named on the path, if the path ends with one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }
}

fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$')
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if plain_key(k) {
                        f.write_str(k)?;
                    } else {
                        write!(f, "{k:?}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// What to point at: the value at the path, or (for a path ending in a member) the member's
/// name, which is what a curator must fix when the name itself is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Value,
    Key,
}

/// The 1-based line and column (in characters) of `path` in `text`.
///
/// When the path goes further than the text (a missing member, an index past the end), the
/// position of the deepest value that exists is given: for a missing field, the object that
/// lacks it. Never panics, whatever the text.
pub fn locate(text: &str, path: &JsonPath, target: Target) -> (u32, u32) {
    let offset = locate_offset(text, path, target);
    line_col(text, offset)
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (to_u32(line), to_u32(col))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Byte offset of the path's target (see [`locate`]).
pub fn locate_offset(text: &str, path: &JsonPath, target: Target) -> usize {
    let mut sc = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    sc.ws();
    let mut here = sc.i;
    let n = path.0.len();
    for (depth, seg) in path.0.iter().enumerate() {
        let last = depth + 1 == n;
        match seg {
            Seg::Key(k) => match sc.find_member(k) {
                Some((key_at, value_at)) => {
                    if last && target == Target::Key {
                        return key_at;
                    }
                    sc.i = value_at;
                    here = value_at;
                }
                None => return here,
            },
            Seg::Index(idx) => match sc.find_element(*idx) {
                Some(at) => {
                    sc.i = at;
                    here = at;
                }
                None => return here,
            },
        }
    }
    here
}

/// Where things are in one file's text, worked out once and reused for every problem of the
/// file, so that locating stays cheap however many problems there are: the start of each line,
/// the character count at every 256th byte, and the members or elements of each object or array
/// a path has gone through (each such container is scanned once).
///
/// It gives the same answers as [`locate`] and [`line_col`] for the same text.
#[derive(Clone, Debug, Default)]
pub struct TextIndex {
    /// Byte offset of each line's start (the first is 0).
    lines: Vec<usize>,
    /// Characters before byte `256 * k`, for each `k`.
    chars: Vec<usize>,
    /// The children of each container, by the offset of its opening bracket.
    kids: std::collections::HashMap<usize, Kids>,
}

#[derive(Clone, Debug)]
enum Kids {
    /// Offset of each element's value.
    Elements(Vec<usize>),
    /// The first member of each name: (offset of its name, offset of its value).
    Members(std::collections::HashMap<String, (usize, usize)>),
}

const CHAR_STEP: usize = 256;

impl TextIndex {
    /// Indexes the lines and characters of `text` (one pass); containers are indexed when a
    /// path first goes through them.
    pub fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut lines = vec![0];
        lines.extend(
            b.iter()
                .enumerate()
                .filter(|(_, c)| **c == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars = Vec::with_capacity(b.len() / CHAR_STEP + 1);
        let mut n = 0;
        for chunk in b.chunks(CHAR_STEP) {
            chars.push(n);
            n += chunk.iter().filter(|c| (**c & 0xC0) != 0x80).count();
        }
        chars.push(n);
        TextIndex {
            lines,
            chars,
            kids: Default::default(),
        }
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let k = offset / CHAR_STEP;
        let from = k * CHAR_STEP;
        self.chars.get(k).copied().unwrap_or(0)
            + text.as_bytes()[from..offset]
                .iter()
                .filter(|c| (**c & 0xC0) != 0x80)
                .count()
    }

    /// Like [`line_col`], in O(log n). `text` must be the text this index was built for.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line starting at or before `offset`.
        let line = self.lines.partition_point(|&s| s <= offset).max(1);
        let start = self.lines[line - 1];
        let col = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        (to_u32(line), to_u32(col))
    }

    /// Like [`locate`], reusing what earlier calls learnt about the text.
    pub fn locate(&mut self, text: &str, path: &JsonPath, target: Target) -> (u32, u32) {
        let offset = self.locate_offset(text, path, target);
        self.line_col(text, offset)
    }

    /// Like [`locate_offset`], reusing what earlier calls learnt about the text.
    pub fn locate_offset(&mut self, text: &str, path: &JsonPath, target: Target) -> usize {
        let mut sc = Scanner {
            b: text.as_bytes(),
            i: 0,
        };
        sc.ws();
        let mut here = sc.i;
        let n = path.0.len();
        for (depth, seg) in path.0.iter().enumerate() {
            let last = depth + 1 == n;
            sc.ws();
            let open = sc.i;
            let kids = self.kids.entry(open).or_insert_with(|| {
                let mut k = Scanner {
                    b: text.as_bytes(),
                    i: open,
                };
                k.children()
            });
            let found = match (seg, kids) {
                (Seg::Key(key), Kids::Members(m)) => match m.get(&key[..]) {
                    Some(&(key_at, _)) if last && target == Target::Key => return key_at,
                    Some(&(_, value_at)) => Some(value_at),
                    None => None,
                },
                (Seg::Index(idx), Kids::Elements(e)) => e.get(*idx).copied(),
                _ => None,
            };
            match found {
                Some(at) => {
                    sc.i = at;
                    here = at;
                }
                None => return here,
            }
        }
        here
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// At a `"`: reads the string, returns its decoded text, leaves `i` after it.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        let mut utf16: Vec<u16> = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            if c != b'\\' && !utf16.is_empty() {
                out.extend(String::from_utf16_lossy(&utf16).as_bytes());
                utf16.clear();
            }
            match c {
                b'"' => {
                    if !utf16.is_empty() {
                        out.extend(String::from_utf16_lossy(&utf16).as_bytes());
                    }
                    return Some(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    if e == b'u' {
                        let hex = self.b.get(self.i..self.i + 4)?;
                        self.i += 4;
                        let hex = std::str::from_utf8(hex).ok()?;
                        utf16.push(u16::from_str_radix(hex, 16).ok()?);
                        continue;
                    }
                    if !utf16.is_empty() {
                        out.extend(String::from_utf16_lossy(&utf16).as_bytes());
                        utf16.clear();
                    }
                    out.push(match e {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        b'b' => 8,
                        b'f' => 12,
                        other => other,
                    });
                }
                other => out.push(other),
            }
        }
    }

    /// Skips one value of any kind (without recursion), leaving `i` after it.
    fn skip_value(&mut self) {
        self.ws();
        match self.peek() {
            None => {}
            Some(b'"') => self.skip_string(),
            Some(b'{' | b'[') => {
                let mut depth: usize = 0;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            self.skip_string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.i += 1;
                                return;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            Some(_) => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
            }
        }
    }

    fn skip_string(&mut self) {
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    /// At an object or array: its members (the first of each name) or elements, as far as
    /// [`Scanner::find_member`] and [`Scanner::find_element`] would read them.
    fn children(&mut self) -> Kids {
        self.ws();
        match self.peek() {
            Some(b'[') => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    self.ws();
                    if matches!(self.peek(), None | Some(b']')) {
                        break;
                    }
                    out.push(self.i);
                    self.skip_value();
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        _ => break,
                    }
                }
                Kids::Elements(out)
            }
            Some(b'{') => {
                self.i += 1;
                let mut out = std::collections::HashMap::new();
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        break;
                    }
                    let key_at = self.i;
                    let Some(name) = self.string() else { break };
                    self.ws();
                    if self.peek() != Some(b':') {
                        break;
                    }
                    self.i += 1;
                    self.ws();
                    out.entry(name).or_insert((key_at, self.i));
                    self.skip_value();
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        _ => break,
                    }
                }
                Kids::Members(out)
            }
            _ => Kids::Elements(Vec::new()),
        }
    }

    /// At an object: finds member `key`; returns (offset of its name, offset of its value).
    fn find_member(&mut self, key: &str) -> Option<(usize, usize)> {
        self.ws();
        if self.peek() != Some(b'{') {
            return None;
        }
        self.i += 1;
        loop {
            self.ws();
            match self.peek() {
                Some(b'"') => {}
                _ => return None,
            }
            let key_at = self.i;
            let name = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return None;
            }
            self.i += 1;
            self.ws();
            if name == key {
                return Some((key_at, self.i));
            }
            self.skip_value();
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                _ => return None,
            }
        }
    }

    /// At an array: finds element `idx`; returns the offset of its value.
    fn find_element(&mut self, idx: usize) -> Option<usize> {
        self.ws();
        if self.peek() != Some(b'[') {
            return None;
        }
        self.i += 1;
        let mut n = 0;
        loop {
            self.ws();
            if matches!(self.peek(), None | Some(b']')) {
                return None;
            }
            if n == idx {
                return Some(self.i);
            }
            self.skip_value();
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                _ => return None,
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXT: &str = r#"{
  "type": "FeatureCollection",
  "features": [
    { "type": "Feature",
      "properties": { "id": "a", "name": { "zh-Hans": "甲乙", "en": "A" }, "tags": [1, [2, 3], {"x": "}"}] },
      "geometry": null },
    { "type": "Feature", "properties": { "id": "b\"c", "nmae": "x" } }
  ]
}"#;

    fn at(path: JsonPath, t: Target) -> (u32, u32) {
        locate(TEXT, &path, t)
    }

    #[test]
    fn finds_values_and_keys() {
        let f = JsonPath::root().key("features");
        assert_eq!(
            at(f.index(0).key("properties").key("id"), Target::Value),
            (5, 29)
        );
        assert_eq!(
            at(f.index(0).key("properties").key("id"), Target::Key),
            (5, 23)
        );
        // Columns count characters, not bytes: 甲乙 are one column each.
        assert_eq!(
            at(
                f.index(0).key("properties").key("name").key("en"),
                Target::Value
            ),
            (5, 67)
        );
        assert_eq!(
            at(f.index(1).key("properties").key("nmae"), Target::Key),
            (7, 56)
        );
        assert_eq!(at(f.index(0).key("geometry"), Target::Value), (6, 19));
    }

    #[test]
    fn skips_nested_values_and_tricky_strings() {
        let f = JsonPath::root().key("features");
        assert_eq!(
            at(
                f.index(0).key("properties").key("tags").index(2),
                Target::Value
            ),
            (5, 94)
        );
        assert_eq!(at(f.index(1).key("type"), Target::Value), (7, 15));
    }

    #[test]
    fn missing_members_point_at_the_deepest_existing_value() {
        let f = JsonPath::root().key("features");
        // A missing field: the object that lacks it.
        assert_eq!(
            at(f.index(1).key("properties").key("name"), Target::Value),
            (7, 40)
        );
        // Past the end of an array: the array.
        assert_eq!(at(f.index(7), Target::Value), (3, 15));
        assert_eq!(at(JsonPath::root(), Target::Value), (1, 1));
    }

    #[test]
    fn displays_paths_for_curators() {
        let p = JsonPath::root().key("strings").key("app.loading");
        assert_eq!(p.to_string(), "strings.\"app.loading\"");
        let p = JsonPath::root()
            .key("features")
            .index(3)
            .key("properties")
            .key("name")
            .key("zh-Hans");
        assert_eq!(p.to_string(), "features[3].properties.name.zh-Hans");
        assert_eq!(JsonPath::root().index(2).to_string(), "[2]");
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,200}", keys in proptest::collection::vec("[a-z\"]{0,3}", 0..4)) {
            let mut p = JsonPath::root();
            for (i, k) in keys.iter().enumerate() {
                p = if i % 2 == 0 { p.key(k.clone()) } else { p.index(k.len()) };
            }
            let (l, c) = locate(&text, &p, Target::Key);
            prop_assert!(l >= 1 && c >= 1);
        }

        /// The index answers exactly as the scan from the start does, call after call.
        #[test]
        fn the_index_agrees_with_the_scan(
            paths in proptest::collection::vec(
                proptest::collection::vec((0usize..4, "[a-z]{1,2}"), 0..5), 1..6),
            pick in 0usize..3,
        ) {
            let texts = [
                TEXT.to_string(),
                "{\"a\": [[1, 2], {\"b\": [3, {\"a\": \"é\\\"x\"}]}], \"b\": 1, \"a\": 2}".to_string(),
                "[\n {\"ab\":\n  [1,\n 2,,]}, [\"\u{4e2d}\", {\"c\"".to_string(),
            ];
            let text = &texts[pick];
            let mut index = TextIndex::new(text);
            for steps in &paths {
                let mut p = JsonPath::root();
                for (i, k) in steps {
                    p = if *i == 0 { p.key(k.clone()) } else { p.index(*i - 1) };
                }
                for t in [Target::Value, Target::Key] {
                    prop_assert_eq!(index.locate(text, &p, t), locate(text, &p, t), "{}", p);
                }
            }
            for off in 0..=text.len() + 1 {
                prop_assert_eq!(index.line_col(text, off), line_col(text, off));
            }
        }
    }

    #[test]
    fn the_index_finds_values_and_keys() {
        let mut index = TextIndex::new(TEXT);
        let p = JsonPath::root()
            .key("features")
            .index(1)
            .key("properties")
            .key("nmae");
        assert_eq!(
            index.locate(TEXT, &p, Target::Key),
            locate(TEXT, &p, Target::Key)
        );
        assert_eq!(index.locate(TEXT, &p, Target::Value), (7, 64));
        assert_eq!(locate(TEXT, &p, Target::Value), (7, 64));
    }
}
