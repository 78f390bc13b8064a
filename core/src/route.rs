//! The current view of the exhibit, as held in the page's URL.
//!
//! Every view — the free map with a selected area or place, a story chapter, the timeline
//! with its filters, the data-health view — has a link made only of a query string on the
//! page's own address (`index.html?story=nanchang-building&ch=2&lang=en`). A query string
//! works on any static file server with no rewrite rules, and survives a reload.
//!
//! Parsing is forgiving: unknown parameters and malformed values are ignored, so an old or
//! mistyped link still opens the exhibit rather than an error.
//!
//! ```
//! use lilong_core::route::{Route, Page};
//! let r = Route::parse("?story=nanchang-building&ch=2&lang=en");
//! // Links count chapters from 1; the route counts from 0.
//! assert_eq!(r.page, Page::Story { id: "nanchang-building".into(), chapter: 1 });
//! assert_eq!(r.lang.as_deref(), Some("en"));
//! assert_eq!(r.to_query(), "?story=nanchang-building&ch=2&lang=en");
//! assert_eq!(Route::parse(&r.to_query()), r);
//! ```

/// What fills the screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Page {
    /// The free map, optionally with an area or a place selected (never both).
    #[default]
    Map,
    /// The map with a residential area selected and its panel open.
    Area { id: String },
    /// The map with a building or place selected and its summary open.
    Place { id: String },
    /// A guided story, at a chapter (0-based).
    Story { id: String, chapter: usize },
    /// The exhibit-wide timeline.
    Timeline,
    /// The shelf of stories: one card per story, the featured ones first.
    Stories,
    /// The curators' data-health view.
    Health,
}

/// Filters that narrow the map and the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    /// A district id (12-digit code).
    pub district: Option<String>,
    /// A theme id.
    pub theme: Option<String>,
    /// "Map by time": show what was under way in this year.
    pub year: Option<i32>,
}

/// The whole view: page, filters, language and profile.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route {
    pub page: Page,
    pub filters: Filters,
    /// A language tag (`zh-Hans`, `zh-Hant`, `en`); `None` means the exhibit's default.
    pub lang: Option<String>,
    /// The kiosk profile, turned on by the link (`kiosk=1`) rather than the settings.
    pub kiosk: bool,
    /// Idle seconds before the kiosk resets, overriding the settings (for tests and set-up).
    pub idle: Option<u32>,
    /// Another data folder of the site to load instead of `data/` (e.g. `city`, a generated
    /// city-scale set). A plain folder name: no slashes, no dots.
    pub data: Option<String>,
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Ids are slugs or division codes; anything else in a link is ignored.
fn plausible_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

impl Route {
    /// Reads a route from a query string (with or without the leading `?`).
    pub fn parse(query: &str) -> Route {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut r = Route::default();
        let (mut area, mut place, mut story, mut chapter) = (None, None, None, 0usize);
        let (mut timeline, mut health, mut stories) = (false, false, false);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            let id = plausible_id(&v).then(|| v.clone());
            match k.as_str() {
                "area" => area = id,
                "place" => place = id,
                "story" => story = id,
                "ch" => chapter = v.parse::<usize>().map(|c| c.saturating_sub(1)).unwrap_or(0),
                "timeline" => timeline = true,
                "health" => health = true,
                "stories" => stories = true,
                "district" => r.filters.district = id,
                "theme" => r.filters.theme = id,
                "year" => r.filters.year = v.parse().ok().filter(|y| (1800..=2200).contains(y)),
                "lang" => r.lang = matches!(v.as_str(), "zh-Hans" | "zh-Hant" | "en").then_some(v),
                "kiosk" => r.kiosk = !matches!(v.as_str(), "0" | "false" | "no"),
                "idle" => r.idle = v.parse().ok().filter(|s| (1..=86_400).contains(s)),
                "data" => r.data = id.filter(|d| d.len() <= 40),
                _ => {}
            }
        }
        r.page = if health {
            Page::Health
        } else if let Some(id) = story {
            Page::Story { id, chapter }
        } else if timeline {
            Page::Timeline
        } else if stories {
            Page::Stories
        } else if let Some(id) = area {
            Page::Area { id }
        } else if let Some(id) = place {
            Page::Place { id }
        } else {
            Page::Map
        };
        r
    }

    /// Writes the route as a query string: `?` followed by its parameters, or an empty
    /// string for the plain home view. Chapters are written 1-based, as a reader counts.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match &self.page {
            Page::Map => {}
            Page::Area { id } => parts.push(format!("area={}", encode(id))),
            Page::Place { id } => parts.push(format!("place={}", encode(id))),
            Page::Story { id, chapter } => {
                parts.push(format!("story={}", encode(id)));
                parts.push(format!("ch={}", chapter + 1));
            }
            Page::Timeline => parts.push("timeline".into()),
            Page::Health => parts.push("health".into()),
            Page::Stories => parts.push("stories".into()),
        }
        if let Some(d) = &self.filters.district {
            parts.push(format!("district={}", encode(d)));
        }
        if let Some(t) = &self.filters.theme {
            parts.push(format!("theme={}", encode(t)));
        }
        if let Some(y) = self.filters.year {
            parts.push(format!("year={y}"));
        }
        if let Some(l) = &self.lang {
            parts.push(format!("lang={}", encode(l)));
        }
        if self.kiosk {
            parts.push("kiosk=1".into());
        }
        if let Some(s) = self.idle {
            parts.push(format!("idle={s}"));
        }
        if let Some(d) = &self.data {
            parts.push(format!("data={}", encode(d)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The same view with another page, keeping language, filters and profile.
    pub fn with_page(&self, page: Page) -> Route {
        Route {
            page,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_round_trips() {
        let pages = [
            Page::Map,
            Page::Area {
                id: "310101023005".into(),
            },
            Page::Place {
                id: "nanchang-building".into(),
            },
            Page::Story {
                id: "new-youth".into(),
                chapter: 0,
            },
            Page::Story {
                id: "new-youth".into(),
                chapter: 4,
            },
            Page::Timeline,
            Page::Stories,
            Page::Health,
        ];
        for page in pages {
            let r = Route {
                page,
                filters: Filters {
                    district: Some("310101000000".into()),
                    theme: Some("heritage".into()),
                    year: Some(2018),
                },
                lang: Some("zh-Hant".into()),
                kiosk: true,
                idle: Some(5),
                data: Some("city".into()),
            };
            assert_eq!(Route::parse(&r.to_query()), r, "{}", r.to_query());
        }
    }

    #[test]
    fn the_shelf_of_stories_has_its_own_link() {
        assert_eq!(Route::parse("?stories").page, Page::Stories);
        assert_eq!(Route::parse("?stories=1&lang=en").page, Page::Stories);
        assert_eq!(
            Route::default().with_page(Page::Stories).to_query(),
            "?stories"
        );
        // A story named in the link wins over the shelf it was opened from.
        assert_eq!(
            Route::parse("?stories&story=new-youth-office&ch=2").page,
            Page::Story {
                id: "new-youth-office".into(),
                chapter: 1
            }
        );
        // An area selected on the map is not the shelf.
        assert_eq!(
            Route::parse("?area=310101023005").page,
            Page::Area {
                id: "310101023005".into()
            }
        );
    }

    #[test]
    fn home_is_an_empty_query() {
        assert_eq!(Route::default().to_query(), "");
        assert_eq!(Route::parse(""), Route::default());
        assert_eq!(Route::parse("?"), Route::default());
    }

    #[test]
    fn bad_values_are_ignored_not_fatal() {
        let r = Route::parse(
            "?area=<script>&lang=fr&year=abc&idle=-3&ch=x&story=a%ZZ&zz=1&data=../etc",
        );
        assert_eq!(r.data, None, "a data folder is a plain name");
        assert_eq!(r.lang, None);
        assert_eq!(r.filters.year, None);
        assert_eq!(r.idle, None);
        // The story id "a%ZZ" keeps its stray percent sign and is then not a plausible id.
        assert_eq!(r.page, Page::Map);
    }

    #[test]
    fn chapters_are_one_based_in_links() {
        assert_eq!(
            Route::parse("?story=s&ch=1").page,
            Page::Story {
                id: "s".into(),
                chapter: 0
            }
        );
        assert_eq!(
            Route::parse("?story=s&ch=0").page,
            Page::Story {
                id: "s".into(),
                chapter: 0
            }
        );
        assert_eq!(
            Route::parse("?story=s").page,
            Page::Story {
                id: "s".into(),
                chapter: 0
            }
        );
    }

    #[test]
    fn percent_encoding_round_trips_non_ascii() {
        assert_eq!(decode(&encode("渔阳里 & co")), "渔阳里 & co");
        assert_eq!(decode("a+b%20c"), "a b c");
        assert_eq!(decode("100%"), "100%");
    }
}
