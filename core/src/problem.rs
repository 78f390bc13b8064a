//! A problem found in the data files, located for a curator.
//!
//! ```
//! use lilong_core::problem::{Problem, Severity};
//! let p = Problem {
//!     file: "areas.geojson".into(),
//!     line: 12,
//!     col: 9,
//!     path: "features[3].properties.households".into(),
//!     severity: Severity::Error,
//!     message: "expected a whole number at `features[3].properties.households`".into(),
//! };
//! assert_eq!(
//!     p.to_string(),
//!     "areas.geojson:12:9: error: expected a whole number at `features[3].properties.households`"
//! );
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is: an error skips the record (or the file); a warning only informs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: where it is (file, 1-based line and column in characters, JSON path) and
/// what is wrong, in words for a curator.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// The file's path relative to `data/`, e.g. `areas.geojson`.
    pub file: String,
    /// 1-based line; 1 when the problem concerns the whole file (e.g. it is missing).
    pub line: u32,
    /// 1-based column, counted in characters (not bytes).
    pub col: u32,
    /// The JSON path of the value concerned, e.g. `features[3].properties.name.en`;
    /// empty for the whole file.
    pub path: String,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.col, self.severity, self.message
        )
    }
}

/// Counts of errors and warnings, e.g. for a summary line.
pub fn counts(problems: &[Problem]) -> (usize, usize) {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    (errors, problems.len() - errors)
}

/// A summary line: "2 errors, 1 warning in 9 files" / "no problems in 9 files".
pub fn summary(problems: &[Problem], files: usize) -> String {
    let (e, w) = counts(problems);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let files = plural(files, "file");
    match (e, w) {
        (0, 0) => format!("no problems in {files}"),
        _ => format!(
            "{}, {} in {files}",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(sev: Severity) -> Problem {
        Problem {
            file: "f".into(),
            line: 1,
            col: 1,
            path: String::new(),
            severity: sev,
            message: "m".into(),
        }
    }

    #[test]
    fn summary_counts_and_pluralises() {
        assert_eq!(summary(&[], 9), "no problems in 9 files");
        assert_eq!(
            summary(&[p(Severity::Error)], 1),
            "1 error, 0 warnings in 1 file"
        );
        let ps = [p(Severity::Error), p(Severity::Error), p(Severity::Warning)];
        assert_eq!(summary(&ps, 9), "2 errors, 1 warning in 9 files");
    }

    #[test]
    fn warnings_display_as_warnings() {
        assert_eq!(p(Severity::Warning).to_string(), "f:1:1: warning: m");
    }
}
