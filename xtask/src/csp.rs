//! The content security policy of the built site: the last step of `cargo xtask build`.
//!
//! `index.html` carries a `<meta http-equiv="Content-Security-Policy">` whose `script-src`, in
//! the source, still allows inline scripts (so `cargo xtask serve`, whose start-up script changes
//! with every rebuild, keeps working). After the release build, [`apply`] rewrites the policy in
//! `dist/index.html`: `script-src` becomes `'self' 'wasm-unsafe-eval'` plus the SHA-256 of each
//! inline script trunk wrote (its start-up module script), with no `'unsafe-inline'` or
//! `'unsafe-eval'`; when `data/exhibit.json` configures map tiles, their origin joins `img-src`
//! and `connect-src` (and only then).
//!
//! Styles: the app sets element styles through the CSS object model (allowed by any policy), but
//! some components write `style` attributes, which a policy without `'unsafe-inline'` for styles
//! blocks; so `style-src-attr 'unsafe-inline'` allows attributes only, while stylesheets and
//! `<style>` elements stay limited to the site's own files (`style-src 'self'`).

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

/// What [`apply`] did, for the build's report.
#[derive(Debug)]
pub struct Applied {
    pub policy: String,
    pub hashed_scripts: usize,
}

/// Rewrites the policy of `<dist>/index.html` as described in the module documentation.
pub fn apply(dist: &Path) -> Result<Applied, String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let tiles = tile_origin(&dist.join("data").join("exhibit.json"))?;
    let (out, applied) = rewrite(&html, tiles.as_deref())?;
    std::fs::write(&index, out).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok(applied)
}

/// `cargo xtask csp [DIR]`: applies the policy to an already built folder (default `dist/`).
pub fn csp_command(args: &[String]) -> Result<(), String> {
    let dist = match args {
        [] => crate::root().join("dist"),
        [d] => std::path::PathBuf::from(d),
        _ => return Err("`csp` takes at most one folder".into()),
    };
    let a = apply(&dist)?;
    println!(
        "content security policy of {} ({} inline script(s) hashed):\n  {}",
        dist.join("index.html").display(),
        a.hashed_scripts,
        a.policy
    );
    Ok(())
}

/// The policy in `html` rewritten; errors when there is no policy to rewrite.
pub fn rewrite(html: &str, tiles: Option<&str>) -> Result<(String, Applied), String> {
    let marker = "http-equiv=\"Content-Security-Policy\"";
    let meta_at = html
        .find(marker)
        .ok_or("index.html has no <meta http-equiv=\"Content-Security-Policy\">")?;
    let tag_start = html[..meta_at].rfind('<').ok_or("malformed <meta> tag")?;
    let tag_end = tag_start + html[tag_start..].find('>').ok_or("unclosed <meta> tag")?;
    let tag = &html[tag_start..tag_end];
    let content_key = "content=\"";
    let c0 = tag
        .find(content_key)
        .ok_or("the policy <meta> has no content=\"…\"")?
        + content_key.len();
    let c1 = c0 + tag[c0..].find('"').ok_or("unclosed content=\"…\"")?;
    let old = &tag[c0..c1];

    let hashes: Vec<String> = inline_scripts(html)
        .iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let mut directives: Vec<(String, Vec<String>)> = old
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            let name = words.next().unwrap_or_default().to_ascii_lowercase();
            (name, words.collect())
        })
        .collect();
    let mut set = |name: &str, f: &dyn Fn(&mut Vec<String>)| {
        match directives.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => f(v),
            None => {
                let mut v = Vec::new();
                f(&mut v);
                directives.push((name.to_string(), v));
            }
        };
    };
    set("script-src", &|v: &mut Vec<String>| {
        v.retain(|w| {
            !matches!(
                w.as_str(),
                "'unsafe-inline'" | "'unsafe-eval'" | "*" | "data:" | "blob:"
            ) && !w.starts_with("'sha256-")
                && !w.starts_with("'nonce-")
        });
        for must in ["'self'", "'wasm-unsafe-eval'"] {
            if !v.iter().any(|w| w == must) {
                v.push(must.to_string());
            }
        }
        v.extend(hashes.iter().cloned());
    });
    if let Some(origin) = tiles {
        for d in ["img-src", "connect-src"] {
            set(d, &|v: &mut Vec<String>| {
                if !v.iter().any(|w| w == origin) {
                    v.push(origin.to_string());
                }
            });
        }
    }
    let policy = directives
        .iter()
        .map(|(n, v)| {
            if v.is_empty() {
                n.clone()
            } else {
                format!("{n} {}", v.join(" "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let meta_offset = tag_start + c0;
    let mut out = String::with_capacity(html.len() + 200);
    out.push_str(&html[..meta_offset]);
    out.push_str(&policy);
    out.push_str(&html[tag_start + c1..]);
    // The policy applies only to what follows it: it must come before every script.
    if let Some(first_script) = out.find("<script")
        && first_script < meta_offset
    {
        return Err(
            "the policy <meta> must come before the first <script> in index.html".to_string(),
        );
    }
    Ok((
        out,
        Applied {
            policy,
            hashed_scripts: hashes.len(),
        },
    ))
}

/// The text of every `<script>` without a `src` attribute, exactly as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        let after = &rest[i..];
        let Some(gt) = after.find('>') else { break };
        let open = &after[..gt];
        let body_start = gt + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !open.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

/// The origin (`https://host[:port]`) of the tile address in `exhibit.json`, when one is set.
fn tile_origin(exhibit: &Path) -> Result<Option<String>, String> {
    let Ok(text) = std::fs::read_to_string(exhibit) else {
        return Ok(None);
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
    else {
        // The checker reports a broken file; the policy then simply names no tile server.
        return Ok(None);
    };
    let Some(url) = json.pointer("/tiles/url").and_then(|u| u.as_str()) else {
        return Ok(None);
    };
    Ok(origin_of(url))
}

/// `https://a.tile.example.org/{z}/{x}/{y}.png` → `https://a.tile.example.org`; only http(s).
fn origin_of(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let scheme = if lower.starts_with("https://") {
        "https://"
    } else if lower.starts_with("http://") {
        "http://"
    } else {
        return None;
    };
    let host = url[scheme.len()..].split(['/', '?', '#']).next()?;
    let clean = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
    // A `{s}` subdomain pattern becomes a wildcard, which CSP allows as the leftmost label.
    let host = host.replace("{s}", "*");
    (clean && !host.contains('{')).then(|| format!("{}{host}", &lower[..scheme.len()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT: &str = r#"<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; img-src 'self'; connect-src 'self'">
<link rel="modulepreload" href="./lilong-1.js" crossorigin="anonymous">
<script type="module">
import init, * as bindings from './lilong-1.js';
const wasm = await init({ module_or_path: './lilong-1_bg.wasm' });
window.wasmBindings = bindings;
</script></head><body><script src="./other.js"></script></body></html>"#;

    #[test]
    fn inline_scripts_are_hashed_and_unsafe_inline_goes() {
        let (out, a) = rewrite(BUILT, None).unwrap();
        assert_eq!(a.hashed_scripts, 1);
        let body = inline_scripts(BUILT)[0];
        let want = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
        assert!(
            a.policy.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{want}'"
            )),
            "{}",
            a.policy
        );
        assert!(!a.policy.contains("unsafe-inline"), "{}", a.policy);
        assert!(out.contains(&a.policy));
        assert!(
            out.contains("window.wasmBindings = bindings;"),
            "the rest is untouched"
        );
        // Applying twice gives the same page (the old hash is replaced, not kept).
        let (again, _) = rewrite(&out, None).unwrap();
        assert_eq!(again, out);
    }

    #[test]
    fn the_tile_origin_is_added_only_when_configured() {
        let (_, a) = rewrite(BUILT, Some("https://tiles.example.org")).unwrap();
        assert!(
            a.policy
                .contains("img-src 'self' https://tiles.example.org")
        );
        assert!(
            a.policy
                .contains("connect-src 'self' https://tiles.example.org")
        );
        let (_, b) = rewrite(BUILT, None).unwrap();
        assert!(!b.policy.contains("example.org"));
        assert_eq!(
            origin_of("https://Tiles.Example.org:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://Tiles.Example.org:8443")
        );
        assert_eq!(
            origin_of("https://{s}.tile.example.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.org")
        );
        assert_eq!(origin_of("javascript:alert(1)//{z}"), None);
        assert_eq!(origin_of("https://evil.org\"; script-src *"), None);
    }

    #[test]
    fn a_page_without_a_policy_or_with_it_after_a_script_is_refused() {
        assert!(rewrite("<html><script>1</script></html>", None).is_err());
        let late = "<script>1</script><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">";
        assert!(rewrite(late, None).is_err());
    }
}
