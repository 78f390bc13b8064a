//! Fuzzing the loader: whatever the bytes of any data file, [`load_with_media`] returns (never
//! panics), every problem it reports is located and worded, a file it cannot use is named with
//! an error saying why, and no input takes long.
//!
//! The driver is deterministic: case `i` of seed `s` is always the same input, so any finding
//! can be replayed. Each case takes one file of [`FILES`] and one seed text for it (the valid file
//! of `tests/data-cases/base`, a variant from another data case, or the exhibit's own file
//! under `data/`), applies one to three mutations — byte flips, truncations, splices from other
//! files, deep nesting, huge numbers, NaN-like tokens, byte-order marks, invalid UTF-8, lone
//! surrogate escapes, duplicated keys, values of the wrong type, deleted and unknown members,
//! extreme coordinates, many vertices — and loads it among the other valid base files.
//!
//! - `cargo test -p lilong-core --test fuzz_loader` runs the regression corpus
//!   (`tests/fuzz-corpus/<file>/*`, every entry also tried as every other kind of file) and a
//!   short fuzz run.
//! - `cargo xtask fuzz --cases 1000000` runs the long fuzz (the ignored test `fuzz_long`, in an
//!   optimised build); a panic it finds is minimised and written into `tests/fuzz-corpus/`.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use lilong_core::load::{FILES, Loaded, load_precisely, load_with_media};

mod support;
use serde_json::Value;
use support::same;

// ─── Inputs ────────────────────────────────────────────────────────────────────────────────

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus_dir() -> PathBuf {
    root().join("tests/fuzz-corpus")
}

/// The valid base data set, by file name.
fn base() -> &'static BTreeMap<&'static str, Vec<u8>> {
    static BASE: OnceLock<BTreeMap<&'static str, Vec<u8>>> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = root().join("tests/data-cases/base");
        FILES
            .iter()
            .map(|&f| (f, std::fs::read(dir.join(f)).expect("base file")))
            .collect()
    })
}

/// For each file of [`FILES`], the texts mutations start from: the base file, every data case's
/// variant of it, and the exhibit's own file (when under 128 KB).
fn seeds() -> &'static Vec<Vec<Vec<u8>>> {
    static SEEDS: OnceLock<Vec<Vec<Vec<u8>>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let cases = root().join("tests/data-cases");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        dirs.push(root().join("data"));
        FILES
            .iter()
            .map(|&f| {
                let mut list = vec![base()[f].clone()];
                for d in &dirs {
                    if let Ok(bytes) = std::fs::read(d.join(f))
                        && bytes.len() < 128 * 1024
                        && !list.contains(&bytes)
                    {
                        list.push(bytes);
                    }
                }
                list
            })
            .collect()
    })
}

// ─── The oracle ────────────────────────────────────────────────────────────────────────────

/// What went wrong with one input.
#[derive(Debug)]
enum Finding {
    Panic(String),
    Invariant(String),
}

impl Finding {
    fn describe(&self) -> String {
        match self {
            Finding::Panic(m) => format!("panic: {m}"),
            Finding::Invariant(m) => format!("broken invariant: {m}"),
        }
    }
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Replaces the panic hook (once) by one that records the message for [`check`] instead of
/// printing it: a million inputs must not print a million backtraces.
fn quiet_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        std::panic::set_hook(Box::new(|info| {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
        }));
    });
}

/// Loads the base set with `file` replaced by `bytes`; checks what must always hold.
fn check(file: &str, bytes: &[u8]) -> Result<(), Finding> {
    let files: Vec<(&str, Option<&[u8]>)> = base()
        .iter()
        .map(|(&k, v)| (k, Some(if k == file { bytes } else { v.as_slice() })))
        .collect();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        load_with_media(&files, &["media/nanchang.png"])
    }));
    let loaded: Loaded = match result {
        Ok(l) => l,
        Err(_) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "(message not recorded)".into());
            return Err(Finding::Panic(msg));
        }
    };
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u32 + 2;
    for p in &loaded.problems {
        if p.line < 1 || p.col < 1 || p.message.trim().is_empty() {
            return Err(Finding::Invariant(format!(
                "unlocated or empty problem: {p:?}"
            )));
        }
        if p.file == file && p.line > lines {
            return Err(Finding::Invariant(format!(
                "problem past the end of the file: {p}"
            )));
        }
        if !FILES.contains(&p.file.as_str()) {
            return Err(Finding::Invariant(format!(
                "problem in an unknown file: {p}"
            )));
        }
    }
    for u in &loaded.unusable {
        if !loaded.problems.iter().any(|p| &p.file == u && p.is_error()) {
            return Err(Finding::Invariant(format!(
                "{u} unusable without an error saying why"
            )));
        }
    }
    // The fast path must give exactly what reading every file as one value gives.
    let precise = std::panic::catch_unwind(AssertUnwindSafe(|| {
        load_precisely(&files, &["media/nanchang.png"])
    }));
    match precise {
        Ok(p) if same(&p) == same(&loaded) => {}
        Ok(p) => {
            let first = p
                .problems
                .iter()
                .zip(&loaded.problems)
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("precise: {a}\nfast:    {b}"))
                .unwrap_or_else(|| {
                    format!(
                        "{} problems precisely, {} fast",
                        p.problems.len(),
                        loaded.problems.len()
                    )
                });
            return Err(Finding::Invariant(format!(
                "the fast and the precise path disagree:\n{first}"
            )));
        }
        Err(_) => return Err(Finding::Panic("the precise path panicked".into())),
    }
    Ok(())
}

// ─── Deterministic randomness ──────────────────────────────────────────────────────────────

/// SplitMix64: small, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn for_case(seed: u64, case: u64) -> Rng {
        let mut r = Rng(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

// ─── Mutations ─────────────────────────────────────────────────────────────────────────────

const HUGE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "1.7976931348623157e308",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890123456789",
    "0.000000000000000000000000000000000000000000001",
    "-0",
    "4294967296",
    "1e18",
    "121.46e3",
];
const NAN_TOKENS: &[&str] = &[
    "NaN",
    "nan",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e",
    "-",
    "+1",
    "01",
    ".5",
    "1.",
    "0x1F",
    "1_000",
    "undefined",
    "None",
    "True",
];
const WEIRD_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "\u{202e}rtl",
    "../../etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "🏠🏠🏠",
    "2019-02-30",
    "0000-00-00",
    "9999-99",
    "-2019",
    "2019-1-1",
    "310101023005",
    "prov-310101023000-",
    "prov--x",
    "nanchang-building",
    "seed-000",
    "media/nanchang.png",
    "media/",
    "/",
    "zh-Hans",
    "GCJ-02",
    "Point",
    "Polygon",
    "MultiPolygon",
    "FeatureCollection",
    "Feature",
];
const INVALID_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xe4\xb8",
    b"\xf4\x90\x80\x80",
    b"\x80",
    b"\xf0\x9f\x8f",
];
const ESCAPES: &[&str] = &[
    "\\ud800",
    "\\udfff",
    "\\ud800\\u0041",
    "\\u0000",
    "\\uZZZZ",
    "\\x41",
    "\\",
    "\\u00",
    "\\ud83c\\udfe0",
];

/// Which mutations exist (weights by repetition).
#[derive(Clone, Copy, Debug)]
enum Op {
    FlipBytes,
    Truncate,
    Splice,
    DeepNesting,
    HugeNumber,
    NanToken,
    Bom,
    InvalidUtf8,
    Escape,
    DuplicateKey,
    WrongType,
    DeleteMember,
    UnknownMember,
    ExtremeCoordinate,
    ManyVertices,
    DuplicateElement,
    SwapPair,
}

const OPS: &[Op] = &[
    Op::FlipBytes,
    Op::FlipBytes,
    Op::Truncate,
    Op::Splice,
    Op::DeepNesting,
    Op::HugeNumber,
    Op::NanToken,
    Op::Bom,
    Op::InvalidUtf8,
    Op::Escape,
    Op::DuplicateKey,
    Op::WrongType,
    Op::WrongType,
    Op::WrongType,
    Op::DeleteMember,
    Op::DeleteMember,
    Op::UnknownMember,
    Op::ExtremeCoordinate,
    Op::ExtremeCoordinate,
    Op::ManyVertices,
    Op::DuplicateElement,
    Op::SwapPair,
];

/// Byte offsets of the starts of number tokens (outside strings, roughly).
fn number_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_str = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_str {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_str = true;
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'-' | b'+')
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Byte offsets just inside string literals (after the opening quote).
fn string_starts(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_str = false;
    let mut i = 0;
    while i < bytes.len() {
        match (in_str, bytes[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_str = false,
            (false, b'"') => {
                in_str = true;
                out.push(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Every JSON pointer in `v` (root excluded), so one node can be picked at random.
fn pointers(v: &Value, here: &mut String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let len = here.len();
                here.push('/');
                here.push_str(&k.replace('~', "~0").replace('/', "~1"));
                out.push(here.clone());
                pointers(c, here, out);
                here.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let len = here.len();
                here.push('/');
                here.push_str(&i.to_string());
                out.push(here.clone());
                pointers(c, here, out);
                here.truncate(len);
            }
        }
        _ => {}
    }
}

fn random_value(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => Value::from(rng.next() as i64),
        3 => Value::from((rng.next() % 4_000_000) as f64 / 10_000.0 - 200.0),
        4 => Value::String(rng.pick(WEIRD_STRINGS).to_string()),
        5 => Value::Array(vec![]),
        6 => serde_json::json!({}),
        7 => Value::String("字".repeat(rng.below(5000))),
        8 => serde_json::json!([121.46, 31.21]),
        _ => serde_json::json!({ "zh-Hans": "", "en": 1 }),
    }
}

/// Applies one value-level mutation through the parsed JSON; `None` when the text does not parse.
fn mutate_value(rng: &mut Rng, bytes: &[u8], op: Op) -> Option<Vec<u8>> {
    if bytes.len() > 256 * 1024 {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut v: Value = serde_json::from_str(text).ok()?;
    let mut ptrs = Vec::new();
    pointers(&v, &mut String::new(), &mut ptrs);
    if ptrs.is_empty() {
        return None;
    }
    match op {
        Op::WrongType => {
            let p = rng.pick(&ptrs).clone();
            let new = random_value(rng);
            if let Some(slot) = v.pointer_mut(&p) {
                *slot = new;
            }
        }
        Op::DeleteMember | Op::UnknownMember => {
            let objects: Vec<&String> = ptrs
                .iter()
                .filter(|p| v.pointer(p).is_some_and(Value::is_object))
                .collect();
            let p = if objects.is_empty() || rng.chance(8) {
                String::new()
            } else {
                rng.pick(&objects).to_string()
            };
            let key_pick = rng.next();
            let value = random_value(rng);
            if let Some(Value::Object(m)) = v.pointer_mut(&p) {
                if matches!(op, Op::DeleteMember) {
                    if !m.is_empty() {
                        let k = m.keys().nth((key_pick % m.len() as u64) as usize).cloned();
                        if let Some(k) = k {
                            m.remove(&k);
                        }
                    }
                } else {
                    let names = ["nmae", "id ", "Id", "zh-hans", "zh_Hans", "type", "x", ""];
                    let k = names[(key_pick % names.len() as u64) as usize];
                    m.insert(k.to_string(), value);
                }
            }
        }
        Op::ExtremeCoordinate | Op::SwapPair => {
            let numbers: Vec<&String> = ptrs
                .iter()
                .filter(|p| v.pointer(p).is_some_and(Value::is_number))
                .collect();
            if numbers.is_empty() {
                return None;
            }
            let p = rng.pick(&numbers).to_string();
            if matches!(op, Op::SwapPair) {
                // Swap the pair this number belongs to (a position's longitude and latitude).
                let parent = p
                    .rsplit_once('/')
                    .map(|(a, _)| a.to_string())
                    .unwrap_or_default();
                if let Some(Value::Array(a)) = v.pointer_mut(&parent)
                    && a.len() >= 2
                {
                    a.swap(0, 1);
                }
            } else {
                let extremes = [
                    f64::MAX,
                    f64::MIN,
                    f64::MIN_POSITIVE,
                    f64::EPSILON,
                    -0.0,
                    0.0,
                    1e-300,
                    121.0,
                    31.0,
                    180.0,
                    -180.0,
                    90.000001,
                    i64::MAX as f64,
                    u64::MAX as f64,
                ];
                let x = *rng.pick(&extremes);
                if let Some(slot) = v.pointer_mut(&p) {
                    *slot = serde_json::Number::from_f64(x)
                        .map(Value::Number)
                        .unwrap_or(Value::Null);
                }
            }
        }
        Op::ManyVertices => {
            // Grow a ring (a list of positions) near or beyond the vertex limits.
            let is_position = |e: &Value| {
                e.as_array()
                    .is_some_and(|p| !p.is_empty() && p.iter().all(Value::is_number))
            };
            let arrays: Vec<&String> = ptrs
                .iter()
                .filter(|p| {
                    v.pointer(p)
                        .and_then(Value::as_array)
                        .and_then(|a| a.first())
                        .is_some_and(is_position)
                })
                .collect();
            if arrays.is_empty() {
                return None;
            }
            let p = rng.pick(&arrays).to_string();
            // Validation of a ring is quadratic in its positions (geo's validity check): rings of a
            // few thousand positions keep the rate up; 50,001 checks the limit itself.
            let n = *rng.pick(&[64usize, 500, 2_000, 50_001]);
            let jitter = rng.chance(2);
            if let Some(Value::Array(a)) = v.pointer_mut(&p) {
                let first = a[0].clone();
                let last = a.pop();
                for i in 0..n {
                    let mut e = first.clone();
                    if jitter
                        && let Value::Array(pos) = &mut e
                        && pos.len() == 2
                    {
                        let t = i as f64 / n as f64 * std::f64::consts::TAU;
                        pos[0] = Value::from(121.46 + 0.01 * t.cos());
                        pos[1] = Value::from(31.21 + 0.01 * t.sin());
                    }
                    a.push(e);
                }
                if let Some(l) = last {
                    a.push(l);
                }
            }
        }
        Op::DuplicateElement => {
            let arrays: Vec<&String> = ptrs
                .iter()
                .filter(|p| {
                    v.pointer(p)
                        .and_then(Value::as_array)
                        .is_some_and(|a| !a.is_empty())
                })
                .collect();
            if arrays.is_empty() {
                return None;
            }
            let p = rng.pick(&arrays).to_string();
            let which = rng.next();
            if let Some(Value::Array(a)) = v.pointer_mut(&p) {
                let e = a[(which % a.len() as u64) as usize].clone();
                a.push(e);
            }
        }
        _ => return None,
    }
    let pretty = rng.chance(2);
    let out = if pretty {
        serde_json::to_vec_pretty(&v)
    } else {
        serde_json::to_vec(&v)
    };
    out.ok()
}

fn insert(bytes: &mut Vec<u8>, at: usize, what: &[u8]) {
    let at = at.min(bytes.len());
    bytes.splice(at..at, what.iter().copied());
}

/// Applies one mutation of kind `op` to `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, op: Op) {
    let len = bytes.len();
    match op {
        Op::FlipBytes => {
            for _ in 0..1 + rng.below(8) {
                if bytes.is_empty() {
                    bytes.push(rng.next() as u8);
                    continue;
                }
                let i = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[i] ^= 1 << rng.below(8),
                    1 => bytes[i] = rng.next() as u8,
                    2 => bytes[i] = *rng.pick(b"{}[],:\"\\0-.e "),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
        }
        Op::Truncate => bytes.truncate(rng.below(len + 1)),
        Op::Splice => {
            let others = &seeds()[rng.below(FILES.len())];
            let other = rng.pick(others);
            if other.is_empty() {
                return;
            }
            let a = rng.below(other.len());
            let b = (a + 1 + rng.below(400)).min(other.len());
            let at = rng.below(len + 1);
            let cut = if rng.chance(2) { rng.below(200) } else { 0 };
            let end = (at + cut).min(len);
            bytes.splice(at..end, other[a..b].iter().copied());
        }
        Op::DeepNesting => {
            let depth = *rng.pick(&[127usize, 128, 129, 200, 1_000, 100_000]);
            let open = *rng.pick(&[&b"["[..], b"{\"a\":", b"[{\"x\":"]);
            let mut nest = open.repeat(depth);
            if rng.chance(2) {
                nest.extend_from_slice(b"1");
                let close: &[u8] = match open {
                    b"[" => b"]",
                    b"{\"a\":" => b"}",
                    _ => b"}]",
                };
                nest.extend(close.repeat(depth));
            }
            // Usually where a value starts (after a colon), sometimes anywhere.
            let colons: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b':')
                .map(|(i, _)| i + 1)
                .collect();
            let at = if colons.is_empty() || rng.chance(4) {
                rng.below(len + 1)
            } else {
                *rng.pick(&colons)
            };
            insert(bytes, at, &nest);
        }
        Op::HugeNumber | Op::NanToken => {
            let spans = number_spans(bytes);
            let token = if matches!(op, Op::HugeNumber) {
                rng.pick(HUGE_NUMBERS)
            } else {
                rng.pick(NAN_TOKENS)
            };
            if spans.is_empty() {
                insert(bytes, rng.below(len + 1), token.as_bytes());
            } else {
                let (a, b) = *rng.pick(&spans);
                bytes.splice(a..b, token.bytes());
            }
        }
        Op::Bom => {
            #[allow(clippy::explicit_auto_deref)]
            let bom: &[u8] = *rng.pick(&[
                &b"\xEF\xBB\xBF"[..],
                b"\xEF\xBB\xBF\xEF\xBB\xBF",
                b"\xFF\xFE",
                b"\xFE\xFF",
                b"\xEF\xBB",
            ]);
            let at = if rng.chance(3) { rng.below(len + 1) } else { 0 };
            insert(bytes, at, bom);
        }
        Op::InvalidUtf8 => {
            let bad = *rng.pick(INVALID_UTF8);
            let strings = string_starts(bytes);
            let at = if strings.is_empty() || rng.chance(3) {
                rng.below(len + 1)
            } else {
                *rng.pick(&strings)
            };
            insert(bytes, at, bad);
            if rng.chance(4) {
                // A whole file in UTF-16, as some editors save it.
                let text = String::from_utf8_lossy(bytes).into_owned();
                *bytes = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            }
        }
        Op::Escape => {
            let strings = string_starts(bytes);
            let at = if strings.is_empty() {
                rng.below(len + 1)
            } else {
                *rng.pick(&strings)
            };
            insert(bytes, at, rng.pick(ESCAPES).as_bytes());
        }
        Op::DuplicateKey => {
            // `"key": value,` copied right after an opening brace: a member named twice.
            let braces: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'{')
                .map(|(i, _)| i + 1)
                .collect();
            if braces.is_empty() {
                return;
            }
            let at = *rng.pick(&braces);
            let key = *rng.pick(&[
                "id",
                "type",
                "name",
                "properties",
                "geometry",
                "zh-Hans",
                "features",
                "$schema",
                "date",
                "area",
            ]);
            let val = match rng.below(4) {
                0 => "\"nanchang-building\"".to_string(),
                1 => "null".to_string(),
                2 => "{\"zh-Hans\": \"重复\"}".to_string(),
                _ => "[]".to_string(),
            };
            insert(bytes, at, format!("\"{key}\": {val},").as_bytes());
        }
        _ => {
            if let Some(out) = mutate_value(rng, bytes, op) {
                *bytes = out;
            } else {
                // Not JSON any more: fall back to a byte-level mutation.
                mutate(rng, bytes, Op::FlipBytes);
            }
        }
    }
}

/// Case `case` of seed `seed`: which file, and its bytes.
fn generate(seed: u64, case: u64) -> (usize, Vec<u8>) {
    let mut rng = Rng::for_case(seed, case);
    let file = rng.below(FILES.len());
    let mut bytes = rng.pick(&seeds()[file]).clone();
    if rng.chance(64) {
        // Sometimes no seed at all: arbitrary bytes.
        let n = rng.below(600);
        bytes = (0..n).map(|_| rng.next() as u8).collect();
    }
    for _ in 0..1 + rng.below(3) {
        let op = *rng.pick(OPS);
        mutate(&mut rng, &mut bytes, op);
        if bytes.len() > 4 * 1024 * 1024 {
            break;
        }
    }
    (file, bytes)
}

// ─── Minimising and saving findings ───────────────────────────────────────────────────────

/// Shrinks `bytes` while `fails` still holds: removes ever smaller chunks (delta debugging).
fn minimise(bytes: &[u8], fails: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let mut best = bytes.to_vec();
    let mut chunk = best.len().div_ceil(2).max(1);
    let mut tries = 0;
    let budget = Instant::now();
    while chunk >= 1 && tries < 20_000 && budget.elapsed() < Duration::from_secs(60) {
        let mut i = 0;
        let mut shrunk = false;
        while i < best.len() && tries < 20_000 {
            let end = (i + chunk).min(best.len());
            let mut candidate = best[..i].to_vec();
            candidate.extend_from_slice(&best[end..]);
            tries += 1;
            if fails(&candidate) {
                best = candidate;
                shrunk = true;
            } else {
                i += chunk;
            }
        }
        if !shrunk {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    best
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes a minimised finding into the regression corpus; returns its path.
fn save(file: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = corpus_dir().join(file);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("found-{:016x}", fnv(bytes)));
    std::fs::write(&path, bytes)?;
    Ok(path)
}

// ─── The driver ────────────────────────────────────────────────────────────────────────────

/// What a run came to.
struct Report {
    cases: u64,
    elapsed: Duration,
    findings: Vec<String>,
    slowest: (Duration, u64),
    bytes: u64,
}

/// Runs cases `0..cases` of `seed` on `jobs` threads. Findings are minimised and, when `keep` is
/// set, saved into the corpus. Inputs taking more than `slow` are findings too.
fn run(seed: u64, cases: u64, jobs: usize, keep: bool, slow: Duration, progress: bool) -> Report {
    quiet_panics();
    let _ = seeds();
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let slowest = Mutex::new((Duration::ZERO, 0u64));
    let findings = Mutex::new(Vec::<String>::new());
    let found = AtomicUsize::new(0);
    let start = Instant::now();
    const BATCH: u64 = 256;
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let from = next.fetch_add(BATCH, Ordering::Relaxed);
                    if from >= cases || found.load(Ordering::Relaxed) >= 20 {
                        break;
                    }
                    for case in from..(from + BATCH).min(cases) {
                        let (file, input) = generate(seed, case);
                        bytes.fetch_add(input.len() as u64, Ordering::Relaxed);
                        let t = Instant::now();
                        let outcome = check(FILES[file], &input);
                        let took = t.elapsed();
                        if let Ok(mut sl) = slowest.lock()
                            && took > sl.0
                        {
                            *sl = (took, case);
                        }
                        let finding = match outcome {
                            Err(f) => Some(f.describe()),
                            Ok(()) if took > slow => Some(format!("slow: {took:.1?} for one load")),
                            Ok(()) => None,
                        };
                        if let Some(what) = finding {
                            found.fetch_add(1, Ordering::Relaxed);
                            let name = FILES[file];
                            // A slow input is kept whole: minimising it would take hours.
                            let small = if took > slow {
                                input.clone()
                            } else {
                                minimise(&input, |b| check(name, b).is_err())
                            };
                            let saved = if keep {
                                match save(name, &small) {
                                    Ok(p) => format!(", saved as {}", p.display()),
                                    Err(e) => format!(", not saved: {e}"),
                                }
                            } else {
                                String::new()
                            };
                            let line = format!(
                                "case {case} (seed {seed:#x}) in {name}: {what}; minimised {} → {} bytes{saved}",
                                input.len(),
                                small.len()
                            );
                            eprintln!("FOUND {line}");
                            if let Ok(mut f) = findings.lock() {
                                f.push(line);
                            }
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        if progress {
            let mut last = Instant::now();
            while done.load(Ordering::Relaxed) < cases && found.load(Ordering::Relaxed) < 20 {
                std::thread::sleep(Duration::from_millis(200));
                if last.elapsed() >= Duration::from_secs(15) {
                    last = Instant::now();
                    let d = done.load(Ordering::Relaxed);
                    let secs = start.elapsed().as_secs_f64();
                    println!(
                        "  {d} / {cases} inputs, {secs:.0}s, {:.0} inputs/s",
                        d as f64 / secs.max(1e-9)
                    );
                }
                if next.load(Ordering::Relaxed) >= cases && done.load(Ordering::Relaxed) >= cases {
                    break;
                }
            }
        }
    });
    Report {
        cases: done.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
        findings: findings.into_inner().unwrap_or_default(),
        slowest: slowest.into_inner().unwrap_or_default(),
        bytes: bytes.load(Ordering::Relaxed),
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| {
            let v = v.trim().replace('_', "");
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => v.parse().ok(),
            }
        })
        .unwrap_or(default)
}

const DEFAULT_SEED: u64 = 0x1110_2026;

// ─── Tests ─────────────────────────────────────────────────────────────────────────────────

/// The long run, for `cargo xtask fuzz` (which builds optimised and sets the variables):
/// `LILONG_FUZZ_CASES` (default 1,000,000), `LILONG_FUZZ_SEED`, `LILONG_FUZZ_JOBS`.
#[test]
#[ignore = "long: run with `cargo xtask fuzz`"]
fn fuzz_long() {
    let cases = env_u64("LILONG_FUZZ_CASES", 1_000_000);
    let seed = env_u64("LILONG_FUZZ_SEED", DEFAULT_SEED);
    let jobs = env_u64("LILONG_FUZZ_JOBS", 1) as usize;
    let total: usize = seeds().iter().map(Vec::len).sum();
    println!(
        "fuzzing the loader: {cases} inputs, seed {seed:#x}, {jobs} thread(s), {total} seed texts over {} kinds of file",
        FILES.len()
    );
    let r = run(seed, cases, jobs, true, Duration::from_secs(10), true);
    let secs = r.elapsed.as_secs_f64();
    println!(
        "fuzzed {} inputs ({:.1} MB) in {secs:.1}s: {:.0} inputs/s; slowest input {:.1?} (case {}); {} finding(s)",
        r.cases,
        r.bytes as f64 / 1e6,
        r.cases as f64 / secs.max(1e-9),
        r.slowest.0,
        r.slowest.1,
        r.findings.len()
    );
    assert!(
        r.findings.is_empty(),
        "the loader failed on {} input(s) (minimised copies are in tests/fuzz-corpus/):\n{}",
        r.findings.len(),
        r.findings.join("\n")
    );
}

/// A short run on every `cargo test`, with a seed of its own so it explores beyond the long run's
/// first cases.
#[test]
fn fuzz_short() {
    let cases = env_u64("LILONG_FUZZ_SHORT_CASES", 800);
    let r = run(
        DEFAULT_SEED ^ 0x5eed,
        cases,
        1,
        false,
        Duration::from_secs(20),
        false,
    );
    assert_eq!(r.cases, cases);
    assert!(r.findings.is_empty(), "{}", r.findings.join("\n"));
}

/// Every entry of the regression corpus, as the file it was found in and as every other kind of
/// data file.
#[test]
fn regression_corpus() {
    quiet_panics();
    let mut entries = 0;
    let mut failures = Vec::new();
    for &file in FILES {
        let dir = corpus_dir().join(file);
        let Ok(list) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = list
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("readable corpus entry");
            entries += 1;
            for &as_file in FILES {
                let t = Instant::now();
                let r = check(as_file, &bytes);
                let took = t.elapsed();
                if let Err(f) = r {
                    failures.push(format!("{} as {as_file}: {}", path.display(), f.describe()));
                } else if took > Duration::from_secs(20) {
                    failures.push(format!(
                        "{} as {as_file}: slow ({took:.1?})",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(
        entries >= 10,
        "the regression corpus has only {entries} entries"
    );
    // The panic hook is quiet here: say what failed before failing.
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_driver_is_deterministic_and_varied() {
    let a: Vec<(usize, Vec<u8>)> = (0..200).map(|c| generate(DEFAULT_SEED, c)).collect();
    let b: Vec<(usize, Vec<u8>)> = (0..200).map(|c| generate(DEFAULT_SEED, c)).collect();
    assert_eq!(a, b, "the same seed and case must give the same input");
    let files: std::collections::BTreeSet<usize> = a.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        files.len(),
        FILES.len(),
        "200 cases reach every kind of file"
    );
    let distinct: std::collections::BTreeSet<&Vec<u8>> = a.iter().map(|(_, b)| b).collect();
    assert!(
        distinct.len() > 190,
        "only {} distinct inputs in 200",
        distinct.len()
    );
    let invalid_utf8 = a
        .iter()
        .filter(|(_, b)| std::str::from_utf8(b).is_err())
        .count();
    let valid_json = a
        .iter()
        .filter(|(_, b)| serde_json::from_slice::<Value>(b).is_ok())
        .count();
    assert!(
        invalid_utf8 > 5,
        "{invalid_utf8} invalid UTF-8 inputs in 200"
    );
    assert!(
        valid_json > 40,
        "only {valid_json} of 200 inputs still parse as JSON: the value-level mutations reach too little"
    );
}

#[test]
fn minimising_keeps_the_failure_and_drops_the_rest() {
    let input = b"{\"a\": [1, 2, 3], \"NaN\": NaN, \"b\": \"x\"}";
    let small = minimise(input, |b| {
        b.windows(3).any(|w| w == b"NaN") && b.contains(&b'{')
    });
    assert_eq!(small, b"{NaN");
}

/// How long each corpus entry takes to load as its own file (`--ignored --nocapture`).
#[test]
#[ignore = "a measurement"]
fn time_corpus_entries() {
    for &file in FILES {
        let Ok(list) = std::fs::read_dir(corpus_dir().join(file)) else {
            continue;
        };
        for e in list.flatten() {
            let bytes = std::fs::read(e.path()).expect("readable");
            let t = Instant::now();
            let r = check(file, &bytes);
            println!(
                "{:>10.1?} {} {:?}",
                t.elapsed(),
                e.path().display(),
                r.err()
            );
        }
    }
}
