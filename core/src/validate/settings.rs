//! The settings (`exhibit.json`) and the interface strings, checked on their own.

use super::EXHIBIT;
use super::HashSet;
use super::each::check_slug;
use super::is_http_url;
use crate::load::{Reporter, at};
use crate::load::{closest, in_shanghai};
use crate::locate::JsonPath;
use crate::locate::Target;
use crate::model::{Exhibit, Lang, Settings, StringsFile, Theme};

/// Checks exhibit.json on its own; returns the sound themes (others are reported and left
/// out). Unsound optional settings are reported and cleared.
pub(super) fn check_settings(rep: &mut Reporter, s: &mut Settings) -> Vec<Theme> {
    let root = JsonPath::root();
    if s.languages.is_empty() || !s.languages.contains(&Lang::ZhHans) {
        let p = root.key("languages");
        rep.error(
            EXHIBIT,
            &p,
            format!(
                "`languages`{} must include `zh-Hans`, the reference language",
                at(&p)
            ),
        );
        if !s.languages.contains(&Lang::ZhHans) {
            s.languages.insert(0, Lang::ZhHans);
        }
    }
    let mut seen = HashSet::default();
    for (i, l) in s.languages.iter().enumerate() {
        if !seen.insert(*l) {
            let p = root.key("languages").index(i);
            rep.error(
                EXHIBIT,
                &p,
                format!("`{}` is listed twice{}", l.tag(), at(&p)),
            );
        }
    }
    s.languages.dedup();
    if !s.languages.contains(&s.default_language) {
        let p = root.key("default_language");
        rep.error(
            EXHIBIT,
            &p,
            format!(
                "the default language `{}`{} is not among `languages`",
                s.default_language.tag(),
                at(&p)
            ),
        );
        s.default_language = Lang::ZhHans;
    }
    let [w, so, e, n] = s.view.bounds;
    let bp = root.key("view").key("bounds");
    if !(w < e && so < n) {
        rep.error(
            EXHIBIT,
            &bp,
            format!(
                "`bounds`{} must be [west, south, east, north] with west < east and south < north",
                at(&bp)
            ),
        );
        s.view.bounds = crate::model::SHANGHAI_CENTRE_BOUNDS;
    } else if !(in_shanghai(w, so) && in_shanghai(e, n)) {
        let msg = if in_shanghai(so, w) && in_shanghai(n, e) {
            format!(
                "`bounds`{} has latitude and longitude swapped: write [west, south, east, north] in longitude/latitude",
                at(&bp)
            )
        } else {
            format!("`bounds`{} lie outside Shanghai", at(&bp))
        };
        rep.error(EXHIBIT, &bp, msg);
        s.view.bounds = crate::model::SHANGHAI_CENTRE_BOUNDS;
    }
    if s.kiosk.idle_seconds < 10 {
        let p = root.key("kiosk").key("idle_seconds");
        rep.error(
            EXHIBIT,
            &p,
            format!(
                "`idle_seconds`{} must be at least 10, or visitors are interrupted",
                at(&p)
            ),
        );
        s.kiosk.idle_seconds = 90;
    }
    if let Some(url) = &s.public_base_url
        && (!url.to_ascii_lowercase().starts_with("https://") || !is_http_url(url))
    {
        let p = root.key("public_base_url");
        rep.error(
            EXHIBIT,
            &p,
            format!("the address `{url}`{} must start with https://", at(&p)),
        );
        s.public_base_url = None;
    }
    if let Some(t) = &s.tiles {
        let p = root.key("tiles").key("url");
        if !is_http_url(&t.url) || !["{z}", "{x}", "{y}"].iter().all(|p| t.url.contains(p)) {
            rep.error(
                EXHIBIT,
                &p,
                format!("the tile address{} must start with http(s):// and contain {{z}}, {{x}} and {{y}}", at(&p)),
            );
            s.tiles = None;
        }
    }
    let mut themes = Vec::new();
    let mut ids = HashSet::default();
    for (i, t) in s.themes.drain(..).enumerate() {
        let tp = root.key("themes").index(i);
        let before = rep.error_count();
        check_slug(rep, EXHIBIT, &tp.key("id"), &t.id, "theme");
        let c = t.color.as_bytes();
        if !(c.len() == 7 && c[0] == b'#' && c[1..].iter().all(u8::is_ascii_hexdigit)) {
            let cp = tp.key("color");
            rep.error(
                EXHIBIT,
                &cp,
                format!(
                    "the colour `{}`{} must be written `#rrggbb`, like `#b5473a`",
                    t.color,
                    at(&cp)
                ),
            );
        }
        if !ids.insert(t.id.clone()) {
            let ip = tp.key("id");
            rep.error(
                EXHIBIT,
                &ip,
                format!("the theme id `{}`{} is used twice", t.id, at(&ip)),
            );
        }
        if rep.error_count() == before {
            themes.push(t);
        }
    }
    themes
}

/// Interface strings: a key of another language that zh-Hans does not have is never shown.
pub(super) fn check_strings(
    rep: &mut Reporter,
    strings: Vec<(Lang, StringsFile)>,
    ex: &mut Exhibit,
) {
    let zh_keys: Option<HashSet<String>> = strings
        .iter()
        .find(|(l, _)| *l == Lang::ZhHans)
        .map(|(_, f)| f.strings.keys().cloned().collect());
    for (lang, f) in strings {
        if let Some(zh) = &zh_keys {
            let known: Vec<String> = zh.iter().cloned().collect();
            for key in f.strings.keys() {
                if !zh.contains(key) {
                    let kp = JsonPath::root().key("strings").key(key.clone());
                    let hint = match closest(key, &known) {
                        Some(best) => format!(" — did you mean `{best}`?"),
                        None => String::new(),
                    };
                    rep.push(
                        crate::problem::Severity::Warning,
                        lang.strings_file(),
                        &kp,
                        Target::Key,
                        format!("the key `{key}`{} is not in i18n/zh-Hans.json, so it is never shown{hint}", at(&kp)),
                    );
                }
            }
        }
        ex.strings.insert(lang, f.strings);
    }
}
