//! Levels of detail: every polygon simplified once, at load, for a few zoom bands, and
//! stored flat for a fast draw loop.
//!
//! Band 0 is the full detail. Band `k` is simplified with a tolerance of
//! [`Lod::tolerance`]`(k)` world metres; it is good for every scale at which that
//! tolerance is at most [`PIXEL_TOLERANCE`] pixels, and [`Lod::band_for`] picks the
//! coarsest such band.
//!
//! The simplification is Ramer–Douglas–Peucker, exactly as geo's `Simplify` computes it
//! for each tolerance, but run once per ring: [`rdp_importance`] gives every point the
//! largest tolerance at which RDP keeps it, and each band is then a filter. Building all
//! the bands of 6,500 polygons costs about one simplification instead of one per band
//! (geo's recursive implementation allocates at every step; at city scale that alone was
//! over the load budget). A simplified band is filtered the first time it is drawn. A
//! ring is never reduced below 4 points (a closed triangle), and a band that would keep
//! more than 80 % of the finer one's points is not built at all.
//!
//! Coordinates are `f32` pairs relative to [`Lod::origin`] (about 1 cm of precision over
//! 100 km), closed like GeoJSON rings (last point = first). Draw a polygon with
//! `moveTo` / `lineTo` over each of its rings, after setting the canvas transform from
//! [`super::projection::Viewport::canvas_transform`], and fill with the `evenodd` rule;
//! or build a `Path2D` once per polygon and band from [`Lod::write_svg_path`] and fill it
//! under the same transform at every redraw.
//!
//! ```
//! use geo::{coord, MultiPolygon};
//! use lilong_core::geometry::lod::Lod;
//!
//! // A 1 km square whose southern edge wobbles by 1 m every 10 m.
//! let mut ring = Vec::new();
//! for i in 0..100 {
//!     let wobble = if i % 2 == 0 { 0.0 } else { 1.0 };
//!     ring.push((i as f64 * 10.0, wobble));
//! }
//! ring.extend([(1000.0, 0.0), (1000.0, 1000.0), (0.0, 1000.0), (0.0, 0.0)]);
//! let square = MultiPolygon::new(vec![geo::Polygon::new(ring.into(), vec![])]);
//! let lod = Lod::new(&[square], coord! { x: 0.0, y: 0.0 }, vec![2.0, 8.0]);
//! // The 8 m band would be the same as the 2 m one: only one is built.
//! assert_eq!(lod.band_count(), 2);
//! assert_eq!(lod.vertex_count(0), 104);
//! assert_eq!(lod.vertex_count(1), 5); // the wobble is gone at 2 m
//! // At 1 px per metre the 2 m band would err by 2 px: use the full detail.
//! assert_eq!(lod.band_for(1.0), 0);
//! // At 0.2 px per metre it errs by 0.4 px.
//! assert_eq!(lod.band_for(0.2), 1);
//! let rings: Vec<&[f32]> = lod.rings(1, 0).collect();
//! assert_eq!(rings[0], &[0.0, 0.0, 1000.0, 0.0, 1000.0, 1000.0, 0.0, 1000.0, 0.0, 0.0]);
//! ```

use geo::{Coord, MultiPolygon, Rect};
use std::cell::OnceCell;

/// The largest error, in screen pixels, a band may show at the scales it is chosen for
/// (Leaflet's default `smoothFactor` is the same 1 px).
pub const PIXEL_TOLERANCE: f64 = 1.0;

/// A band is built only if it keeps at most this share of the points of the next finer one.
const MIN_REDUCTION: f64 = 0.8;

/// Where one ring's points (or one polygon's rings) are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// Tolerances (world metres, increasing) for data covering `bounds`: the coarsest is good
/// for the whole data on a map 500 px across (a phone), each next one is 4 times finer,
/// down to about 0.25 m. Band 0 (full detail) is implied.
pub fn default_tolerances(bounds: Rect<f64>) -> Vec<f64> {
    let extent = bounds.width().max(bounds.height());
    let mut coarsest = extent / 500.0 * PIXEL_TOLERANCE;
    if !coarsest.is_finite() {
        return Vec::new();
    }
    let mut t = Vec::new();
    while coarsest >= 0.25 && t.len() < 8 {
        t.push(coarsest);
        coarsest /= 4.0;
    }
    t.reverse();
    t
}

/// A segment prepared for many distance queries (the division done once).
struct Segment {
    a: Coord<f64>,
    d: Coord<f64>,
    /// 1 / |d|², or 0 for a segment of no length (then the distance is to `a`).
    inv_len2: f64,
}

impl Segment {
    fn new(a: Coord<f64>, b: Coord<f64>) -> Segment {
        let d = b - a;
        let len2 = d.x * d.x + d.y * d.y;
        Segment {
            a,
            d,
            inv_len2: if len2 > 0.0 { 1.0 / len2 } else { 0.0 },
        }
    }

    /// Squared distance from `p` to the segment.
    #[inline]
    fn distance2(&self, p: Coord<f64>) -> f64 {
        let (px, py) = (p.x - self.a.x, p.y - self.a.y);
        let t = ((px * self.d.x + py * self.d.y) * self.inv_len2).clamp(0.0, 1.0);
        let (ex, ey) = (t * self.d.x - px, t * self.d.y - py);
        ex * ex + ey * ey
    }
}

/// Ramer–Douglas–Peucker importance of each point of a line or closed ring: RDP with
/// tolerance `t` keeps point `i` exactly when `importance[i] > t`. The end points are
/// infinite. For a ring (first point = last, 4 points or more) the two most important
/// other points are made infinite too, so that no tolerance leaves fewer than 4 points.
///
/// RDP splits at the farthest point whatever the tolerance; the tolerance only decides
/// where the splitting stops. So a point survives when its own distance and the distances
/// of all the split points above it exceed the tolerance: its importance is the smallest
/// of them.
///
/// ```
/// use geo::coord;
/// use lilong_core::geometry::lod::rdp_importance;
/// let line = [coord! { x: 0.0, y: 0.0 }, coord! { x: 5.0, y: 1.0 }, coord! { x: 10.0, y: 0.0 }];
/// assert_eq!(rdp_importance(&line)[1], 1.0);
/// ```
pub fn rdp_importance(points: &[Coord<f64>]) -> Vec<f64> {
    let mut out = Vec::with_capacity(points.len());
    rdp_importance_into(points, &mut out, &mut Vec::new());
    out
}

/// [`rdp_importance`] appended to `out`, with a reusable work stack.
fn rdp_importance_into(
    points: &[Coord<f64>],
    out: &mut Vec<f64>,
    stack: &mut Vec<(usize, usize, f64)>,
) {
    let n = points.len();
    let base = out.len();
    out.resize(base + n, f64::INFINITY);
    if n < 3 {
        return;
    }
    let imp = &mut out[base..];
    stack.clear();
    stack.push((0, n - 1, f64::INFINITY));
    while let Some((s, e, parent)) = stack.pop() {
        if e <= s + 1 {
            continue;
        }
        let seg = Segment::new(points[s], points[e]);
        let (mut far, mut far_d2) = (s + 1, -1.0);
        for (k, p) in points[s + 1..e].iter().enumerate() {
            let d2 = seg.distance2(*p);
            // `>=`: the last of equally distant points, as geo's implementation picks.
            if d2 >= far_d2 {
                far = s + 1 + k;
                far_d2 = d2;
            }
        }
        let v = far_d2.sqrt().min(parent);
        imp[far] = v;
        stack.push((s, far, v));
        stack.push((far, e, v));
    }
    if points[0] == points[n - 1] && n >= 4 {
        // The two most important inner points join the end points: a triangle at least.
        let mut best = [(f64::NEG_INFINITY, 0usize); 2];
        for (k, &v) in imp.iter().enumerate().take(n - 1).skip(1) {
            if v > best[0].0 {
                best[1] = best[0];
                best[0] = (v, k);
            } else if v > best[1].0 {
                best[1] = (v, k);
            }
        }
        for (_, k) in best {
            if k > 0 {
                imp[k] = f64::INFINITY;
            }
        }
    }
}

/// One band's storage.
#[derive(Clone, Debug, Default)]
struct Band {
    /// x, y pairs relative to `origin`.
    coords: Vec<f32>,
    /// Rings: start (in points) and length of each.
    rings: Vec<Span>,
    /// For each polygon: first ring and ring count.
    polys: Vec<Span>,
}

impl Band {
    fn heap_bytes(&self) -> usize {
        self.coords.capacity() * 4 + (self.rings.capacity() + self.polys.capacity()) * 8
    }
}

/// The bands of detail of a list of polygons, in world coordinates.
///
/// The full detail and every point's importance are computed at once; a simplified band
/// is filtered from them the first time it is asked for (a few milliseconds at city
/// scale), so loading pays only for what the first view draws. A point's importance is kept
/// as one byte: how many of the candidate tolerances it survives.
#[derive(Debug)]
pub struct Lod {
    origin: Coord<f64>,
    tolerances: Vec<f64>,
    n_polys: usize,
    /// Band 0.
    full: Band,
    /// For each point of `full`, the number of candidate tolerances (sorted) at which RDP
    /// keeps it: it is in band `b` exactly when its level exceeds `candidate[b]`.
    levels: Vec<u8>,
    /// For each band, the index of its tolerance among the candidates (0 for band 0, unused).
    candidate: Vec<u8>,
    /// Bands 1.. (index `b - 1`), built on first use.
    bands: Vec<OnceCell<Band>>,
    vertex_counts: Vec<usize>,
}

impl Lod {
    /// Prepares the bands. `polys` are in world coordinates (metres, see
    /// [`super::projection::project`]); `origin` is subtracted before storing as `f32`
    /// (use the south-west corner of the data); `tolerances` are in world metres, one per
    /// band after the full detail (sorted; non-positive or non-finite ones dropped, and
    /// those that would simplify too little to be worth their memory; at most the 255
    /// smallest are used).
    pub fn new(polys: &[MultiPolygon<f64>], origin: Coord<f64>, mut tolerances: Vec<f64>) -> Lod {
        tolerances.retain(|t| t.is_finite() && *t > 0.0);
        tolerances.sort_unstable_by(f64::total_cmp);
        tolerances.dedup();
        tolerances.truncate(usize::from(u8::MAX));
        let tf: Vec<f32> = tolerances.iter().map(|&t| t as f32).collect();
        let n = polys.len();

        // The full detail, and every point's level.
        let total: usize = polys.iter().map(point_count).sum();
        let mut full = Band {
            coords: Vec::with_capacity(total * 2),
            rings: Vec::new(),
            polys: Vec::with_capacity(n),
        };
        let mut levels: Vec<u8> = Vec::with_capacity(total);
        let mut imp64: Vec<f64> = Vec::new();
        let mut stack = Vec::new();
        for mp in polys {
            let first = full.rings.len() as u32;
            for poly in &mp.0 {
                for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                    if ring.0.is_empty() {
                        continue;
                    }
                    full.rings.push(Span {
                        start: (full.coords.len() / 2) as u32,
                        len: ring.0.len() as u32,
                    });
                    for c in &ring.0 {
                        full.coords.push((c.x - origin.x) as f32);
                        full.coords.push((c.y - origin.y) as f32);
                    }
                    imp64.clear();
                    rdp_importance_into(&ring.0, &mut imp64, &mut stack);
                    levels.extend(imp64.iter().map(|&v| {
                        // Rounded down to f32, so `> t` never keeps a point RDP would drop;
                        // the tolerances it exceeds are the first ones (they are sorted).
                        let f = v as f32;
                        let f = if f as f64 > v { f.next_down() } else { f };
                        tf.iter().take_while(|&&t| f > t).count() as u8
                    }));
                }
            }
            full.polys.push(Span {
                start: first,
                len: full.rings.len() as u32 - first,
            });
        }
        full.rings.shrink_to_fit();

        // Points kept at each candidate tolerance.
        let mut at_least = vec![0usize; tf.len() + 1];
        for &l in &levels {
            at_least[usize::from(l)] += 1;
        }
        for k in (0..tf.len()).rev() {
            at_least[k] += at_least[k + 1];
        }
        // Keep only the bands that simplify enough.
        let mut kept = vec![0.0];
        let mut candidate = vec![0u8];
        let mut counts = vec![levels.len()];
        for (k, t) in tolerances.into_iter().enumerate() {
            let count = at_least[k + 1];
            if (count as f64) <= MIN_REDUCTION * counts[counts.len() - 1] as f64 {
                kept.push(t);
                candidate.push(k as u8);
                counts.push(count);
            }
        }
        Lod {
            origin,
            n_polys: n,
            full,
            levels,
            candidate,
            bands: (1..kept.len()).map(|_| OnceCell::new()).collect(),
            vertex_counts: counts,
            tolerances: kept,
        }
    }

    /// Levels of detail of no polygons.
    pub fn empty() -> Lod {
        Lod {
            origin: Coord { x: 0.0, y: 0.0 },
            tolerances: vec![0.0],
            n_polys: 0,
            full: Band::default(),
            levels: Vec::new(),
            candidate: vec![0],
            bands: Vec::new(),
            vertex_counts: vec![0],
        }
    }

    /// Filters band `b` (≥ 1) from the full detail.
    fn build(&self, b: usize) -> Band {
        let c = self.candidate.get(b).copied().unwrap_or(0);
        let mut band = Band {
            coords: Vec::with_capacity(self.vertex_count(b) * 2),
            rings: Vec::with_capacity(self.full.rings.len()),
            polys: Vec::with_capacity(self.n_polys),
        };
        for p in &self.full.polys {
            let first = band.rings.len() as u32;
            for r in &self.full.rings[p.start as usize..(p.start + p.len) as usize] {
                let start = (band.coords.len() / 2) as u32;
                let range = r.start as usize..(r.start + r.len) as usize;
                for i in range {
                    if self.levels[i] > c {
                        band.coords.push(self.full.coords[2 * i]);
                        band.coords.push(self.full.coords[2 * i + 1]);
                    }
                }
                band.rings.push(Span {
                    start,
                    len: (band.coords.len() / 2) as u32 - start,
                });
            }
            band.polys.push(Span {
                start: first,
                len: band.rings.len() as u32 - first,
            });
        }
        band
    }

    fn band(&self, b: usize) -> Option<&Band> {
        if b == 0 {
            return Some(&self.full);
        }
        let cell = self.bands.get(b - 1)?;
        Some(cell.get_or_init(|| self.build(b)))
    }

    /// Builds band `b` now if it is not built yet (bands are otherwise built on first use).
    pub fn prepare(&self, b: usize) {
        let _ = self.band(b);
    }

    /// Builds every band now (they are otherwise built on first use).
    pub fn build_all(&self) {
        for b in 1..self.band_count() {
            let _ = self.band(b);
        }
    }

    /// Appends the full detail, every point's importance and the choice of bands to `out`,
    /// for [`crate::checked`]; [`Lod::decode`] reads them back and the simplified bands are
    /// filtered from them on use, as after [`Lod::new`].
    pub fn encode(&self, out: &mut Vec<u8>) {
        use crate::wire::*;
        put_f64(out, self.origin.x);
        put_f64(out, self.origin.y);
        put_u32(out, self.n_polys as u32);
        put_f64s(out, &self.tolerances);
        put_bytes(out, &self.candidate);
        let counts: Vec<u32> = self.vertex_counts.iter().map(|&c| c as u32).collect();
        put_u32s(out, &counts);
        put_f32s(out, &self.full.coords);
        let spans = |v: &[Span]| -> Vec<u32> { v.iter().flat_map(|s| [s.start, s.len]).collect() };
        put_u32s(out, &spans(&self.full.rings));
        put_u32s(out, &spans(&self.full.polys));
        put_bytes(out, &self.levels);
    }

    /// Reads what [`Lod::encode`] wrote. Every span is checked against the arrays it points
    /// into, so a corrupt input is an error here, never a panic later.
    pub fn decode(r: &mut crate::wire::Reader) -> Result<Lod, crate::wire::WireError> {
        use crate::wire::WireError;
        let at = r.position();
        let bad = |what| WireError { at, what };
        let origin = Coord {
            x: r.f64()?,
            y: r.f64()?,
        };
        let n_polys = r.u32()? as usize;
        let tolerances = r.f64s()?;
        let candidate = r.bytes()?.to_vec();
        let vertex_counts: Vec<usize> = r.u32s()?.into_iter().map(|c| c as usize).collect();
        let coords = r.f32s()?;
        let spans = |v: Vec<u32>| -> Vec<Span> {
            v.chunks_exact(2)
                .map(|c| Span {
                    start: c[0],
                    len: c[1],
                })
                .collect()
        };
        let rings = spans(r.u32s()?);
        let polys = spans(r.u32s()?);
        let levels = r.bytes()?.to_vec();
        let points = coords.len() / 2;
        let within = |s: &Span, n: usize| (s.start as usize).saturating_add(s.len as usize) <= n;
        if tolerances.is_empty()
            || candidate.len() != tolerances.len()
            || vertex_counts.len() != tolerances.len()
        {
            return Err(bad("levels of detail whose bands do not agree"));
        }
        if coords.len() % 2 != 0 || levels.len() != points || polys.len() != n_polys {
            return Err(bad("levels of detail whose arrays do not agree"));
        }
        if !rings.iter().all(|s| within(s, points)) || !polys.iter().all(|s| within(s, rings.len()))
        {
            return Err(bad("levels of detail with a ring or polygon out of range"));
        }
        Ok(Lod {
            origin,
            tolerances,
            n_polys,
            full: Band {
                coords,
                rings,
                polys,
            },
            levels,
            bands: (1..candidate.len()).map(|_| OnceCell::new()).collect(),
            candidate,
            vertex_counts,
        })
    }

    /// The world position that stored coordinates are relative to.
    pub fn origin(&self) -> Coord<f64> {
        self.origin
    }

    /// Number of bands, the full detail included.
    pub fn band_count(&self) -> usize {
        self.tolerances.len()
    }

    /// Simplification tolerance of a band, in world metres (0 for band 0).
    pub fn tolerance(&self, band: usize) -> f64 {
        self.tolerances.get(band).copied().unwrap_or(0.0)
    }

    /// The coarsest band whose tolerance shows as at most [`PIXEL_TOLERANCE`] pixels at
    /// `scale` (pixels per world metre).
    pub fn band_for(&self, scale: f64) -> usize {
        self.tolerances
            .iter()
            .rposition(|t| t * scale <= PIXEL_TOLERANCE)
            .unwrap_or(0)
    }

    /// Total number of points of a band over all polygons (what a full redraw costs).
    pub fn vertex_count(&self, band: usize) -> usize {
        self.vertex_counts.get(band).copied().unwrap_or(0)
    }

    /// Number of polygons.
    pub fn len(&self) -> usize {
        self.n_polys
    }

    /// Whether there are no polygons.
    pub fn is_empty(&self) -> bool {
        self.n_polys == 0
    }

    /// The rings of polygon `poly` at `band`: for each, its points as flat `x, y` pairs
    /// relative to [`Lod::origin`], closed. Empty when `poly` or `band` is out of range.
    pub fn rings(&self, band: usize, poly: usize) -> impl Iterator<Item = &[f32]> + '_ {
        let (data, span) = match self.band(band) {
            Some(d) => (d, d.polys.get(poly).copied()),
            None => (&self.full, None),
        };
        let span = span.unwrap_or(Span { start: 0, len: 0 });
        let rings = &data.rings[span.start as usize..(span.start + span.len) as usize];
        rings.iter().map(move |r| {
            let s = r.start as usize * 2;
            &data.coords[s..s + r.len as usize * 2]
        })
    }

    /// Appends polygon `poly` at `band` to `out` as SVG path data (`M x y L x y … Z` per
    /// ring, coordinates relative to [`Lod::origin`] to the centimetre), for a `Path2D`
    /// built once per polygon and band and then filled under
    /// [`super::projection::Viewport::canvas_transform`] at every redraw.
    ///
    /// ```
    /// use geo::{coord, polygon, MultiPolygon};
    /// use lilong_core::geometry::Lod;
    /// let sq = MultiPolygon::new(vec![polygon![(x: 1.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 2.5)]]);
    /// let lod = Lod::new(&[sq], coord! { x: 1.0, y: 1.0 }, vec![]);
    /// let mut d = String::new();
    /// lod.write_svg_path(0, 0, &mut d);
    /// assert_eq!(d, "M0 0L2 0L2 1.5Z");
    /// ```
    pub fn write_svg_path(&self, band: usize, poly: usize, out: &mut String) {
        use std::fmt::Write;
        for ring in self.rings(band, poly) {
            // The closing point repeats the first: `Z` says it.
            let n = ring.len() / 2;
            let open = if n > 1 && ring[0] == ring[2 * n - 2] && ring[1] == ring[2 * n - 1] {
                n - 1
            } else {
                n
            };
            for i in 0..open {
                let cmd = if i == 0 { 'M' } else { 'L' };
                let (x, y) = (round_cm(ring[2 * i]), round_cm(ring[2 * i + 1]));
                let _ = write!(out, "{cmd}{x} {y}");
            }
            if open > 0 {
                out.push('Z');
            }
        }
    }

    /// Bytes held by the stored coordinates, importances and spans of the bands built so
    /// far (for the memory budget).
    pub fn heap_bytes(&self) -> usize {
        self.full.heap_bytes()
            + self.levels.capacity()
            + self.candidate.capacity()
            + self
                .bands
                .iter()
                .filter_map(|b| b.get())
                .map(Band::heap_bytes)
                .sum::<usize>()
    }
}

/// A coordinate rounded to the centimetre, printed without trailing zeros.
fn round_cm(v: f32) -> f64 {
    let r = (v as f64 * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

fn point_count(mp: &MultiPolygon<f64>) -> usize {
    mp.0.iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, coord};

    /// A star-like polygon with `n` points and a hole, radius around `r`, centred at `c`.
    fn wobbly(c: Coord<f64>, r: f64, n: usize, seed: u64) -> MultiPolygon<f64> {
        let mut s = seed;
        let mut rnd = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) as f64) / ((1u64 << 31) as f64)
        };
        let ring = |rad: f64, rnd: &mut dyn FnMut() -> f64| {
            let mut pts: Vec<Coord<f64>> = (0..n)
                .map(|i| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    let rr = rad * (0.9 + 0.1 * rnd());
                    coord! { x: c.x + rr * a.cos(), y: c.y + rr * a.sin() }
                })
                .collect();
            pts.push(pts[0]);
            LineString::new(pts)
        };
        let ext = ring(r, &mut rnd);
        let mut hole = ring(r * 0.3, &mut rnd);
        hole.0.reverse();
        MultiPolygon::new(vec![Polygon::new(ext, vec![hole])])
    }

    #[test]
    fn rings_stay_closed_and_at_least_four_points_in_every_band() {
        let polys: Vec<_> = (0..50)
            .map(|i| wobbly(coord! { x: i as f64 * 300.0, y: 0.0 }, 100.0, 60, i))
            .collect();
        let lod = Lod::new(
            &polys,
            coord! { x: 0.0, y: 0.0 },
            vec![1.0, 5.0, 50.0, 500.0],
        );
        assert!(lod.band_count() >= 3);
        for b in 0..lod.band_count() {
            for p in 0..polys.len() {
                let rings: Vec<&[f32]> = lod.rings(b, p).collect();
                assert_eq!(rings.len(), 2, "exterior and hole kept");
                for r in rings {
                    assert!(r.len() >= 8, "band {b} poly {p}: {} points", r.len() / 2);
                    assert_eq!(r[0], r[r.len() - 2]);
                    assert_eq!(r[1], r[r.len() - 1]);
                }
            }
        }
        // Coarser bands have fewer points; 50 m on 100 m rings leaves triangles or nearly
        // (and the 500 m band, no simpler, is not built).
        for b in 1..lod.band_count() {
            assert!(lod.vertex_count(b) as f64 <= MIN_REDUCTION * lod.vertex_count(b - 1) as f64);
        }
        assert_eq!(lod.vertex_count(0), 50 * 122);
        let coarsest = lod.vertex_count(lod.band_count() - 1);
        assert!((50 * 8..=50 * 10).contains(&coarsest), "{coarsest}");
    }

    #[test]
    fn importance_filter_equals_geo_simplify_at_every_tolerance() {
        use geo::SimplifyIdx;
        for seed in 0..30 {
            let mp = wobbly(coord! { x: 0.0, y: 0.0 }, 100.0, 50 + seed as usize, seed);
            // An open line (geo keeps 2 points of a line, so no minimum interferes).
            let mut line = mp.0[0].exterior().clone();
            line.0.pop();
            let imp = rdp_importance(&line.0);
            for tol in [0.1, 0.5, 1.0, 2.0, 3.5, 5.0, 8.0, 13.0, 40.0, 150.0] {
                let ours: Vec<usize> = (0..imp.len()).filter(|&i| imp[i] > tol).collect();
                assert_eq!(ours, line.simplify_idx(tol), "seed {seed}, tolerance {tol}");
            }
        }
    }

    #[test]
    fn simplified_shape_stays_within_tolerance() {
        let poly = wobbly(coord! { x: 5000.0, y: 5000.0 }, 1000.0, 400, 7);
        let origin = coord! { x: 5000.0, y: 5000.0 };
        let lod = Lod::new(std::slice::from_ref(&poly), origin, vec![4.0, 16.0, 64.0]);
        assert_eq!(lod.band_count(), 4);
        use geo::{Distance, Euclidean, Point};
        for b in 1..lod.band_count() {
            let tol = lod.tolerance(b) + 1e-3;
            let ext: Vec<&[f32]> = lod.rings(b, 0).collect();
            let ls: LineString<f64> = ext[0]
                .chunks(2)
                .map(|c| (c[0] as f64 + origin.x, c[1] as f64 + origin.y))
                .collect::<Vec<_>>()
                .into();
            let mut worst: f64 = 0.0;
            for c in &poly.0[0].exterior().0 {
                worst = worst.max(Euclidean.distance(&Point::from(*c), &ls));
            }
            assert!(worst <= tol, "band {b}: a point is {worst} m off");
            // And the band is not needlessly detailed either.
            assert!(worst > lod.tolerance(b) / 4.0, "band {b}: worst {worst}");
        }
    }

    #[test]
    fn useless_bands_are_skipped_and_bands_are_built_on_first_use() {
        let square = MultiPolygon::new(vec![Polygon::new(
            vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]
            .into(),
            vec![],
        )]);
        // Alone, the square gives nothing to simplify: no band beyond the full detail.
        let lod = Lod::new(
            std::slice::from_ref(&square),
            coord! { x: 0.0, y: 0.0 },
            vec![1.0, 2.0, 3.0],
        );
        assert_eq!(lod.band_count(), 1);
        // Beside a detailed polygon, band 1 exists, and costs memory only once drawn.
        let detailed = wobbly(coord! { x: 500.0, y: 0.0 }, 100.0, 200, 3);
        let lod = Lod::new(&[square, detailed], coord! { x: 0.0, y: 0.0 }, vec![5.0]);
        assert_eq!(lod.band_count(), 2);
        let before = lod.heap_bytes();
        let square_rings: Vec<&[f32]> = lod.rings(1, 0).collect();
        assert_eq!(
            square_rings,
            vec![&[0.0, 0.0, 10.0, 0.0, 10.0, 10.0, 0.0, 10.0, 0.0, 0.0][..]]
        );
        assert!(lod.heap_bytes() > before);
        let points: usize = (0..2)
            .flat_map(|p| lod.rings(1, p))
            .map(|r| r.len() / 2)
            .sum();
        assert_eq!(points, lod.vertex_count(1));
    }

    #[test]
    fn svg_path_has_one_subpath_per_ring_and_follows_the_band() {
        let donut = wobbly(coord! { x: 1000.0, y: 1000.0 }, 100.0, 40, 9);
        let lod = Lod::new(
            std::slice::from_ref(&donut),
            coord! { x: 900.0, y: 900.0 },
            vec![30.0],
        );
        assert_eq!(lod.band_count(), 2);
        for band in 0..2 {
            let mut d = String::new();
            lod.write_svg_path(band, 0, &mut d);
            assert_eq!(d.matches('M').count(), 2, "{d}");
            assert_eq!(d.matches('Z').count(), 2);
            let points: usize = lod.rings(band, 0).map(|r| r.len() / 2 - 1).sum();
            assert_eq!(d.matches('L').count() + 2, points);
            assert!(!d.contains("NaN") && !d.contains('e'));
        }
        let mut d = String::new();
        lod.write_svg_path(0, 5, &mut d);
        assert!(d.is_empty());
    }

    #[test]
    fn band_choice() {
        let lod = Lod::new(
            &[],
            coord! { x: 0.0, y: 0.0 },
            vec![16.0, 1.0, 4.0, -1.0, f64::NAN],
        );
        assert_eq!(lod.band_count(), 4);
        assert_eq!(lod.tolerance(1), 1.0);
        assert_eq!(lod.band_for(10.0), 0); // 1 m = 10 px
        assert_eq!(lod.band_for(0.5), 1); // 1 m = 0.5 px, 4 m = 2 px
        assert_eq!(lod.band_for(0.1), 2); // 4 m = 0.4 px, 16 m = 1.6 px
        assert_eq!(lod.band_for(0.0625), 3); // 16 m = 1 px
        assert_eq!(lod.band_for(1e-6), 3);
        assert_eq!(
            lod.rings(0, 0).count(),
            0,
            "out of range is empty, not a panic"
        );
        assert_eq!(lod.rings(9, 0).count(), 0);
    }

    #[test]
    fn default_tolerances_span_city_to_street() {
        let city = Rect::new(
            coord! { x: 0.0, y: 0.0 },
            coord! { x: 150_000.0, y: 140_000.0 },
        );
        let t = default_tolerances(city);
        assert_eq!(t.last().copied(), Some(300.0));
        assert!(t[0] >= 0.25 && t[0] < 1.0);
        assert!(t.windows(2).all(|w| (w[1] / w[0] - 4.0).abs() < 1e-9));
        let tiny = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 100.0, y: 50.0 });
        assert!(default_tolerances(tiny).is_empty());
    }
}
