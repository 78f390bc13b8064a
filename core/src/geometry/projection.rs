//! Web Mercator (EPSG:3857) and the map's viewport.
//!
//! World coordinates are Web Mercator metres, `x` east and `y` north, as in EPSG:3857.
//! Screen coordinates are CSS pixels from the top-left corner of the map, `y` down.
//! A [`Viewport`] maps one to the other with a centre (world), a scale (pixels per world
//! metre) and a size (pixels). Every gesture goes through [`Viewport::zoom_around`],
//! [`Viewport::pan`] and then [`Viewport::clamp`], so the map can never be lost.
//!
//! ```
//! use lilong_core::geometry::projection::{project, unproject, Viewport};
//! use geo::{coord, Rect};
//!
//! // People's Square, Shanghai.
//! let w = project(coord! { x: 121.4737, y: 31.2304 });
//! let back = unproject(w);
//! assert!((back.x - 121.4737).abs() < 1e-9 && (back.y - 31.2304).abs() < 1e-9);
//!
//! // Fit a 10 km square into a 1000 × 500 px map with 20 px of padding:
//! // the height limits the scale, (500 - 40) px / 10 000 m.
//! let b = Rect::new(coord! { x: w.x - 5000.0, y: w.y - 5000.0 },
//!                   coord! { x: w.x + 5000.0, y: w.y + 5000.0 });
//! let v = Viewport::new(1000.0, 500.0).fit_bounds(b, 20.0);
//! assert!((v.scale - 0.046).abs() < 1e-12);
//! let centre = v.to_screen(w);
//! assert!((centre.x - 500.0).abs() < 1e-6 && (centre.y - 250.0).abs() < 1e-6);
//! ```

use geo::{Coord, Rect, coord};
use std::f64::consts::PI;

/// Radius of the Web Mercator sphere (the WGS84 semi-major axis), in metres.
pub const EARTH_RADIUS: f64 = 6_378_137.0;

/// The largest latitude Web Mercator represents (the world is then a square).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Projects a WGS84 position (`x` = longitude, `y` = latitude, degrees) to Web Mercator
/// metres. Latitudes beyond ±[`MAX_LATITUDE`] are clamped to it.
pub fn project(lonlat: Coord<f64>) -> Coord<f64> {
    let lat = lonlat.y.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    coord! {
        x: EARTH_RADIUS * lonlat.x.to_radians(),
        y: EARTH_RADIUS * (PI / 4.0 + lat / 2.0).tan().ln(),
    }
}

/// The inverse of [`project`]: Web Mercator metres to WGS84 degrees.
pub fn unproject(world: Coord<f64>) -> Coord<f64> {
    coord! {
        x: (world.x / EARTH_RADIUS).to_degrees(),
        y: (2.0 * (world.y / EARTH_RADIUS).exp().atan() - PI / 2.0).to_degrees(),
    }
}

/// Web Mercator for many points within a band of latitudes, as at load time: `y` is
/// interpolated (cubic Hermite, with the exact derivative R / cos φ) between exact values
/// every 0.01°, which agrees with [`project`] to far below a millimetre (the error bound
/// is about 10⁻¹⁰ m) without a tangent and a logarithm per point. Latitudes outside the
/// band go through [`project`].
///
/// ```
/// use geo::coord;
/// use lilong_core::geometry::projection::{project, BandProjector};
/// let fast = BandProjector::new(30.6, 31.9);
/// let c = coord! { x: 121.4737, y: 31.2304 };
/// assert!((fast.project(c).y - project(c).y).abs() < 1e-6);
/// assert_eq!(fast.project(c).x, project(c).x);
/// ```
#[derive(Clone, Debug)]
pub struct BandProjector {
    lat0: f64,
    n: usize,
    /// Exact `y` at `lat0 + i × STEP`.
    ys: Vec<f64>,
    /// d`y`/d(lat) × STEP at the same latitudes.
    slopes: Vec<f64>,
}

impl BandProjector {
    /// Table spacing in degrees of latitude.
    const STEP: f64 = 0.01;

    /// A projector for latitudes in `[min_lat, max_lat]` (degrees). The table holds two
    /// numbers per 0.01° (at most 36,000 entries for the whole world).
    pub fn new(min_lat: f64, max_lat: f64) -> BandProjector {
        let lo = min_lat.clamp(-MAX_LATITUDE, MAX_LATITUDE);
        let hi = max_lat.clamp(-MAX_LATITUDE, MAX_LATITUDE);
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return BandProjector {
                lat0: 0.0,
                n: 0,
                ys: Vec::new(),
                slopes: Vec::new(),
            };
        }
        let lat0 = (lo / Self::STEP).floor() * Self::STEP;
        let n = ((hi - lat0) / Self::STEP).ceil() as usize + 1;
        let mut ys = Vec::with_capacity(n + 1);
        let mut slopes = Vec::with_capacity(n + 1);
        for i in 0..=n {
            let lat = (lat0 + i as f64 * Self::STEP).min(MAX_LATITUDE);
            ys.push(project(coord! { x: 0.0, y: lat }).y);
            slopes.push(EARTH_RADIUS * Self::STEP.to_radians() / lat.to_radians().cos());
        }
        BandProjector {
            lat0,
            n,
            ys,
            slopes,
        }
    }

    /// As [`project`].
    #[inline]
    pub fn project(&self, lonlat: Coord<f64>) -> Coord<f64> {
        let f = (lonlat.y - self.lat0) / Self::STEP;
        let i = f.floor();
        if !(i >= 0.0 && (i as usize) < self.n) {
            return project(lonlat);
        }
        let k = i as usize;
        let t = f - i;
        let (t2, t3) = (t * t, t * t * t);
        let y = (2.0 * t3 - 3.0 * t2 + 1.0) * self.ys[k]
            + (t3 - 2.0 * t2 + t) * self.slopes[k]
            + (-2.0 * t3 + 3.0 * t2) * self.ys[k + 1]
            + (t3 - t2) * self.slopes[k + 1];
        coord! { x: EARTH_RADIUS * lonlat.x.to_radians(), y: y }
    }
}

/// Projects a WGS84 rectangle (`[west, south, east, north]` as corners) to world metres.
pub fn project_rect(lonlat: Rect<f64>) -> Rect<f64> {
    Rect::new(project(lonlat.min()), project(lonlat.max()))
}

/// What the view may do: the scale range (pixels per world metre) and the rectangle
/// (world) the centre must stay in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// World rectangle the centre of the view must stay inside.
    pub bounds: Rect<f64>,
    /// Smallest scale allowed (most zoomed out).
    pub min_scale: f64,
    /// Largest scale allowed (most zoomed in).
    pub max_scale: f64,
}

impl Limits {
    /// Sensible limits for data covering `bounds` (world) on a map of `width` × `height`
    /// pixels: zoom out to half the scale that fits the whole data, zoom in to
    /// `max_scale` pixels per metre (4 px/m shows a house clearly; below that no
    /// data is drawn in more detail), the centre always over the data.
    pub fn for_bounds(bounds: Rect<f64>, width: f64, height: f64, max_scale: f64) -> Limits {
        let fit = Viewport::new(width, height).fit_bounds(bounds, 0.0).scale;
        let min_scale = fit / 2.0;
        Limits {
            bounds,
            min_scale: min_scale.min(max_scale),
            max_scale: max_scale.max(min_scale),
        }
    }
}

/// The part of the world shown on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// World position at the centre of the map.
    pub center_world: Coord<f64>,
    /// Pixels per world metre.
    pub scale: f64,
    /// Map width in CSS pixels.
    pub width: f64,
    /// Map height in CSS pixels.
    pub height: f64,
}

impl Viewport {
    /// A viewport of the given size centred on the world origin at scale 1.
    pub fn new(width: f64, height: f64) -> Viewport {
        Viewport {
            center_world: coord! { x: 0.0, y: 0.0 },
            scale: 1.0,
            width,
            height,
        }
    }

    /// Screen position (pixels, `y` down) of a world position.
    pub fn to_screen(&self, world: Coord<f64>) -> Coord<f64> {
        coord! {
            x: (world.x - self.center_world.x) * self.scale + self.width / 2.0,
            y: (self.center_world.y - world.y) * self.scale + self.height / 2.0,
        }
    }

    /// World position under a screen position.
    pub fn to_world(&self, screen: Coord<f64>) -> Coord<f64> {
        coord! {
            x: self.center_world.x + (screen.x - self.width / 2.0) / self.scale,
            y: self.center_world.y - (screen.y - self.height / 2.0) / self.scale,
        }
    }

    /// The world rectangle the map shows.
    pub fn world_bounds(&self) -> Rect<f64> {
        Rect::new(
            self.to_world(coord! { x: 0.0, y: 0.0 }),
            self.to_world(coord! { x: self.width, y: self.height }),
        )
    }

    /// The same viewport (same size) showing all of `bounds` (world), centred, leaving at
    /// least `padding` pixels on every side. An empty rectangle (a point) keeps the scale.
    pub fn fit_bounds(&self, bounds: Rect<f64>, padding: f64) -> Viewport {
        let avail_w = (self.width - 2.0 * padding).max(1.0);
        let avail_h = (self.height - 2.0 * padding).max(1.0);
        let (bw, bh) = (bounds.width(), bounds.height());
        let scale = match (bw > 0.0, bh > 0.0) {
            (true, true) => (avail_w / bw).min(avail_h / bh),
            (true, false) => avail_w / bw,
            (false, true) => avail_h / bh,
            (false, false) => self.scale,
        };
        Viewport {
            center_world: bounds.center(),
            scale,
            ..*self
        }
    }

    /// Zooms by `factor` (2 = twice as close) keeping the world point under `screen`
    /// where it is on the screen (wheel and pinch zoom around the cursor).
    pub fn zoom_around(&self, screen: Coord<f64>, factor: f64) -> Viewport {
        if !(factor.is_finite() && factor > 0.0) {
            return *self;
        }
        let anchor = self.to_world(screen);
        let scale = self.scale * factor;
        Viewport {
            center_world: coord! {
                x: anchor.x - (screen.x - self.width / 2.0) / scale,
                y: anchor.y + (screen.y - self.height / 2.0) / scale,
            },
            scale,
            ..*self
        }
    }

    /// Moves the map content by `dx`, `dy` pixels (a drag to the right moves the content
    /// right, so the centre moves west).
    pub fn pan(&self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            center_world: coord! {
                x: self.center_world.x - dx / self.scale,
                y: self.center_world.y + dy / self.scale,
            },
            ..*self
        }
    }

    /// The same view brought inside `limits`: scale within its range, centre inside its
    /// bounds. A non-finite centre or scale (from a broken gesture) is reset to the
    /// centre of the bounds and the smallest scale.
    pub fn clamp(&self, limits: &Limits) -> Viewport {
        let b = limits.bounds;
        let scale = if self.scale.is_finite() {
            self.scale.clamp(limits.min_scale, limits.max_scale)
        } else {
            limits.min_scale
        };
        let c = self.center_world;
        let center_world = if c.x.is_finite() && c.y.is_finite() {
            coord! {
                x: c.x.clamp(b.min().x, b.max().x),
                y: c.y.clamp(b.min().y, b.max().y),
            }
        } else {
            b.center()
        };
        Viewport {
            center_world,
            scale,
            ..*self
        }
    }

    /// Ground metres per screen pixel at the latitude of the centre of the view
    /// (Web Mercator stretches by 1 / cos(latitude)).
    pub fn metres_per_pixel(&self) -> f64 {
        let lat = unproject(self.center_world).y.to_radians();
        lat.cos() / self.scale
    }

    /// A scale bar no longer than `max_px` pixels, with a "nice" length in metres.
    pub fn scale_bar(&self, max_px: f64) -> ScaleBar {
        let mpp = self.metres_per_pixel();
        let metres = nice_length(max_px * mpp);
        ScaleBar {
            metres,
            px: metres / mpp,
        }
    }

    /// `[a, b, c, d, e, f]` for Canvas 2D's `setTransform`, mapping coordinates stored
    /// relative to `origin` (world), as in the levels of detail, to screen pixels
    /// (multiply by the device pixel ratio first for a high-density canvas).
    pub fn canvas_transform(&self, origin: Coord<f64>) -> [f64; 6] {
        let o = self.to_screen(origin);
        [self.scale, 0.0, 0.0, -self.scale, o.x, o.y]
    }
}

/// A scale bar: its length on the ground and on the screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScaleBar {
    /// Ground length in metres: 1, 2 or 5 × 10ⁿ.
    pub metres: f64,
    /// Screen length in pixels.
    pub px: f64,
}

/// The largest length of the form 1, 2 or 5 × 10ⁿ metres not above `max_metres`
/// (and at least 1 cm; 0 for a non-positive or non-finite input).
///
/// ```
/// use lilong_core::geometry::projection::nice_length;
/// assert_eq!(nice_length(730.0), 500.0);
/// assert_eq!(nice_length(1999.0), 1000.0);
/// assert_eq!(nice_length(2000.0), 2000.0);
/// ```
pub fn nice_length(max_metres: f64) -> f64 {
    if !(max_metres.is_finite() && max_metres > 0.0) {
        return 0.0;
    }
    let max_metres = max_metres.max(0.01);
    let exp = max_metres.log10().floor();
    let pow = 10f64.powf(exp);
    // Guard against log10 rounding: step down if the power itself is too large.
    let pow = if pow > max_metres * (1.0 + 1e-12) {
        pow / 10.0
    } else {
        pow
    };
    let step = [5.0, 2.0, 1.0]
        .into_iter()
        .find(|m| m * pow <= max_metres * (1.0 + 1e-12))
        .unwrap_or(1.0);
    step * pow
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() <= eps
    }

    #[test]
    fn known_values() {
        let o = project(coord! { x: 0.0, y: 0.0 });
        assert!(close(o.x, 0.0, 1e-9) && close(o.y, 0.0, 1e-9));
        // The corner of the Web Mercator square.
        let c = project(coord! { x: 180.0, y: MAX_LATITUDE });
        assert!(close(c.x, 20_037_508.342_789_244, 1e-6));
        assert!(close(c.y, 20_037_508.342_789_244, 1e-3));
        // People's Square, Shanghai (EPSG:3857 by the spherical formula, computed apart).
        let p = project(coord! { x: 121.4737, y: 31.2304 });
        assert!(close(p.x, 13_522_390.429, 1e-3), "{p:?}");
        assert!(close(p.y, 3_662_707.257, 1e-3), "{p:?}");
    }

    #[test]
    fn band_projector_agrees_with_project() {
        let fast = BandProjector::new(30.6, 31.95);
        let mut seed: u64 = 5;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 11) as f64) / ((1u64 << 53) as f64)
        };
        let mut worst: f64 = 0.0;
        for _ in 0..100_000 {
            let c = coord! { x: 120.8 + rnd() * 1.4, y: 30.6 + rnd() * 1.35 };
            let (a, b) = (fast.project(c), project(c));
            assert_eq!(a.x, b.x);
            worst = worst.max((a.y - b.y).abs());
        }
        assert!(worst < 1e-6, "worst {worst} m");
        // Table ends and beyond: exact.
        for lat in [30.6, 31.95, 29.0, 40.0, -10.0, 89.0, f64::NAN] {
            let c = coord! { x: 121.0, y: lat };
            let (a, b) = (fast.project(c), project(c));
            assert!(
                a.y == b.y || (a.y - b.y).abs() < 1e-6 || (a.y.is_nan() && b.y.is_nan()),
                "{lat}"
            );
        }
        // A degenerate band projects everything exactly.
        let none = BandProjector::new(f64::NAN, 3.0);
        let c = coord! { x: 1.0, y: 2.0 };
        assert_eq!(none.project(c), project(c));
    }

    #[test]
    fn round_trips() {
        for &(lon, lat) in &[
            (121.4737, 31.2304),
            (-74.0, 40.7),
            (0.0, 0.0),
            (179.9, -80.0),
            (121.9, 30.7),
        ] {
            let back = unproject(project(coord! { x: lon, y: lat }));
            assert!(close(back.x, lon, 1e-9) && close(back.y, lat, 1e-9));
        }
        let v = Viewport {
            center_world: project(coord! { x: 121.47, y: 31.23 }),
            scale: 0.37,
            width: 390.0,
            height: 844.0,
        };
        for &(x, y) in &[(0.0, 0.0), (390.0, 844.0), (12.5, 700.25)] {
            let s = v.to_screen(v.to_world(coord! { x: x, y: y }));
            assert!(close(s.x, x, 1e-6) && close(s.y, y, 1e-6));
        }
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let v = Viewport::new(100.0, 100.0);
        let ne = v.to_screen(coord! { x: 10.0, y: 10.0 });
        assert!(ne.x > 50.0 && ne.y < 50.0);
    }

    #[test]
    fn fit_bounds_shows_everything_with_padding() {
        let b = Rect::new(
            coord! { x: 1000.0, y: 2000.0 },
            coord! { x: 5000.0, y: 3000.0 },
        );
        let v = Viewport::new(800.0, 600.0).fit_bounds(b, 40.0);
        let tl = v.to_screen(coord! { x: 1000.0, y: 3000.0 });
        let br = v.to_screen(coord! { x: 5000.0, y: 2000.0 });
        // The width limits: 720 px for 4000 m, centred vertically.
        assert!(close(tl.x, 40.0, 1e-9) && close(br.x, 760.0, 1e-9));
        assert!(tl.y >= 40.0 && br.y <= 560.0);
        assert!(close((tl.y + br.y) / 2.0, 300.0, 1e-9));
        // A point keeps the scale and centres on it.
        let p = Rect::new(coord! { x: 7.0, y: 8.0 }, coord! { x: 7.0, y: 8.0 });
        let w = v.fit_bounds(p, 10.0);
        assert_eq!(w.scale, v.scale);
        assert_eq!(w.center_world, coord! { x: 7.0, y: 8.0 });
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let v = Viewport {
            center_world: coord! { x: 100.0, y: 200.0 },
            scale: 0.5,
            width: 640.0,
            height: 480.0,
        };
        let cursor = coord! { x: 100.0, y: 400.0 };
        let before = v.to_world(cursor);
        let z = v.zoom_around(cursor, 3.0);
        assert!(close(z.scale, 1.5, 1e-12));
        let after = z.to_world(cursor);
        assert!(close(before.x, after.x, 1e-9) && close(before.y, after.y, 1e-9));
        // Zooming in and out again returns to the same view.
        let back = z.zoom_around(cursor, 1.0 / 3.0);
        assert!(close(back.center_world.x, 100.0, 1e-9));
        assert!(close(back.center_world.y, 200.0, 1e-9));
        // A nonsensical factor changes nothing.
        assert_eq!(v.zoom_around(cursor, 0.0), v);
        assert_eq!(v.zoom_around(cursor, f64::NAN), v);
    }

    #[test]
    fn pan_moves_the_content_with_the_finger() {
        let v = Viewport {
            center_world: coord! { x: 0.0, y: 0.0 },
            scale: 2.0,
            width: 200.0,
            height: 200.0,
        };
        let p = coord! { x: 10.0, y: -5.0 };
        let s0 = v.to_screen(p);
        let s1 = v.pan(30.0, -12.0).to_screen(p);
        assert!(close(s1.x - s0.x, 30.0, 1e-9) && close(s1.y - s0.y, -12.0, 1e-9));
    }

    #[test]
    fn zoom_and_pan_are_bounded() {
        let b = Rect::new(
            coord! { x: 0.0, y: 0.0 },
            coord! { x: 10_000.0, y: 5_000.0 },
        );
        let limits = Limits::for_bounds(b, 1000.0, 500.0, 4.0);
        assert!(close(limits.min_scale, 0.05, 1e-12));
        assert_eq!(limits.max_scale, 4.0);
        let v = Viewport::new(1000.0, 500.0).fit_bounds(b, 0.0);
        // Zooming out a thousand times stops at the smallest scale.
        let mut z = v;
        for _ in 0..1000 {
            z = z.zoom_around(coord! { x: 3.0, y: 3.0 }, 0.5).clamp(&limits);
        }
        assert!(close(z.scale, limits.min_scale, 1e-12));
        // Zooming in stops at the largest.
        for _ in 0..1000 {
            z = z
                .zoom_around(coord! { x: 900.0, y: 3.0 }, 2.0)
                .clamp(&limits);
        }
        assert!(close(z.scale, 4.0, 1e-12));
        // Flinging the map far away leaves the centre over the data.
        let far = z.pan(1e9, -1e9).clamp(&limits);
        assert!(on_edge(b, far.center_world));
        assert_eq!(far.center_world, coord! { x: 0.0, y: 0.0 });
        // A broken view is reset to somewhere sensible.
        let broken = Viewport {
            scale: f64::NAN,
            center_world: coord! { x: f64::INFINITY, y: 1.0 },
            ..v
        };
        let fixed = broken.clamp(&limits);
        assert_eq!(fixed.center_world, b.center());
        assert_eq!(fixed.scale, limits.min_scale);
    }

    fn on_edge(b: Rect<f64>, c: Coord<f64>) -> bool {
        c.x >= b.min().x && c.x <= b.max().x && c.y >= b.min().y && c.y <= b.max().y
    }

    #[test]
    fn metres_per_pixel_follows_latitude() {
        // At the equator one world metre is one ground metre.
        let v = Viewport {
            center_world: coord! { x: 0.0, y: 0.0 },
            scale: 0.5,
            width: 100.0,
            height: 100.0,
        };
        assert!(close(v.metres_per_pixel(), 2.0, 1e-9));
        // At 60° north the map is stretched twice.
        let north = Viewport {
            center_world: project(coord! { x: 0.0, y: 60.0 }),
            ..v
        };
        assert!(close(north.metres_per_pixel(), 1.0, 1e-9));
    }

    #[test]
    fn nice_lengths() {
        let cases = [
            (1.0, 1.0),
            (1.5, 1.0),
            (2.0, 2.0),
            (4.99, 2.0),
            (5.0, 5.0),
            (9.99, 5.0),
            (10.0, 10.0),
            (0.3, 0.2),
            (0.001, 0.01),
            (123_456.0, 100_000.0),
            (260.0, 200.0),
            (999.0, 500.0),
        ];
        for (max, want) in cases {
            assert!(close(nice_length(max), want, want * 1e-12), "{max}");
        }
        assert_eq!(nice_length(0.0), 0.0);
        assert_eq!(nice_length(-3.0), 0.0);
        assert_eq!(nice_length(f64::NAN), 0.0);
    }

    #[test]
    fn scale_bar_is_nice_and_fits() {
        let v = Viewport {
            center_world: project(coord! { x: 121.47, y: 31.23 }),
            scale: 0.1,
            width: 1920.0,
            height: 1080.0,
        };
        let bar = v.scale_bar(120.0);
        // Never longer than asked, never shorter than 1/2.5 of it (5 → 2 is the widest step).
        assert!(bar.px <= 120.0 && bar.px >= 120.0 / 2.5);
        // 0.1 px per world metre at 31.23° N: about 8.55 m per px, 120 px ≈ 1 026 m.
        assert_eq!(bar.metres, 1000.0);
        assert!(close(bar.px * v.metres_per_pixel(), bar.metres, 1e-9));
    }

    #[test]
    fn canvas_transform_matches_to_screen() {
        let v = Viewport {
            center_world: coord! { x: 500.0, y: 800.0 },
            scale: 0.25,
            width: 300.0,
            height: 200.0,
        };
        let origin = coord! { x: 400.0, y: 700.0 };
        let [a, b, c, d, e, f] = v.canvas_transform(origin);
        let local = coord! { x: 37.0, y: -12.0 };
        let s = v.to_screen(origin + local);
        assert!(close(a * local.x + c * local.y + e, s.x, 1e-9));
        assert!(close(b * local.x + d * local.y + f, s.y, 1e-9));
    }
}
