//! Dates with their true precision: a year, a month or a day, as a seed article gives them.
//!
//! ```
//! use lilong_core::date::PartialDate;
//! use lilong_core::model::Lang;
//!
//! let d: PartialDate = "2018-06".parse().unwrap();
//! assert_eq!(d.display(Lang::ZhHans, false), "2018年6月");
//! assert_eq!(d.display(Lang::En, false), "June 2018");
//! let y: PartialDate = "2022".parse().unwrap();
//! assert_eq!(y.display(Lang::En, true), "about 2022");
//! assert!("2019-02-30".parse::<PartialDate>().is_err());
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Lang;

/// A date known to a year, a month or a day.
///
/// Ordering compares the known parts; a less precise date sorts before a more precise one
/// that starts with it (`2018` < `2018-06` < `2018-06-01`), so "in order" means that a
/// milestone never goes back in time as far as the sources say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Why a date string was refused. Its `Display` is written for a curator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Format(String),
    /// A month outside 1–12.
    Month(String),
    /// A day that the month does not have (e.g. 2019-02-30).
    Day(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format(s) => write!(
                f,
                "`{s}` is not a date: write the year, year-month or year-month-day, \
                 like `2014`, `2018-06` or `2019-03-05`"
            ),
            DateError::Month(s) => write!(f, "`{s}` has no such month (months are 01 to 12)"),
            DateError::Day(s) => write!(f, "`{s}` is not a real day of the calendar"),
        }
    }
}

impl std::error::Error for DateError {}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in a month of a year (month 1–12).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// The date as written in the data files (`2018`, `2018-06`, `2018-06-05`).
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// The date for a visitor, with exactly the precision it has.
    pub fn display(&self, lang: Lang, approximate: bool) -> String {
        let plain = match lang {
            Lang::ZhHans | Lang::ZhHant => match (self.month, self.day) {
                (Some(m), Some(d)) => format!("{}年{}月{}日", self.year, m, d),
                (Some(m), None) => format!("{}年{}月", self.year, m),
                _ => format!("{}年", self.year),
            },
            Lang::En => {
                let month = |m: u8| {
                    MONTHS_EN
                        .get(usize::from(m).wrapping_sub(1))
                        .copied()
                        .unwrap_or("?")
                };
                match (self.month, self.day) {
                    (Some(m), Some(d)) => format!("{} {} {}", d, month(m), self.year),
                    (Some(m), None) => format!("{} {}", month(m), self.year),
                    _ => format!("{}", self.year),
                }
            }
        };
        if !approximate {
            return plain;
        }
        match lang {
            Lang::ZhHans => format!("约{plain}"),
            Lang::ZhHant => format!("約{plain}"),
            Lang::En => format!("about {plain}"),
        }
    }

    /// A span such as "2019–2020" or "2018年6月–2019年3月"; `end` may be `None`.
    pub fn display_range(
        &self,
        end: Option<&PartialDate>,
        lang: Lang,
        approximate: bool,
    ) -> String {
        let start = self.display(lang, approximate);
        match end {
            None => start,
            Some(e) if e == self => start,
            Some(e) => format!("{start}–{}", e.display(lang, false)),
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0)).cmp(&(
            other.year,
            other.month.unwrap_or(0),
            other.day.unwrap_or(0),
        ))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, DateError> {
        let bad = || DateError::Format(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let widths = [4usize, 2, 2];
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        for (p, w) in parts.iter().zip(widths) {
            if p.len() != w || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
        }
        let year: u16 = parts[0].parse().map_err(|_| bad())?;
        let month = match parts.get(1) {
            Some(m) => {
                let m: u8 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&m) {
                    return Err(DateError::Month(s.to_string()));
                }
                Some(m)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d: u8 = d.parse().map_err(|_| bad())?;
                if d == 0 || d > days_in_month(year, m) {
                    return Err(DateError::Day(s.to_string()));
                }
                Some(d)
            }
            _ => None,
        };
        Ok(PartialDate { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_gen: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A date with its true precision: `2014`, `2018-06` or `2019-03-05`.",
            "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(d("2014"), PartialDate::year(2014));
        assert_eq!(
            d("2018-06"),
            PartialDate {
                year: 2018,
                month: Some(6),
                day: None
            }
        );
        assert_eq!(
            d("2019-03-05"),
            PartialDate {
                year: 2019,
                month: Some(3),
                day: Some(5)
            }
        );
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        assert_eq!(
            "2019-02-30".parse::<PartialDate>(),
            Err(DateError::Day("2019-02-30".into()))
        );
        assert!("2019-02-29".parse::<PartialDate>().is_err());
        assert!("2020-02-29".parse::<PartialDate>().is_ok());
        assert!("1900-02-29".parse::<PartialDate>().is_err());
        assert!("2000-02-29".parse::<PartialDate>().is_ok());
        assert_eq!(
            "2019-13".parse::<PartialDate>(),
            Err(DateError::Month("2019-13".into()))
        );
        for bad in [
            "",
            "19",
            "2019-6",
            "2019/06",
            "2019-06-05-01",
            "June 2019",
            "２０１９",
            "2019-",
        ] {
            assert!(
                bad.parse::<PartialDate>().is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn orders_by_known_parts() {
        assert!(d("2014") < d("2018-06"));
        assert!(d("2018") < d("2018-06"));
        assert!(d("2018-06") < d("2018-06-01"));
        assert!(d("2018-12-31") < d("2019"));
    }

    #[test]
    fn displays_true_precision_per_language() {
        assert_eq!(d("2014").display(Lang::ZhHans, false), "2014年");
        assert_eq!(d("2014").display(Lang::En, false), "2014");
        assert_eq!(d("2019-03-05").display(Lang::ZhHans, false), "2019年3月5日");
        assert_eq!(d("2019-03-05").display(Lang::En, false), "5 March 2019");
        assert_eq!(d("2022").display(Lang::ZhHans, true), "约2022年");
        assert_eq!(d("2022").display(Lang::ZhHant, true), "約2022年");
        assert_eq!(
            d("2019").display_range(Some(&d("2020")), Lang::En, false),
            "2019–2020"
        );
        assert_eq!(
            d("2019").display_range(Some(&d("2020")), Lang::ZhHans, false),
            "2019年–2020年"
        );
    }

    #[test]
    fn round_trips_through_json() {
        let v: PartialDate = serde_json::from_str("\"2018-06\"").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"2018-06\"");
        let e = serde_json::from_str::<PartialDate>("\"2019-02-30\"").unwrap_err();
        assert!(e.to_string().contains("not a real day"), "{e}");
    }
}
