//! `cargo xtask test`: everything CI checks, in order, each step under its own header, then a
//! summary of counts and timings. A failing step does not hide the later ones (the end-to-end
//! tests only need a release build), and the command fails when any step failed.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::{self, Sizes};
use crate::tools::{self, Toolchain};

/// What one step came to.
enum Outcome {
    Passed(String),
    Failed(String),
    Skipped(String),
}

struct Step {
    name: &'static str,
    outcome: Outcome,
    time: Duration,
}

const STEPS: usize = 5;

pub fn test(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("`test` takes no arguments (got `{extra}`)"));
    }
    let root = crate::root();
    std::env::set_current_dir(&root)
        .map_err(|e| format!("cannot enter {}: {e}", root.display()))?;
    let all = Instant::now();
    let mut steps = Vec::new();

    // 1. Tools: everything the build and the browser tests need.
    header(
        1,
        "tools: wasm32 target, trunk, wasm-bindgen, wasm-opt, Chromium",
    );
    let start = Instant::now();
    let tools = tools::ensure_build_tools().and_then(|tc| {
        let chromium = tools::ensure_browser(&tc)?;
        Ok((tc, chromium))
    });
    steps.push(Step {
        name: "tools",
        outcome: match &tools {
            Ok(_) => Outcome::Passed("all present".into()),
            Err(e) => Outcome::Failed(e.clone()),
        },
        time: start.elapsed(),
    });
    if let Err(e) = &tools {
        eprintln!("error: {e}");
    }

    // 2. Native tests of the core and of these chores, doc tests included.
    header(
        2,
        "native tests: cargo test -p lilong-core -p xtask (doc tests included)",
    );
    let start = Instant::now();
    let mut cmd = Command::new(tools::cargo());
    cmd.args(["test", "--no-fail-fast", "-p", "lilong-core", "-p", "xtask"]);
    steps.push(Step {
        name: "native tests",
        outcome: cargo_test(cmd),
        time: start.elapsed(),
    });

    // 3. The bundled data: schemas in step with the core types, every file valid.
    header(3, "data: schemas --check, check-data data");
    let start = Instant::now();
    steps.push(Step {
        name: "data",
        outcome: check_data(),
        time: start.elapsed(),
    });

    // 4. The release build, as deployed.
    header(4, "release build: trunk build --release --offline");
    let start = Instant::now();
    let built: Result<Sizes, String> = match &tools {
        Ok((tc, _)) => build::release_build(tc),
        Err(_) => Err(String::new()),
    };
    steps.push(Step {
        name: "release build",
        outcome: match &built {
            Ok(sizes) => {
                print!("{}", sizes.report());
                Outcome::Passed(sizes.summary())
            }
            Err(e) if e.is_empty() => Outcome::Skipped("tools missing".into()),
            Err(e) => {
                eprintln!("error: {e}");
                Outcome::Failed(e.clone())
            }
        },
        time: start.elapsed(),
    });

    // 5. End-to-end tests of that build in headless Chromium.
    header(
        5,
        "end-to-end: cargo test -p lilong-e2e (headless Chromium)",
    );
    let start = Instant::now();
    let outcome = match (&tools, &built) {
        (Ok((tc, chromium)), Ok(_)) => end_to_end(tc, chromium.clone(), root.join("dist")),
        (Err(_), _) => Outcome::Skipped("tools missing".into()),
        (_, Err(_)) => Outcome::Skipped("no release build".into()),
    };
    steps.push(Step {
        name: "end-to-end",
        outcome,
        time: start.elapsed(),
    });

    let failed = summary(&steps, all.elapsed());
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} of {} steps failed", steps.len()))
    }
}

fn header(n: usize, title: &str) {
    println!(
        "\n━━ {n}/{STEPS} {title} {}",
        "━".repeat(70usize.saturating_sub(title.len()))
    );
}

/// Prints the summary table; returns how many steps failed.
fn summary(steps: &[Step], total: Duration) -> usize {
    println!("\n━━ summary {}", "━".repeat(70));
    let mut failed = 0;
    for s in steps {
        let (word, detail) = match &s.outcome {
            Outcome::Passed(d) => ("ok", d.as_str()),
            Outcome::Failed(d) => {
                failed += 1;
                ("FAILED", d.as_str())
            }
            Outcome::Skipped(d) => ("skipped", d.as_str()),
        };
        let detail = detail.lines().next().unwrap_or("");
        println!("  {:<14} {:<8} {:>8}  {detail}", s.name, word, secs(s.time));
    }
    println!(
        "  {:<14} {:<8} {:>8}",
        "total",
        if failed == 0 { "ok" } else { "FAILED" },
        secs(total)
    );
    failed
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// A chore called in-process with its arguments.
type Chore = fn(&[String]) -> Result<(), String>;

/// Calls the data chores in-process; a panic in them is a failure of this step, not of the run.
fn check_data() -> Outcome {
    let data_dir = crate::root().join("data").to_string_lossy().into_owned();
    let mut problems = Vec::new();
    let calls: [(&str, Chore, Vec<String>); 2] = [
        (
            "schemas --check",
            crate::data::schemas,
            vec!["--check".into()],
        ),
        ("check-data data", crate::data::check_data, vec![data_dir]),
    ];
    for (name, f, args) in calls {
        println!("$ cargo xtask {name}");
        match std::panic::catch_unwind(|| f(&args)) {
            Ok(Ok(())) => println!("{name}: ok"),
            Ok(Err(e)) => {
                eprintln!("error: {e}");
                problems.push(format!("{name}: {}", e.lines().next().unwrap_or("failed")));
            }
            Err(_) => problems.push(format!("{name}: panicked")),
        }
    }
    if problems.is_empty() {
        Outcome::Passed("schemas in step, data valid".into())
    } else {
        Outcome::Failed(problems.join("; "))
    }
}

fn end_to_end(tc: &Toolchain, chromium: PathBuf, dist: PathBuf) -> Outcome {
    // Screenshots left there are from this run's failures only.
    let artifacts = crate::root().join("tests").join("artifacts");
    if artifacts.exists()
        && let Err(e) = std::fs::remove_dir_all(&artifacts)
    {
        return Outcome::Failed(format!("cannot clear {}: {e}", artifacts.display()));
    }
    let mut cmd = tc.command(&tools::cargo().to_string_lossy());
    cmd.args([
        "test",
        "--no-fail-fast",
        "-p",
        "lilong-e2e",
        "--",
        "--show-output",
    ])
    .env("LILONG_DIST", dist)
    .env("LILONG_CHROMIUM", chromium)
    // A failing test's error is its message; the error type's backtrace would bury it.
    .env("RUST_LIB_BACKTRACE", "0");
    let outcome = cargo_test(cmd);
    let shots = std::fs::read_dir(&artifacts)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with("-failure.png"))
                .count()
        })
        .unwrap_or(0);
    if shots > 0 {
        println!(
            "{shots} screenshot(s) of failing pages in {}",
            artifacts.display()
        );
    }
    outcome
}

/// Test counts summed over every `test result:` line of a cargo test run.
#[derive(Debug, Default, PartialEq)]
pub struct Counts {
    pub passed: u32,
    pub failed: u32,
    pub ignored: u32,
}

impl Counts {
    /// Adds one `test result: ok. 3 passed; 0 failed; 1 ignored; …` line; other lines are ignored.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        let words: Vec<&str> = rest
            .split(|c: char| c.is_whitespace() || c == ';')
            .collect();
        for pair in words.windows(2) {
            if let Ok(n) = pair[0].parse::<u32>() {
                match pair[1] {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.ignored += n,
                    _ => {}
                }
            }
        }
    }
}

/// Runs a `cargo test`, streaming its output while counting the results.
fn cargo_test(mut cmd: Command) -> Outcome {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    println!("$ {shown}");
    let mut child = match cmd
        .current_dir(crate::root())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(format!("cannot run {shown}: {e}")),
    };
    let mut counts = Counts::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            counts.add_line(&line);
        }
    }
    let status = match child.wait() {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(format!("{shown}: {e}")),
    };
    let ignored = if counts.ignored > 0 {
        format!(", {} ignored", counts.ignored)
    } else {
        String::new()
    };
    let detail = format!(
        "{} passed, {} failed{ignored}",
        counts.passed, counts.failed
    );
    if status.success() && counts.failed == 0 {
        if counts.passed == 0 {
            Outcome::Failed("no test ran".into())
        } else {
            Outcome::Passed(detail)
        }
    } else if counts.passed + counts.failed == 0 {
        Outcome::Failed(format!("did not build or run ({status})"))
    } else {
        Outcome::Failed(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;

    #[test]
    fn counts_add_up_over_test_binaries() {
        let mut c = Counts::default();
        c.add_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        c.add_line("running 3 tests");
        c.add_line("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 9.30s");
        assert_eq!(
            c,
            Counts {
                passed: 14,
                failed: 1,
                ignored: 1
            }
        );
    }

    #[test]
    fn other_lines_count_nothing() {
        let mut c = Counts::default();
        c.add_line("test foundation::title ... ok");
        c.add_line("the test result: 3 passed");
        assert_eq!(c, Counts::default());
    }
}
