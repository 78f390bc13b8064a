//! serde's and serde_json's error messages worded for curators: what went wrong, where, and
//! what to write instead. These read serde's own wording (`unknown field \``, `struct
//! Localized`, …); the tests below pin every wording they depend on, so an upgrade of serde
//! that changes one fails here, not silently in a curator's message.

use serde_json::Value;

use super::report::at;
use crate::locate::{JsonPath, Target};

pub(crate) fn syntax_message(e: &serde_json::Error, rest: &str) -> String {
    let full = e.to_string();
    let raw = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let said = if raw.starts_with("EOF while parsing") {
        "the file ends too early: a closing `}`, `]` or `\"` is missing".to_string()
    } else if raw == "trailing comma" {
        "a comma before a closing bracket: remove the last comma of the list or object".to_string()
    } else if raw == "expected `,` or `}`" {
        "expected a comma or `}` here: is a comma missing between two members?".to_string()
    } else if raw == "expected `,` or `]`" {
        "expected a comma or `]` here: is a comma missing between two elements?".to_string()
    } else if raw == "key must be a string" {
        "a member name must be written in double quotes, like \"name\"".to_string()
    } else if raw == "expected `:`" {
        "expected `:` between a member's name and its value".to_string()
    } else if raw == "expected value"
        && ["NaN", "Infinity", "-Infinity", "nan", "inf"]
            .iter()
            .any(|t| rest.starts_with(t))
    {
        "`NaN` and `Infinity` are not numbers JSON allows: write the figure, or leave the field \
         out"
        .to_string()
    } else if raw == "number out of range" {
        "this number is too large to be a figure: write an ordinary number like 121.46".to_string()
    } else if raw == "expected value" {
        "expected a value here (a text in double quotes, a number, an object, a list, true, \
         false or null)"
            .to_string()
    } else if raw.starts_with("control character") {
        "a line break or control character inside a text: write a line break as \\n".to_string()
    } else if raw == "recursion limit exceeded" {
        "the data nests more than 128 levels deep".to_string()
    } else if raw == "trailing characters" {
        "there is more after the end of the JSON value: the file must hold exactly one object"
            .to_string()
    } else if raw.starts_with("invalid escape") {
        "invalid escape in a text: a backslash must be written as \\\\".to_string()
    } else {
        raw.to_string()
    };
    format!("this is not valid JSON: {said}")
}

/// The backticked names in a serde message ("expected one of `a`, `b`").
pub(crate) fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// In "nmae`, expected one of `id`, `name`" (serde's message after "unknown field `"): the
/// name, and the names expected.
fn name_and_expected(rest: &str) -> (String, Vec<String>) {
    let name = rest.split('`').next().unwrap_or_default().to_string();
    let expected = match rest.find("expected") {
        Some(i) => backticked(&rest[i..]),
        None => Vec::new(),
    };
    (name, expected)
}

/// The known name closest to a misspelt one, if it is close enough to be the intended one.
pub(crate) fn closest<'a>(wrong: &str, known: &'a [String]) -> Option<&'a str> {
    let wrong_l = wrong.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&wrong_l, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.chars().count().max(wrong.chars().count()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

pub(crate) fn list_names(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words a serde error for a curator: (what to point at, the path, the message).
pub(crate) fn word_serde_error(msg: &str, path: JsonPath) -> (Target, JsonPath, String) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (name, expected) = name_and_expected(rest);
        // The tracked path ends at the object; point at the member's name.
        let obj = if path.last_key() == Some(name.as_str()) {
            JsonPath(path.0[..path.0.len() - 1].to_vec())
        } else {
            path
        };
        let hint = match closest(&name, &expected) {
            Some(best) => format!(" — did you mean `{best}`?"),
            None if expected.is_empty() => " — this object takes no fields".to_string(),
            None => format!(" — the fields here are {}", list_names(&expected)),
        };
        let msg = format!("unknown field `{name}`{}{hint}", at(&obj));
        return (Target::Key, obj.key(name), msg);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let here = at(&path);
        let what = match name {
            "zh-Hans" => format!("the Simplified Chinese text (`zh-Hans`) is missing{here}"),
            "alt" => format!(
                "the image{here} has no alt text (`alt`): describe what it shows, for visitors \
                 who cannot see it"
            ),
            "sources" => format!("`sources` is missing{here}: name the article(s) this comes from"),
            _ => format!("`{name}` is missing{here}"),
        };
        return (Target::Value, path, what);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (name, expected) = name_and_expected(rest);
        let hint = match closest(&name, &expected) {
            Some(best) if expected.len() > 1 => format!(" (did you mean `{best}`?)"),
            _ => String::new(),
        };
        let choices = match expected.len() {
            1 => format!("write `{}`", expected[0]),
            _ => format!("write one of {}", list_names(&expected)),
        };
        return (
            Target::Value,
            path.clone(),
            format!("`{name}` is not allowed{} — {choices}{hint}", at(&path)),
        );
    }
    type Found = fn(&str) -> String;
    let found_words: [(&str, Found); 3] = [
        ("invalid type: ", word_found),
        ("invalid value: ", word_found),
        ("invalid length ", |n| format!("a list of {n}")),
    ];
    for (prefix, found_words) in found_words {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            return (
                Target::Value,
                path.clone(),
                format!(
                    "expected {}{}, found {}",
                    word_expected(expected),
                    at(&path),
                    found_words(found)
                ),
            );
        }
    }
    // Other messages (e.g. a date's): the path goes before the explanation.
    let here = at(&path);
    let message = match msg.split_once(": ") {
        Some((head, tail)) => format!("{head}{here}: {tail}"),
        None => format!("{msg}{here}"),
    };
    (Target::Value, path, message)
}

pub(crate) fn word_expected(e: &str) -> String {
    match e {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a string" => "a text in double quotes".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "a sequence" => "a list `[…]`".to_string(),
        "struct Localized" => {
            "a text in each language, like {\"zh-Hans\": \"…\", \"en\": \"…\"}".to_string()
        }
        // An enum read from a `Value` (a focus, a step of the attract tour): what serde says
        // whatever its name.
        "string or map" => {
            "an object naming what it shows, like {\"area\": \"…\"} or {\"place\": \"…\"}"
                .to_string()
        }
        "a map" => "an object `{…}`".to_string(),
        e if e.starts_with("struct ") => "an object `{…}`".to_string(),
        e if e.starts_with("an array of length ") => {
            format!("a list of {} items", &e["an array of length ".len()..])
        }
        e => e.to_string(),
    }
}

pub(crate) fn word_found(f: &str) -> String {
    if let Some(s) = f.strip_prefix("string ") {
        return format!("the text {s}");
    }
    for p in ["integer ", "floating point "] {
        if let Some(n) = f.strip_prefix(p) {
            return format!("the number {}", n.trim_matches('`'));
        }
    }
    if let Some(b) = f.strip_prefix("boolean ") {
        return b.trim_matches('`').to_string();
    }
    match f {
        "map" => "an object".to_string(),
        "sequence" => "a list".to_string(),
        "null" | "unit value" => "null".to_string(),
        other => other.to_string(),
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::report::syntax_offset;

    #[test]
    fn closest_names_suggest_typos_only() {
        let known: Vec<String> = ["id", "name", "subdistrict", "households"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("nmae", &known), Some("name"));
        assert_eq!(closest("houshold", &known), Some("households"));
        assert_eq!(closest("colour", &known), None);
    }

    #[test]
    fn serde_errors_are_worded_for_curators() {
        let p = JsonPath::root().key("features").index(3).key("properties");
        let (t, path, m) = word_serde_error(
            "unknown field `nmae`, expected one of `id`, `name`, `kind`",
            p.clone(),
        );
        assert_eq!(t, Target::Key);
        assert_eq!(path.to_string(), "features[3].properties.nmae");
        assert_eq!(
            m,
            "unknown field `nmae` at `features[3].properties` — did you mean `name`?"
        );
        let (_, _, m) = word_serde_error(
            "invalid type: string \"1101\", expected u32",
            p.key("households"),
        );
        assert_eq!(
            m,
            "expected a whole number (0 or more) at `features[3].properties.households`, found the text \"1101\""
        );
        let (_, _, m) = word_serde_error(
            "unknown variant `lanee`, expected one of `building`, `site`, `lane`",
            p.key("kind"),
        );
        assert_eq!(
            m,
            "`lanee` is not allowed at `features[3].properties.kind` — write one of `building`, `site`, `lane` (did you mean `lane`?)"
        );
    }

    #[test]
    fn syntax_errors_point_at_the_character() {
        let text = "{\n  \"a\": 1,\n  \"b\": \"南昌\" \"c\": 2\n}";
        let e = serde_json::from_str::<Value>(text).unwrap_err();
        let off = syntax_offset(text, e.line(), e.column());
        assert_eq!(crate::locate::line_col(text, off), (3, 13));
        assert!(syntax_message(&e, "").contains("comma"));
    }

    /// serde's error for `T` read from `json` (from a `Value`, as the loader reads a record
    /// that fails).
    fn serde_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let v: Value = serde_json::from_str(json).unwrap();
        T::deserialize(&v).unwrap_err().to_string()
    }

    fn syntax_error(text: &str) -> String {
        serde_json::from_str::<Value>(text).unwrap_err().to_string()
    }

    /// Every wording of serde and serde_json that the functions above look for, produced by a
    /// real deserialisation: if an upgrade changes one, this fails, and the function that
    /// reads it must be taught the new wording (else curators get serde's raw message).
    #[test]
    fn the_serde_wordings_read_here_are_still_serdes() {
        use crate::model::{AttractStep, Focus, Localized, PlaceKind};
        use std::collections::BTreeMap;
        let cases: Vec<(String, &str)> = vec![
            // word_serde_error
            (
                serde_error::<Localized>(r#"{"zh-Hans":"a","fr":"b"}"#),
                "unknown field `fr`, expected ",
            ),
            (
                serde_error::<Localized>(r#"{"zh-Hans":"a","fr":"b"}"#),
                "`zh-Hans`",
            ),
            (
                serde_error::<Localized>(r#"{"en":"a"}"#),
                "missing field `zh-Hans`",
            ),
            (
                serde_error::<PlaceKind>(r#""lanee""#),
                "unknown variant `lanee`, expected one of `building`",
            ),
            (
                serde_error::<u32>(r#""1101""#),
                "invalid type: string \"1101\", expected u32",
            ),
            (
                serde_error::<u8>("300"),
                "invalid value: integer `300`, expected u8",
            ),
            (
                serde_error::<[f64; 2]>("[1.5]"),
                "invalid length 1, expected an array of length 2",
            ),
            // word_expected
            (serde_error::<i64>("true"), "expected i64"),
            (serde_error::<f64>("true"), "expected f64"),
            (serde_error::<String>("1"), "expected a string"),
            (serde_error::<bool>("1"), "expected a boolean"),
            (serde_error::<Vec<u8>>("1"), "expected a sequence"),
            (serde_error::<Localized>("1"), "expected struct Localized"),
            (serde_error::<Focus>("1"), "expected string or map"),
            (serde_error::<AttractStep>("1"), "expected string or map"),
            (serde_error::<BTreeMap<String, u8>>("1"), "expected a map"),
            // word_found
            (serde_error::<u32>(r#""x""#), "invalid type: string \"x\""),
            (serde_error::<String>("-1"), "invalid type: integer `-1`"),
            (
                serde_error::<String>("1.5"),
                "invalid type: floating point `1.5`",
            ),
            (
                serde_error::<String>("true"),
                "invalid type: boolean `true`",
            ),
            (serde_error::<String>("{}"), "invalid type: map,"),
            (serde_error::<String>("[]"), "invalid type: sequence,"),
            (serde_error::<String>("null"), "invalid type: null,"),
            // syntax_message
            (syntax_error("{\"a\": 1"), "EOF while parsing"),
            (syntax_error("{\"a\": 1"), " at line "),
            (syntax_error("[1,]"), "trailing comma"),
            (syntax_error("{\"a\": 1 \"b\": 2}"), "expected `,` or `}`"),
            (syntax_error("[1 2]"), "expected `,` or `]`"),
            (syntax_error("{a: 1}"), "key must be a string"),
            (syntax_error("{\"a\" 1}"), "expected `:`"),
            (syntax_error("[NaN]"), "expected value"),
            (syntax_error("[1e999]"), "number out of range"),
            (syntax_error("[\"a\nb\"]"), "control character"),
            (syntax_error(&"[".repeat(200)), "recursion limit exceeded"),
            (syntax_error("{} {}"), "trailing characters"),
            (syntax_error(r#"["\q"]"#), "invalid escape"),
        ];
        for (error, wording) in cases {
            assert!(
                error.contains(wording),
                "serde now says {error:?}, not {wording:?}"
            );
        }
    }
}
