//! `cargo xtask bench`: lilong beside Leaflet at city scale, in headless Chromium.

pub fn bench(_args: &[String]) -> Result<(), String> {
    Err("bench: not yet".into())
}
