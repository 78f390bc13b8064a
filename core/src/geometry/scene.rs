//! A [`Scene`]: a list of polygons prepared once for drawing, picking and labelling.
//!
//! Prepared at load (projection, levels of detail, R-tree); every per-view question is
//! then cheap: which polygons to draw, at which band, what is under the finger, which
//! labels fit. Label anchors are computed the first time a label could show, since most
//! of a city's polygons are too small for a name until the visitor zooms in.
//!
//! ```
//! use geo::{coord, polygon, MultiPolygon};
//! use lilong_core::geometry::{Scene, Viewport, LabelSize};
//!
//! // Two blocks in central Shanghai (WGS84 lon/lat).
//! let a = MultiPolygon::new(vec![polygon![
//!     (x: 121.46, y: 31.22), (x: 121.47, y: 31.22), (x: 121.47, y: 31.23), (x: 121.46, y: 31.23)]]);
//! let b = MultiPolygon::new(vec![polygon![
//!     (x: 121.47, y: 31.22), (x: 121.48, y: 31.22), (x: 121.48, y: 31.23), (x: 121.47, y: 31.23)]]);
//! let scene = Scene::new(&[a, b]);
//! let view = Viewport::new(800.0, 400.0).fit_bounds(scene.bounds().unwrap(), 20.0);
//! assert_eq!(scene.visible(&view), vec![0, 1]);
//! // The left half of the map is the first block, the right half the second.
//! assert_eq!(scene.hit(coord! { x: 300.0, y: 200.0 }, &view), Some(0));
//! assert_eq!(scene.hit(coord! { x: 500.0, y: 200.0 }, &view), Some(1));
//! assert_eq!(scene.hit(coord! { x: 5.0, y: 5.0 }, &view), None);
//! let sizes = [LabelSize { width: 60.0, height: 16.0 }; 2];
//! let labels = scene.labels(&view, &sizes, &[1]);
//! assert_eq!(labels.len(), 2);
//! assert_eq!(labels[0].index, 1, "priority first");
//! ```

use super::hit::HitIndex;
use super::label_pass;
use super::labels::{self, Anchor, LabelSize, PlacedLabel};
use super::lod::{self, Lod};
use super::projection::{BandProjector, Viewport, unproject};
use geo::{BoundingRect, Coord, LineString, MapCoordsInPlace, MultiPolygon, Polygon, Rect};
use std::cell::OnceCell;

/// Gap in pixels kept between labels.
pub const LABEL_GAP: f64 = 4.0;

/// Polygons prepared for the map. Build once with [`Scene::new`].
#[derive(Debug)]
pub struct Scene {
    /// Full-detail polygons in world coordinates (for picking and anchors). Set at once by
    /// [`Scene::from_lonlat`]; in a scene read back with [`Scene::decode`], empty: a hit test
    /// rebuilds the few polygons whose box holds the point from the stored coordinates, for
    /// the moment only, and [`Scene::world_polygon`] rebuilds and keeps one.
    world: Vec<OnceCell<MultiPolygon<f64>>>,
    /// For rebuilding a read-back polygon: per polygon, its number of parts, then each part's
    /// number of rings (`groups[group_at[i]..group_at[i + 1]]`). Empty when `world` is set.
    groups: Vec<u32>,
    group_at: Vec<u32>,
    bboxes: Vec<Option<Rect<f64>>>,
    bounds: Option<Rect<f64>>,
    lod: Lod,
    hits: HitIndex,
    anchors: Vec<OnceCell<Option<Anchor>>>,
    /// How a missing anchor is found: the label search for a prepared scene; nothing for a
    /// read-back one, which holds every anchor already (so the app's module, which only reads
    /// scenes back, carries no label search).
    find_anchor: fn(&MultiPolygon<f64>) -> Option<Anchor>,
}

/// A read-back scene has every anchor it will have.
fn no_anchor(_: &MultiPolygon<f64>) -> Option<Anchor> {
    None
}

impl Scene {
    /// Prepares `polys` (WGS84 lon/lat) with the default bands.
    /// Rings with a non-finite coordinate are dropped (the data check reports them).
    pub fn new(polys: &[MultiPolygon<f64>]) -> Scene {
        Scene::from_lonlat(polys.to_vec())
    }

    /// Like [`Scene::new`], taking the polygons: they are projected where they are, so the
    /// outlines are never held twice (the app hands over the loaded outlines this way).
    pub fn from_lonlat(mut polys: Vec<MultiPolygon<f64>>) -> Scene {
        // Latitude band of the data, for the fast projection.
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in polys
            .iter()
            .flat_map(|p| p.0.iter())
            .flat_map(|p| p.exterior().0.iter())
        {
            if c.y.is_finite() {
                lo = lo.min(c.y);
                hi = hi.max(c.y);
            }
        }
        let projector = BandProjector::new(lo, hi);
        for p in &mut polys {
            to_world(p, &projector);
        }
        let world = polys;
        let bboxes: Vec<Option<Rect<f64>>> = world.iter().map(|p| p.bounding_rect()).collect();
        let bounds = bboxes.iter().flatten().copied().reduce(union);
        let (origin, tolerances) = match bounds {
            Some(b) => (b.min(), lod::default_tolerances(b)),
            None => (Coord { x: 0.0, y: 0.0 }, Vec::new()),
        };
        let lod = Lod::new(&world, origin, tolerances);
        let hits = HitIndex::new(&world);
        let world = world.into_iter().map(OnceCell::from).collect();
        let mut scene = Scene::assemble(world, bboxes, bounds, lod, hits);
        scene.find_anchor = labels::anchor;
        scene
    }

    /// A scene with no polygons (without running [`Scene::from_lonlat`]'s preparation).
    pub fn empty() -> Scene {
        Scene::assemble(
            Vec::new(),
            Vec::new(),
            None,
            Lod::empty(),
            HitIndex::from_boxes(&[], Vec::new()),
        )
    }

    fn assemble(
        world: Vec<OnceCell<MultiPolygon<f64>>>,
        bboxes: Vec<Option<Rect<f64>>>,
        bounds: Option<Rect<f64>>,
        lod: Lod,
        hits: HitIndex,
    ) -> Scene {
        let anchors = (0..world.len()).map(|_| OnceCell::new()).collect();
        Scene {
            world,
            groups: Vec::new(),
            group_at: Vec::new(),
            bboxes,
            bounds,
            lod,
            hits,
            anchors,
            find_anchor: no_anchor,
        }
    }

    /// Appends the prepared scene to `out` (for [`crate::checked`]): the levels of detail
    /// and, per polygon, how its rings group into polygons. [`Scene::decode`] rebuilds the
    /// rest (outlines for picking, boxes, the R-tree) without projecting or simplifying.
    pub fn encode(&self, out: &mut Vec<u8>) {
        self.lod.encode(out);
        let mut groups = Vec::new();
        for mp in (0..self.len()).filter_map(|i| self.world_polygon(i)) {
            groups.push(mp.0.len() as u32);
            for p in &mp.0 {
                let rings = std::iter::once(p.exterior()).chain(p.interiors());
                groups.push(rings.filter(|r| !r.0.is_empty()).count() as u32);
            }
        }
        crate::wire::put_u32s(out, &groups);
        // Every label anchor, found now (most are otherwise found while the visitor zooms):
        // the point relative to the origin and the free radius, as f32 (about 1 cm).
        let origin = self.lod.origin();
        let mut anchors = Vec::with_capacity(self.len() * 3);
        let mut has = Vec::with_capacity(self.len());
        for i in 0..self.len() {
            match self.anchor(i) {
                Some(a) => {
                    has.push(1);
                    anchors.push((a.point.x - origin.x) as f32);
                    anchors.push((a.point.y - origin.y) as f32);
                    anchors.push(a.radius as f32);
                }
                None => has.push(0),
            }
        }
        crate::wire::put_bytes(out, &has);
        crate::wire::put_f32s(out, &anchors);
        let areas: Vec<f64> = (0..self.len()).map(|i| self.hits.area(i)).collect();
        crate::wire::put_f64s(out, &areas);
    }

    /// Reads what [`Scene::encode`] wrote. Full-detail outlines are rebuilt on demand from the
    /// stored `f32` coordinates (about 1 cm of precision), the same ones the map draws.
    pub fn decode(r: &mut crate::wire::Reader) -> Result<Scene, crate::wire::WireError> {
        let lod = Lod::decode(r)?;
        let at = r.position();
        let groups = r.u32s()?;
        let bad = crate::wire::WireError {
            at,
            what: "polygon groups that do not match the outlines",
        };
        let origin = lod.origin();
        // Check the groups against the stored rings now, so that rebuilding a polygon later
        // cannot fail; note where each polygon's groups start.
        let mut group_at = Vec::with_capacity(lod.len() + 1);
        let mut k = 0usize;
        for i in 0..lod.len() {
            group_at.push(k as u32);
            let parts = *groups.get(k).ok_or(bad.clone())? as usize;
            let rings = groups.get(k + 1..k + 1 + parts).ok_or(bad.clone())?;
            if rings.contains(&0)
                || rings.iter().map(|&n| n as usize).sum::<usize>() != lod.rings(0, i).count()
            {
                return Err(bad);
            }
            k += 1 + parts;
        }
        if k != groups.len() {
            return Err(bad);
        }
        group_at.push(k as u32);
        // Boxes from the stored coordinates (the outer rings hold the holes).
        let bboxes: Vec<Option<Rect<f64>>> = (0..lod.len())
            .map(|i| {
                let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
                for ring in lod.rings(0, i) {
                    for c in ring.chunks_exact(2) {
                        lo = [lo[0].min(c[0]), lo[1].min(c[1])];
                        hi = [hi[0].max(c[0]), hi[1].max(c[1])];
                    }
                }
                (lo[0] <= hi[0] && lo[1] <= hi[1]).then(|| {
                    Rect::new(
                        Coord {
                            x: origin.x + f64::from(lo[0]),
                            y: origin.y + f64::from(lo[1]),
                        },
                        Coord {
                            x: origin.x + f64::from(hi[0]),
                            y: origin.y + f64::from(hi[1]),
                        },
                    )
                })
            })
            .collect();
        let n = lod.len();
        let at = r.position();
        let has = r.bytes()?;
        let mut stored = r.f32s()?.into_iter();
        if has.len() != n || stored.len() != 3 * has.iter().filter(|&&h| h != 0).count() {
            return Err(crate::wire::WireError {
                at,
                what: "label anchors that do not match the outlines",
            });
        }
        let at = r.position();
        let areas = r.f64s()?;
        if areas.len() != n {
            return Err(crate::wire::WireError {
                at,
                what: "areas that do not match the outlines",
            });
        }
        let bounds = bboxes.iter().flatten().copied().reduce(union);
        let hits = HitIndex::from_boxes(&bboxes, areas);
        let world = (0..n).map(|_| OnceCell::new()).collect();
        let mut scene = Scene::assemble(world, bboxes, bounds, lod, hits);
        scene.groups = groups;
        scene.group_at = group_at;
        for (cell, &h) in scene.anchors.iter().zip(has) {
            if h == 0 {
                let _ = cell.set(None);
                continue;
            }
            let a = match (stored.next(), stored.next(), stored.next()) {
                (Some(x), Some(y), Some(radius)) => Some(Anchor {
                    point: Coord {
                        x: origin.x + f64::from(x),
                        y: origin.y + f64::from(y),
                    },
                    radius: f64::from(radius),
                }),
                _ => None,
            };
            let _ = cell.set(a);
        }
        Ok(scene)
    }

    /// Number of polygons.
    pub fn len(&self) -> usize {
        self.world.len()
    }

    /// Whether there are no polygons.
    pub fn is_empty(&self) -> bool {
        self.world.is_empty()
    }

    /// World bounds of all the polygons (`None` when there are none).
    pub fn bounds(&self) -> Option<Rect<f64>> {
        self.bounds
    }

    /// Bounds of all the polygons in WGS84 (`x` = longitude, `y` = latitude).
    pub fn lonlat_bounds(&self) -> Option<Rect<f64>> {
        self.bounds
            .map(|b| Rect::new(unproject(b.min()), unproject(b.max())))
    }

    /// World bounding box of polygon `i` (to fly to it).
    pub fn bbox(&self, i: usize) -> Option<Rect<f64>> {
        self.bboxes.get(i).copied().flatten()
    }

    /// Area of polygon `i` in square world metres.
    pub fn area(&self, i: usize) -> f64 {
        self.hits.area(i)
    }

    /// The levels of detail, for drawing.
    pub fn lod(&self) -> &Lod {
        &self.lod
    }

    /// The band to draw at `scale` pixels per world metre.
    pub fn band_for(&self, scale: f64) -> usize {
        self.lod.band_for(scale)
    }

    /// Polygons whose bounding box meets the view, ascending.
    pub fn visible(&self, view: &Viewport) -> Vec<usize> {
        self.hits.in_rect(view.world_bounds())
    }

    /// The topmost polygon under a screen position.
    pub fn hit(&self, screen: Coord<f64>, view: &Viewport) -> Option<usize> {
        self.hit_world(view.to_world(screen))
    }

    /// The topmost polygon at a world position.
    pub fn hit_world(&self, world: Coord<f64>) -> Option<usize> {
        self.hits.at_with(|i| self.polygon(i), world)
    }

    /// The polygon under a screen position or, failing that, the nearest one within
    /// `radius_px` pixels (for touch: a fingertip covers about 40 px).
    pub fn hit_near(&self, screen: Coord<f64>, view: &Viewport, radius_px: f64) -> Option<usize> {
        self.hits.nearest_with(
            |i| self.polygon(i),
            view.to_world(screen),
            radius_px / view.scale,
        )
    }

    /// World bounds of the polygons listed (to fit a filtered set in the view).
    pub fn bounds_of(&self, indexes: &[usize]) -> Option<Rect<f64>> {
        indexes.iter().filter_map(|&i| self.bbox(i)).reduce(union)
    }

    /// The label anchor of polygon `i` in world coordinates, computed on first use.
    pub fn anchor(&self, i: usize) -> Option<Anchor> {
        let cell = self.anchors.get(i)?;
        *cell.get_or_init(|| self.world_polygon(i).and_then(self.find_anchor))
    }

    /// Screen position of polygon `i`'s label point (where the app puts its focusable
    /// button), whether or not its label is shown.
    pub fn label_point(&self, i: usize, view: &Viewport) -> Option<Coord<f64>> {
        self.anchor(i).map(|a| view.to_screen(a.point))
    }

    /// Labels for the view, never overlapping. `sizes[i]` is the measured text box of
    /// polygon `i`'s name (no label when missing or empty). Polygons in `priority` (the
    /// selected one, the hovered one) come first, in that order, and are labelled even
    /// when small; then the others by decreasing area, each only if its polygon is large
    /// enough on screen: the label fits in its bounding box and the largest circle inside
    /// the polygon around the label point is at least as tall as the label.
    pub fn labels(
        &self,
        view: &Viewport,
        sizes: &[LabelSize],
        priority: &[usize],
    ) -> Vec<PlacedLabel> {
        self.labels_avoiding(view, sizes, priority, &[])
    }

    /// As [`Scene::labels`], keeping clear of `obstacles` (screen boxes of markers, or of
    /// a panel drawn over the map).
    pub fn labels_avoiding(
        &self,
        view: &Viewport,
        sizes: &[LabelSize],
        priority: &[usize],
        obstacles: &[Rect<f64>],
    ) -> Vec<PlacedLabel> {
        let candidates = label_pass::area_candidates(self, view, sizes, priority);
        labels::place_avoiding(&candidates, obstacles, view.width, view.height, LABEL_GAP)
    }

    /// The full-detail polygon `i` in world coordinates.
    pub fn world_polygon(&self, i: usize) -> Option<&MultiPolygon<f64>> {
        let cell = self.world.get(i)?;
        Some(cell.get_or_init(|| self.rebuild(i)))
    }

    /// Polygon `i` for a hit test or a small drawing: the one held, or rebuilt for the moment
    /// and not kept (a kiosk touched all day would otherwise end up holding every outline twice).
    pub fn polygon(&self, i: usize) -> Option<std::borrow::Cow<'_, MultiPolygon<f64>>> {
        let cell = self.world.get(i)?;
        Some(match cell.get() {
            Some(p) => std::borrow::Cow::Borrowed(p),
            None => std::borrow::Cow::Owned(self.rebuild(i)),
        })
    }

    /// Polygon `i` rebuilt from the stored full-detail coordinates and its groups (checked
    /// when read, so this does not fail; anything amiss gives an empty polygon).
    fn rebuild(&self, i: usize) -> MultiPolygon<f64> {
        let origin = self.lod.origin();
        let (Some(&a), Some(&b)) = (self.group_at.get(i), self.group_at.get(i + 1)) else {
            return MultiPolygon::new(Vec::new());
        };
        let groups = self.groups.get(a as usize..b as usize).unwrap_or(&[]);
        let mut rings = self.lod.rings(0, i).map(|ring| {
            LineString::new(
                ring.chunks_exact(2)
                    .map(|c| Coord {
                        x: origin.x + f64::from(c[0]),
                        y: origin.y + f64::from(c[1]),
                    })
                    .collect(),
            )
        });
        let mut polys = Vec::new();
        for &k in groups.iter().skip(1) {
            let Some(exterior) = rings.next() else { break };
            let interiors = rings
                .by_ref()
                .take((k as usize).saturating_sub(1))
                .collect();
            polys.push(Polygon::new(exterior, interiors));
        }
        MultiPolygon::new(polys)
    }
}

/// The smallest rectangle holding both.
fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

/// Projects `mp` to world coordinates in place, dropping polygons whose outer ring is empty or
/// has a non-finite coordinate and holes with a non-finite coordinate.
fn to_world(mp: &mut MultiPolygon<f64>, projector: &BandProjector) {
    let finite = |r: &LineString<f64>| r.0.iter().all(|c| c.x.is_finite() && c.y.is_finite());
    mp.0.retain(|p| finite(p.exterior()) && !p.exterior().0.is_empty());
    for p in &mut mp.0 {
        if !p.interiors().iter().all(finite) {
            let (exterior, interiors) =
                std::mem::replace(p, Polygon::new(LineString::new(Vec::new()), Vec::new()))
                    .into_inner();
            *p = Polygon::new(exterior, interiors.into_iter().filter(finite).collect());
        }
        p.map_coords_in_place(|c| projector.project(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::projection::project;
    use geo::{coord, polygon};

    /// A square of `size` degrees with its south-west corner at (lon, lat).
    fn square(lon: f64, lat: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size)
        ]])
    }

    /// `n` × `n` wavy rings of `k` points tiling a square degree from (121.0, 30.7),
    /// like a city of small neighbourhoods.
    pub(crate) fn city(n: usize, k: usize) -> Vec<MultiPolygon<f64>> {
        let mut s: u64 = 1;
        let mut rnd = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) as f64) / ((1u64 << 31) as f64)
        };
        let cell = 1.0 / n as f64;
        let mut out = Vec::with_capacity(n * n);
        for row in 0..n {
            for col in 0..n {
                let cx = 121.0 + (col as f64 + 0.5) * cell;
                let cy = 30.7 + (row as f64 + 0.5) * cell;
                let phase = rnd() * 6.0;
                let mut pts: Vec<Coord<f64>> = (0..k - 1)
                    .map(|i| {
                        let a = i as f64 / (k - 1) as f64 * std::f64::consts::TAU;
                        // A smooth outline (streets curve gently) with metre-scale noise.
                        let r = cell * (0.42 + 0.05 * (3.0 * a + phase).sin() + 0.0005 * rnd());
                        coord! { x: cx + r * a.cos(), y: cy + r * a.sin() }
                    })
                    .collect();
                pts.push(pts[0]);
                out.push(MultiPolygon::new(vec![Polygon::new(
                    LineString::new(pts),
                    vec![],
                )]));
            }
        }
        out
    }

    #[test]
    fn empty_scene_answers_nothing_and_does_not_panic() {
        let scene = Scene::new(&[]);
        assert!(scene.is_empty());
        assert_eq!(scene.bounds(), None);
        let v = Viewport::new(100.0, 100.0);
        assert!(scene.visible(&v).is_empty());
        assert_eq!(scene.hit(coord! { x: 50.0, y: 50.0 }, &v), None);
        assert!(scene.labels(&v, &[], &[0, 3]).is_empty());
        assert_eq!(scene.anchor(0), None);
        assert_eq!(scene.lod().band_count(), 1);
    }

    #[test]
    fn broken_coordinates_are_dropped() {
        let broken = MultiPolygon::new(vec![
            polygon![(x: f64::NAN, y: 31.0), (x: 121.1, y: 31.0), (x: 121.1, y: 31.1)],
        ]);
        let scene = Scene::new(&[broken, square(121.0, 31.0, 0.01)]);
        assert_eq!(scene.len(), 2);
        assert_eq!(scene.bbox(0), None);
        assert!(scene.bbox(1).is_some());
        let v = Viewport::new(400.0, 400.0).fit_bounds(scene.bounds().unwrap(), 10.0);
        assert_eq!(scene.visible(&v), vec![1]);
        assert_eq!(scene.hit(coord! { x: 200.0, y: 200.0 }, &v), Some(1));
    }

    #[test]
    fn picking_through_the_viewport_after_zoom_and_pan() {
        // A district with a small area inside it, and a neighbour.
        let polys = vec![
            square(121.40, 31.20, 0.10),
            square(121.42, 31.22, 0.01),
            square(121.50, 31.20, 0.10),
        ];
        let scene = Scene::new(&polys);
        let v = Viewport::new(1000.0, 500.0).fit_bounds(scene.bounds().unwrap(), 0.0);
        let small_centre = project(coord! { x: 121.425, y: 31.225 });
        let s = v.to_screen(small_centre);
        assert_eq!(scene.hit(s, &v), Some(1));
        let z = v.zoom_around(s, 8.0).pan(-120.0, 35.0);
        let s2 = z.to_screen(small_centre);
        assert_eq!(scene.hit(s2, &z), Some(1));
        assert_eq!(
            scene.hit(z.to_screen(project(coord! { x: 121.41, y: 31.21 })), &z),
            Some(0)
        );
        assert_eq!(
            scene.hit(z.to_screen(project(coord! { x: 121.55, y: 31.25 })), &z),
            Some(2)
        );
        // Zoomed in on the small area, only what meets the view is drawn.
        let close = z.fit_bounds(scene.bbox(1).unwrap(), 50.0);
        assert_eq!(scene.visible(&close), vec![0, 1]);
    }

    #[test]
    fn a_touch_beside_a_small_area_still_finds_it() {
        let polys = vec![square(121.40, 31.20, 0.001), square(121.50, 31.20, 0.001)];
        let scene = Scene::new(&polys);
        let v = Viewport::new(1000.0, 500.0).fit_bounds(scene.bounds().unwrap(), 50.0);
        // The small squares are a few pixels wide; 15 px to the right of the first:
        let s =
            v.to_screen(project(coord! { x: 121.401, y: 31.2005 })) + coord! { x: 15.0, y: 0.0 };
        assert_eq!(scene.hit(s, &v), None);
        assert_eq!(scene.hit_near(s, &v, 20.0), Some(0));
        assert_eq!(scene.hit_near(s, &v, 10.0), None);
        let both = scene.bounds_of(&[0, 1]).unwrap();
        assert_eq!(Some(both), scene.bounds());
        assert_eq!(scene.bounds_of(&[1]), scene.bbox(1));
        assert_eq!(scene.bounds_of(&[7]), None);
    }

    #[test]
    fn whole_city_view_draws_a_coarse_band_and_zooming_in_refines() {
        let polys = city(30, 65);
        let scene = Scene::new(&polys);
        let v = Viewport::new(1920.0, 1080.0).fit_bounds(scene.bounds().unwrap(), 20.0);
        let coarse = scene.band_for(v.scale);
        assert!(coarse > 0);
        let lod = scene.lod();
        assert!(
            lod.vertex_count(coarse) * 3 < lod.vertex_count(0),
            "{} of {}",
            lod.vertex_count(coarse),
            lod.vertex_count(0)
        );
        let close = v.zoom_around(coord! { x: 960.0, y: 540.0 }, 64.0);
        assert!(scene.band_for(close.scale) < coarse);
        assert!(scene.visible(&close).len() < scene.visible(&v).len());
        assert_eq!(scene.visible(&v).len(), 900);
    }

    #[test]
    fn labels_never_overlap_and_small_areas_wait_for_zoom() {
        let polys = city(30, 33);
        let scene = Scene::new(&polys);
        let sizes: Vec<LabelSize> = (0..polys.len())
            .map(|i| LabelSize {
                width: 40.0 + (i % 7) as f64 * 10.0,
                height: 18.0,
            })
            .collect();
        let v = Viewport::new(1000.0, 700.0).fit_bounds(scene.bounds().unwrap(), 0.0);
        // 900 cells of about 23 px: no name fits, except the selected one.
        let labels = scene.labels(&v, &sizes, &[]);
        assert!(labels.is_empty(), "{} labels", labels.len());
        let labels = scene.labels(&v, &sizes, &[17]);
        assert_eq!(labels.iter().map(|l| l.index).collect::<Vec<_>>(), vec![17]);
        // Zoomed in 8×, cells are about 180 px: many labels, none overlapping, each on its
        // polygon's label point.
        let z = v.zoom_around(coord! { x: 500.0, y: 350.0 }, 8.0);
        let labels = scene.labels(&z, &sizes, &[]);
        assert!(labels.len() >= 10, "{} labels", labels.len());
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!a.overlaps(b, LABEL_GAP));
            }
            let p = scene.label_point(a.index, &z).unwrap();
            assert!((p.x - a.x).abs() < 1e-9 && (p.y - a.y).abs() < 1e-9);
            assert_eq!(
                scene.hit(p, &z),
                Some(a.index),
                "label point inside its polygon"
            );
        }
    }

    /// The bundled district outlines, read from the data file at compile time.
    fn districts() -> (Vec<String>, Vec<MultiPolygon<f64>>) {
        let text = include_str!("../../../data/districts.geojson");
        let v: serde_json::Value = serde_json::from_str(text).expect("districts.geojson parses");
        let ring = |r: &serde_json::Value| -> LineString<f64> {
            r.as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| Some(coord! { x: c[0].as_f64()?, y: c[1].as_f64()? }))
                .collect::<Vec<_>>()
                .into()
        };
        let mut names = Vec::new();
        let mut polys = Vec::new();
        for f in v["features"].as_array().into_iter().flatten() {
            names.push(
                f["properties"]["name"]["en"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            );
            let parts = f["geometry"]["coordinates"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            polys.push(MultiPolygon::new(
                parts
                    .iter()
                    .map(|p| {
                        let rings: Vec<LineString<f64>> =
                            p.as_array().into_iter().flatten().map(ring).collect();
                        Polygon::new(rings[0].clone(), rings[1..].to_vec())
                    })
                    .collect(),
            ));
        }
        (names, polys)
    }

    #[test]
    fn landmarks_fall_in_their_districts_and_district_names_never_overlap() {
        let (names, polys) = districts();
        assert_eq!(polys.len(), 16);
        let scene = Scene::new(&polys);
        let v = Viewport::new(1920.0, 1080.0).fit_bounds(scene.bounds().unwrap(), 20.0);
        // Positions as read off a Chinese web map (GCJ-02).
        let landmarks = [
            ((121.4737, 31.2304), "Huangpu"),   // People's Square
            ((121.4997, 31.2397), "Pudong"),    // Oriental Pearl Tower
            ((121.4365, 31.1886), "Xuhui"),     // Xujiahui
            ((121.4452, 31.2234), "Jing'an"),   // Jing'an Temple
            ((121.5260, 31.3090), "Yangpu"),    // Wujiaochang
            ((121.3975, 31.6230), "Chongming"), // Chengqiao
        ];
        for ((lon, lat), want) in landmarks {
            let (wlon, wlat) = crate::gcj02::to_wgs84(lon, lat);
            let s = v.to_screen(project(coord! { x: wlon, y: wlat }));
            let got = scene.hit(s, &v).map(|i| names[i].as_str());
            assert_eq!(got, Some(want), "at ({lon}, {lat})");
            // Zoomed in around it, still the same.
            let z = v.zoom_around(s, 30.0);
            assert_eq!(scene.hit(s, &z).map(|i| names[i].as_str()), Some(want));
        }
        // The East China Sea is no district.
        let sea = project(coord! { x: 122.2, y: 30.9 });
        assert_eq!(scene.hit(v.to_screen(sea), &v), None);
        // Names at 16 px a character: placed without overlap, each at a point of its own
        // district; the big outer districts get theirs at the city view.
        let sizes: Vec<LabelSize> = names
            .iter()
            .map(|n| LabelSize {
                width: 10.0 * n.len() as f64 + 16.0,
                height: 24.0,
            })
            .collect();
        let labels = scene.labels(&v, &sizes, &[]);
        assert!(labels.len() >= 8, "{} labels", labels.len());
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!a.overlaps(b, LABEL_GAP));
            }
            let p = coord! { x: a.x, y: a.y };
            assert_eq!(scene.hit(p, &v), Some(a.index), "{}", names[a.index]);
        }
        let named: Vec<&str> = labels.iter().map(|l| names[l.index].as_str()).collect();
        assert!(
            named.contains(&"Pudong") && named.contains(&"Chongming"),
            "{named:?}"
        );
    }

    /// City scale: 6,500 polygons of 65 points (422,500 points). Run with
    /// `cargo test -p lilong-core --release --lib scene_new_city_scale -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn scene_new_city_scale() {
        use std::time::Instant;
        let mut polys = city(81, 65);
        polys.truncate(6500);
        let mut times = Vec::new();
        let mut scene = None;
        for _ in 0..8 {
            let t = Instant::now();
            let s = Scene::new(&polys);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            scene = Some(s);
        }
        let Some(scene) = scene else { return };
        times.remove(0);
        times.sort_by(f64::total_cmp);
        let lod = scene.lod();
        let t = Instant::now();
        lod.build_all();
        println!(
            "building the {} simplified bands on first use: {:.1} ms in all",
            lod.band_count() - 1,
            t.elapsed().as_secs_f64() * 1000.0
        );
        let bands: Vec<String> = (0..lod.band_count())
            .map(|b| format!("{:.2} m: {}", lod.tolerance(b), lod.vertex_count(b)))
            .collect();
        println!(
            "Scene::new, 6,500 × 65 points, wall clock: median {:.1} ms (min {:.1}, max {:.1})",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
        println!("bands: {}", bands.join(", "));
        println!("lod storage: {:.1} MB", lod.heap_bytes() as f64 / 1e6);
        let v = Viewport::new(1920.0, 1080.0).fit_bounds(scene.bounds().unwrap(), 20.0);
        let sizes = vec![
            LabelSize {
                width: 90.0,
                height: 18.0
            };
            polys.len()
        ];
        let t = Instant::now();
        let mut n = 0;
        for k in 0..20 {
            let z = v.zoom_around(coord! { x: 960.0, y: 540.0 }, 1.0 + k as f64 * 0.5);
            n += scene.visible(&z).len();
            n += scene.labels(&z, &sizes, &[1]).len();
            n += scene
                .hit(coord! { x: 900.0 + k as f64, y: 500.0 }, &z)
                .unwrap_or(0);
        }
        println!(
            "per view (visible + labels + hit), mean of 20 views: {:.2} ms ({n})",
            t.elapsed().as_secs_f64() * 1000.0 / 20.0
        );
        let t = Instant::now();
        let mut with_anchor = 0;
        for i in 0..polys.len() {
            with_anchor += usize::from(scene.anchor(i).is_some());
        }
        println!(
            "all {with_anchor} label anchors: {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}
