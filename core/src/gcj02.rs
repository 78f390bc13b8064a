//! Conversion between GCJ-02 (the offset coordinates published by Chinese web maps such as
//! Amap, Tencent and Baidu's base layer) and WGS84 (what GeoJSON, RFC 7946, requires).
//!
//! GCJ-02 adds a deterministic, non-linear offset of a few hundred metres to WGS84 inside
//! China. The forward transform is public; the inverse has no closed form, so
//! [`to_wgs84`] inverts it by fixed-point iteration, converging to well under a centimetre.
//!
//! ```
//! use lilong_core::gcj02;
//! // The People's Square area of Shanghai, as read off a Chinese web map.
//! let (lon, lat) = gcj02::to_wgs84(121.4737, 31.2304);
//! // In Shanghai the WGS84 position lies about 500 m to the west and a little north.
//! assert!(lon < 121.4737 && lat > 31.2304);
//! let (back_lon, back_lat) = gcj02::from_wgs84(lon, lat);
//! assert!((back_lon - 121.4737).abs() < 1e-9 && (back_lat - 31.2304).abs() < 1e-9);
//! ```

use std::f64::consts::PI;

/// Semi-major axis of the Krasovsky 1940 ellipsoid used by the GCJ-02 transform.
const A: f64 = 6_378_245.0;
/// Its first eccentricity squared.
const EE: f64 = 0.006_693_421_622_965_943;

/// Whether a WGS84 position lies in the rough rectangle where GCJ-02 applies an offset.
/// Outside it the two systems coincide.
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// The GCJ-02 offset (Δlon, Δlat) in degrees at a WGS84 position.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (dlon, dlat)
}

/// Converts a WGS84 position to GCJ-02. Positions outside China are returned unchanged.
pub fn from_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = offset(lon, lat);
    (lon + dlon, lat + dlat)
}

/// Converts a GCJ-02 position (as copied from a Chinese web map) to WGS84.
/// Positions outside China are returned unchanged.
///
/// The inverse is found by iteration: start from the GCJ-02 position and correct by the
/// residual until it is below 1e-10 degrees (about 0.01 mm), at most 30 steps.
pub fn to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (mut wlon, mut wlat) = (lon, lat);
    for _ in 0..30 {
        let (glon, glat) = from_wgs84(wlon, wlat);
        let (elon, elat) = (glon - lon, glat - lat);
        wlon -= elon;
        wlat -= elat;
        if elon.abs() < 1e-10 && elat.abs() < 1e-10 {
            break;
        }
    }
    (wlon, wlat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in metres between two nearby positions (equirectangular, fine at this scale).
    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let k = 6_371_000.0 * PI / 180.0;
        let dx = (a.0 - b.0) * k * (a.1.to_radians()).cos();
        let dy = (a.1 - b.1) * k;
        (dx * dx + dy * dy).sqrt()
    }

    /// Known pairs (WGS84 → GCJ-02) published with the reference implementation of the
    /// transform (the widely used `eviltransform` / `coordtransform` test vectors), to 1e-6°.
    #[test]
    fn forward_matches_published_pairs() {
        // Tiananmen, Beijing.
        let (lon, lat) = from_wgs84(116.391_34, 39.907_39);
        assert!((lon - 116.397_58).abs() < 2e-5, "lon {lon}");
        assert!((lat - 39.908_79).abs() < 2e-5, "lat {lat}");
    }

    #[test]
    fn shanghai_offset_is_a_few_hundred_metres_to_the_east() {
        // People's Square, Shanghai (WGS84).
        let w = (121.470_5, 31.232_7);
        let g = from_wgs84(w.0, w.1);
        let d = metres(w, g);
        assert!((400.0..700.0).contains(&d), "offset {d} m");
        assert!(g.0 > w.0 && g.1 < w.1 + 0.01);
    }

    #[test]
    fn inverse_round_trips_to_a_millimetre() {
        for &(lon, lat) in &[
            (121.47, 31.23),
            (121.9, 30.9),
            (121.2, 31.6),
            (116.39, 39.9),
        ] {
            let (wlon, wlat) = to_wgs84(lon, lat);
            let (glon, glat) = from_wgs84(wlon, wlat);
            assert!(metres((glon, glat), (lon, lat)) < 0.001);
        }
    }

    #[test]
    fn outside_china_is_unchanged() {
        assert_eq!(to_wgs84(2.35, 48.85), (2.35, 48.85));
        assert_eq!(from_wgs84(-74.0, 40.7), (-74.0, 40.7));
    }
}
