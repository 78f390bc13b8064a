//! The check of the localized texts inside a record: a `zh-Hans` text must not be empty (an
//! error) and an English one is expected (a warning). An object with a `zh-Hans` member is a
//! localized text (checked, not walked into); any other object or list is walked into.
//!
//! The rule is [`localized`], applied by the fast path while it reads a record's text
//! (`fast::scan`) and by [`of_value`] to a record's `Value` (the precise way); either way the
//! findings are reported, and worded, by [`report`].

use serde_json::Value;

use super::report::{Reporter, at};
use crate::locate::{JsonPath, Seg};

/// A problem of a record's texts.
pub(crate) enum Finding {
    /// The `zh-Hans` text at this path is empty (an error).
    EmptyZh(JsonPath),
    /// The localized text at this path has no English (a warning).
    NoEn(JsonPath),
}

/// Whether a text counts as empty.
pub(crate) fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The findings of the localized text at `path`: `zh_blank`, its `zh-Hans` is a blank text;
/// `en_missing`, it has no `en`, or a blank one.
pub(crate) fn localized(path: &JsonPath, zh_blank: bool, en_missing: bool, out: &mut Vec<Finding>) {
    if zh_blank {
        out.push(Finding::EmptyZh(path.key("zh-Hans")));
    }
    if en_missing {
        out.push(Finding::NoEn(path.clone()));
    }
}

/// The findings of the texts in a record's value, depth first in the order written.
pub(crate) fn of_value(base: &JsonPath, value: &Value) -> Vec<Finding> {
    fn walk(path: &mut JsonPath, v: &Value, out: &mut Vec<Finding>) {
        let nested = |c: &Value| c.is_object() || c.is_array();
        match v {
            Value::Object(m) => {
                if let Some(zh) = m.get("zh-Hans") {
                    let zh_blank = zh.as_str().is_some_and(blank);
                    let en_missing = m.get("en").is_none_or(|e| e.as_str().is_some_and(blank));
                    localized(path, zh_blank, en_missing, out);
                    return;
                }
                for (k, child) in m.iter().filter(|(_, c)| nested(c)) {
                    path.0.push(Seg::Key(k.as_str().into()));
                    walk(path, child, out);
                    path.0.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate().filter(|(_, c)| nested(c)) {
                    path.0.push(Seg::Index(i));
                    walk(path, child, out);
                    path.0.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&mut base.clone(), value, &mut out);
    out
}

/// Reports the findings; false when one is an error.
pub(crate) fn report(rep: &mut Reporter, file: &str, findings: &[Finding]) -> bool {
    let mut ok = true;
    for f in findings {
        match f {
            Finding::EmptyZh(zp) => {
                rep.error(
                    file,
                    zp,
                    format!("the Simplified Chinese text is empty{}", at(zp)),
                );
                ok = false;
            }
            Finding::NoEn(path) => rep.warning(
                file,
                path,
                format!(
                    "no English text (`en`){}: visitors reading English will see Chinese",
                    at(path)
                ),
            ),
        }
    }
    ok
}
