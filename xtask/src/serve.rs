//! `cargo xtask serve [--port N]`: install what is missing, then `trunk serve`, which builds, serves
//! on 127.0.0.1 and rebuilds when a watched source or data file changes (Trunk.toml `[watch]`).

use crate::tools;

pub const DEFAULT_PORT: u16 = 8080;

pub fn serve(args: &[String]) -> Result<(), String> {
    let port = parse_port(args)?;
    let tc = tools::ensure_build_tools()?;
    println!("building, then serving the exhibit at http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    let root = crate::root();
    // The development build goes under target/, so dist/ only ever holds a release build.
    let dist = root.join("target").join("serve-dist");
    let status = tc
        .command("trunk")
        .args([
            "serve",
            "--offline",
            "--address",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .arg("--dist")
        .arg(&dist)
        .current_dir(&root)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .status()
        .map_err(|e| format!("cannot run trunk: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("trunk serve stopped ({status})"))
    }
}

/// `--port N` or `--port=N`; the default is 8080.
pub fn parse_port(args: &[String]) -> Result<u16, String> {
    let mut port = DEFAULT_PORT;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = if arg == "--port" {
            it.next()
                .ok_or("`--port` needs a number, e.g. `--port 8081`")?
                .as_str()
        } else if let Some(v) = arg.strip_prefix("--port=") {
            v
        } else {
            return Err(format!("unknown argument `{arg}` (serve takes `--port N`)"));
        };
        port = match value.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(format!("`{value}` is not a port number (1–65535)")),
        };
    }
    Ok(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn port_defaults_to_8080_and_can_be_changed() {
        assert_eq!(parse_port(&[]), Ok(8080));
        assert_eq!(parse_port(&args(&["--port", "8081"])), Ok(8081));
        assert_eq!(parse_port(&args(&["--port=9000"])), Ok(9000));
    }

    #[test]
    fn bad_ports_are_explained() {
        assert!(
            parse_port(&args(&["--port"]))
                .unwrap_err()
                .contains("needs a number")
        );
        assert!(
            parse_port(&args(&["--port", "0"]))
                .unwrap_err()
                .contains("not a port")
        );
        assert!(
            parse_port(&args(&["--port", "70000"]))
                .unwrap_err()
                .contains("not a port")
        );
        assert!(
            parse_port(&args(&["--release"]))
                .unwrap_err()
                .contains("unknown argument")
        );
    }
}
