//! `cargo xtask fuzz [--cases N] [--seed S] [--jobs J]`: the long fuzz of the loader.
//!
//! Runs the ignored test `fuzz_long` of `core/tests/fuzz_loader.rs` in an optimised build (opt-level
//! 3, no LTO, panics that unwind so each one is caught and minimised) kept in its own target folder
//! `target/fuzz`, so it never disturbs the wasm release build. The driver prints the count, the
//! time and the rate; anything it finds is minimised into `tests/fuzz-corpus/`, which every
//! `cargo xtask test` runs again.

use std::process::Command;

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut cases: u64 = 1_000_000;
    let mut seed: Option<String> = None;
    let mut jobs: u64 = 1;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match a.as_str() {
            "--cases" => cases = parse_count(&value("--cases")?)?,
            "--seed" => seed = Some(value("--seed")?),
            "--jobs" => jobs = parse_count(&value("--jobs")?)?.max(1),
            other => {
                return Err(format!(
                    "`fuzz` takes --cases N, --seed S and --jobs J (got `{other}`)"
                ));
            }
        }
    }
    let root = crate::root();
    let mut cmd = Command::new(crate::tools::cargo());
    cmd.current_dir(&root)
        .args([
            "test",
            "--release",
            "-p",
            "lilong-core",
            "--test",
            "fuzz_loader",
            "--",
            "--ignored",
            "--exact",
            "fuzz_long",
            "--nocapture",
        ])
        .env("CARGO_TARGET_DIR", root.join("target").join("fuzz"))
        // Quick to build and fast to run; the release profile's size settings are for the wasm.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS", "true")
        .env("CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS", "true")
        .env("LILONG_FUZZ_CASES", cases.to_string())
        .env("LILONG_FUZZ_JOBS", jobs.to_string());
    if let Some(s) = seed {
        cmd.env("LILONG_FUZZ_SEED", s);
    }
    println!(
        "cargo test --release -p lilong-core --test fuzz_loader -- --ignored fuzz_long \
         ({cases} inputs, {jobs} thread(s); build in target/fuzz)"
    );
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the fuzz run failed ({status}): see above; minimised inputs are in tests/fuzz-corpus/"
        ))
    }
}

/// `1000000`, `1_000_000`, `1e6` or `1M`.
fn parse_count(s: &str) -> Result<u64, String> {
    let t = s.trim().replace('_', "");
    let (num, mult) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1_000.0),
        Some('m' | 'M') => (&t[..t.len() - 1], 1_000_000.0),
        _ => (t.as_str(), 1.0),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a count (write e.g. 1000000, 1e6 or 1M)"))?;
    if !(n.is_finite() && n >= 0.0) {
        return Err(format!("`{s}` is not a count"));
    }
    Ok((n * mult).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn counts_are_read_in_the_usual_spellings() {
        assert_eq!(parse_count("1000000"), Ok(1_000_000));
        assert_eq!(parse_count("1_000_000"), Ok(1_000_000));
        assert_eq!(parse_count("1e6"), Ok(1_000_000));
        assert_eq!(parse_count("250k"), Ok(250_000));
        assert_eq!(parse_count("2M"), Ok(2_000_000));
        assert!(parse_count("many").is_err());
        assert!(parse_count("-3").is_err());
    }
}
