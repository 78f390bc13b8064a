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

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
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
    pub fn key(&self, k: impl Into<String>) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.into()));
        JsonPath(v)
    }

    /// This path followed by an array element.
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
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

/// Members named twice in the same object (JSON allows it; the last one silently wins): the
/// path of each later occurrence. Meant for text that is valid JSON; never panics on any text.
///
/// ```
/// use lilong_core::locate::duplicate_members;
/// let dups = duplicate_members(r#"{"a": [{"id": 1, "id": 2}], "b": {"id": 3}}"#);
/// assert_eq!(dups.len(), 1);
/// assert_eq!(dups[0].to_string(), "a[0].id");
/// ```
pub fn duplicate_members(text: &str) -> Vec<JsonPath> {
    enum Frame {
        Obj {
            path: JsonPath,
            keys: std::collections::HashSet<String>,
            key: Option<String>,
            want_key: bool,
        },
        Arr {
            path: JsonPath,
            idx: usize,
        },
    }
    fn value_path(stack: &[Frame]) -> JsonPath {
        match stack.last() {
            None => JsonPath::root(),
            Some(Frame::Obj { path, key, .. }) => path.key(key.clone().unwrap_or_default()),
            Some(Frame::Arr { path, idx }) => path.index(*idx),
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut sc = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    loop {
        sc.ws();
        let Some(c) = sc.peek() else { break };
        match c {
            b'{' => {
                let path = value_path(&stack);
                stack.push(Frame::Obj {
                    path,
                    keys: Default::default(),
                    key: None,
                    want_key: true,
                });
                sc.i += 1;
            }
            b'[' => {
                let path = value_path(&stack);
                stack.push(Frame::Arr { path, idx: 0 });
                sc.i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                sc.i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Arr { idx, .. }) => *idx += 1,
                    Some(Frame::Obj { want_key, .. }) => *want_key = true,
                    None => {}
                }
                sc.i += 1;
            }
            b':' => {
                if let Some(Frame::Obj { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
                sc.i += 1;
            }
            b'"' => {
                let at = sc.i;
                let s = sc.string();
                if let Some(Frame::Obj {
                    path,
                    keys,
                    key,
                    want_key: true,
                }) = stack.last_mut()
                {
                    let name = s.unwrap_or_default();
                    if !keys.insert(name.clone()) {
                        out.push(path.key(name.clone()));
                    }
                    *key = Some(name);
                }
                if sc.i == at {
                    sc.i += 1;
                }
            }
            _ => {
                let at = sc.i;
                sc.skip_value();
                if sc.i == at {
                    sc.i += 1;
                }
            }
        }
    }
    out
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

    #[test]
    fn finds_members_named_twice_at_any_depth() {
        let dups = duplicate_members(TEXT);
        assert!(dups.is_empty(), "{dups:?}");
        let text = r#"{"features": [{"properties": {"name": 1, "x": {"name": 2}, "name": 3}}], "features": []}"#;
        let dups: Vec<String> = duplicate_members(text)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(dups, ["features[0].properties.name", "features"]);
    }

    proptest! {
        #[test]
        fn duplicate_search_never_panics(text in "\\PC{0,200}") {
            let _ = duplicate_members(&text);
        }


        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,200}", keys in proptest::collection::vec("[a-z\"]{0,3}", 0..4)) {
            let mut p = JsonPath::root();
            for (i, k) in keys.iter().enumerate() {
                p = if i % 2 == 0 { p.key(k.clone()) } else { p.index(k.len()) };
            }
            let (l, c) = locate(&text, &p, Target::Key);
            prop_assert!(l >= 1 && c >= 1);
        }
    }
}
