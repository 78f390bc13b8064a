//! The problems found while loading, each located in its file's text when it is reported.

use std::borrow::Cow;
use std::collections::HashMap;

use super::words::syntax_message;
use super::{FILES, Loaded, MAX_FILE_BYTES, Skipped};
use crate::locate::{JsonPath, Target, TextIndex};
use crate::model::Exhibit;
use crate::problem::{Problem, Severity};

/// Collects problems, locating each in its file's text when it is reported.
#[derive(Default)]
pub(crate) struct Reporter<'a> {
    /// Each file's text, borrowed from the caller's bytes (only the readable prefix of a file
    /// that is not UTF-8 is a copy).
    texts: HashMap<&'static str, Cow<'a, str>>,
    /// Each text's index, built when its first problem is located.
    indexes: HashMap<&'static str, TextIndex>,
    problems: Vec<Problem>,
    errors: usize,
    pub(crate) unusable: Vec<String>,
    skipped: Vec<Skipped>,
}

/// " at `path`", or nothing for the whole file.
pub(crate) fn at(path: &JsonPath) -> String {
    if path.is_root() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

impl<'a> Reporter<'a> {
    /// Records a problem located at `path` (its value, or its member name with `Target::Key`).
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        file: &str,
        path: &JsonPath,
        target: Target,
        message: String,
    ) {
        let (line, col) = self.locate(file, path, target);
        self.errors += usize::from(severity == Severity::Error);
        self.problems.push(Problem {
            file: file.to_string(),
            line,
            col,
            path: path.to_string(),
            severity,
            message,
        });
    }

    pub(crate) fn error(&mut self, file: &str, path: &JsonPath, message: String) {
        self.push(Severity::Error, file, path, Target::Value, message);
    }

    pub(crate) fn warning(&mut self, file: &str, path: &JsonPath, message: String) {
        self.push(Severity::Warning, file, path, Target::Value, message);
    }

    pub(crate) fn at_offset(
        &mut self,
        severity: Severity,
        file: &str,
        offset: usize,
        message: String,
    ) {
        let (line, col) = match self.texts.get_key_value(file) {
            Some((name, text)) => self
                .indexes
                .entry(name)
                .or_insert_with(|| TextIndex::new(text))
                .line_col(text, offset),
            None => (1, 1),
        };
        self.errors += usize::from(severity == Severity::Error);
        self.problems.push(Problem {
            file: file.to_string(),
            line,
            col,
            path: String::new(),
            severity,
            message,
        });
    }

    pub(crate) fn skip(&mut self, file: &str, path: &JsonPath, id: Option<&str>) {
        self.skipped.push(Skipped {
            file: file.to_string(),
            path: path.to_string(),
            id: id.map(str::to_string),
        });
    }

    pub(crate) fn unusable(&self) -> &[String] {
        &self.unusable
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    /// The line and column of `path` in `file`'s text (1:1 when there is no text).
    pub(crate) fn locate(&mut self, file: &str, path: &JsonPath, target: Target) -> (u32, u32) {
        match self.texts.get_key_value(file) {
            Some((name, text)) => self
                .indexes
                .entry(name)
                .or_insert_with(|| TextIndex::new(text))
                .locate(text, path, target),
            None => (1, 1),
        }
    }

    pub(crate) fn finish(mut self, exhibit: Exhibit) -> Loaded {
        let order = |f: &str| FILES.iter().position(|x| *x == f).unwrap_or(FILES.len());
        self.problems
            .sort_by_key(|a| (order(&a.file), a.line, a.col));
        Loaded {
            exhibit,
            problems: self.problems,
            unusable: self.unusable,
            skipped: self.skipped,
        }
    }

    /// Bytes → text, with a located problem when they cannot be read as text.
    pub(crate) fn read(&mut self, file: &'static str, bytes: Option<&'a [u8]>) -> Option<&'a str> {
        let root = JsonPath::root();
        let Some(mut bytes) = bytes else {
            self.error(
                file,
                &root,
                "the file is missing: the exhibit needs it".to_string(),
            );
            return None;
        };
        if bytes.len() > MAX_FILE_BYTES {
            self.error(
                file,
                &root,
                format!(
                    "the file is too large ({} bytes; the limit is {} MiB): simplify its geometry",
                    bytes.len(),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            );
            return None;
        }
        let mut bom = false;
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            bytes = rest;
            bom = true;
        }
        let text: &'a str = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let good = e.valid_up_to();
                let prefix = String::from_utf8_lossy(&bytes[..good]);
                self.texts.insert(file, Cow::Owned(prefix.into_owned()));
                let offset = good + usize::from(bom) * 3;
                self.at_offset(
                    Severity::Error,
                    file,
                    good,
                    format!(
                        "the file is not valid UTF-8 at byte {offset}: save it as UTF-8 \
                         (it may have been saved as GBK or another legacy encoding)"
                    ),
                );
                return None;
            }
        };
        self.texts.insert(file, Cow::Borrowed(text));
        if bom {
            self.warning(
                file,
                &root,
                "the file starts with a byte-order mark (BOM); it was ignored, but save the file \
                 as UTF-8 without BOM"
                    .to_string(),
            );
        }
        Some(text)
    }

    /// Members named twice in the file.
    pub(crate) fn duplicates(&mut self, file: &str, paths: Vec<JsonPath>) {
        for path in paths {
            let name = path.last_key().unwrap_or_default().to_string();
            let obj = JsonPath(path.0[..path.0.len().saturating_sub(1)].to_vec());
            let message = format!(
                "the field `{name}` appears twice{}; only the last one is used: \
                         remove the other",
                if obj.is_root() {
                    String::new()
                } else {
                    format!(" in `{obj}`")
                }
            );
            self.push(Severity::Warning, file, &path, Target::Key, message);
        }
    }

    /// The text is not JSON: a problem located at the parser's error.
    pub(crate) fn syntax_error(&mut self, file: &str, text: &str, e: &serde_json::Error) {
        let offset = syntax_offset(text, e.line(), e.column());
        let message = syntax_message(e, text.get(offset..).unwrap_or_default());
        self.at_offset(Severity::Error, file, offset, message);
    }
}

/// serde_json reports a 1-based line and a column counted in bytes; turn that into a byte
/// offset in the text.
pub(crate) fn syntax_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}
