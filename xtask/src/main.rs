//! `cargo xtask <chore>`: every chore of the project, in Rust, with no tool assumed present.
//!
//! Run `cargo xtask help` for the list.

mod basemap;
mod bench;
mod build;
mod city;
mod csp;
mod data;
mod districts;
mod fuzz;
mod serve;
mod test;
mod tools;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  serve [--port N]        install what is missing, build, serve the exhibit and rebuild on change
  build                   release build into dist/ and print compressed sizes
  test                    core tests, data check, release build, end-to-end tests in Chromium
  check-data [DIR] [--write-checked]
                          check the exhibit's data files (default: data/); with
                          --write-checked, also write DIR/checked.bin for the app
  csp [DIR]               write the content security policy into a built index.html (build does it)
  fuzz [--cases N]        fuzz the loader (default 1,000,000 inputs); findings go to tests/fuzz-corpus/
  import-gcj02 FILE       convert a GeoJSON file from GCJ-02 to WGS84 in place
  schemas [--check]       write data/schema/*.json from the core types (--check: fail on drift)
  import-districts        regenerate data/districts.geojson from ../shared/data
  import-basemap [--preview FILE.png]
                          regenerate data/basemap.geojson (streets and water) from the
                          OpenStreetMap extract in ../shared/data/basemap, with the Huangpu
                          through the centre derived from the district borders
  gen-city DIR            write a synthetic city-scale data set (every committee of Shanghai) to DIR
  bench                   measure lilong beside Leaflet in headless Chromium, print the table
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => ("help", &[][..]),
    };
    let result: Result<(), String> = match cmd {
        "serve" => serve::serve(rest),
        "build" => build::build(rest),
        "test" => test::test(rest),
        "check-data" => data::check_data(rest),
        "fuzz" => fuzz::fuzz(rest),
        "csp" => csp::csp_command(rest),
        "import-gcj02" => data::import_gcj02(rest),
        "schemas" => data::schemas(rest),
        "import-districts" => districts::import_districts(rest),
        "import-basemap" => basemap::import_basemap(rest),
        "gen-city" => city::gen_city(rest),
        "bench" => bench::bench(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's manifest directory).
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
