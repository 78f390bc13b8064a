//! Whether an outline is a valid polygon: the findings of geo's `Validation`, in the same
//! order, with the self-intersection test done in O(n log n) instead of segment against
//! segment.
//!
//! geo tests every edge of a ring against every other edge: 20,000 positions in one ring take
//! seconds. Here each edge is tested only against the edges whose bounding boxes touch its own,
//! found in an R-tree of the ring's edges; the test applied to such a pair is geo's own, so the
//! findings are the same.

use geo::algorithm::validation::{GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::{Coord, Intersects, Line, LineString, MultiPolygon, Polygon, Relate};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// Every way `mp` is not a valid MultiPolygon, as geo's `validation_errors` would list them.
pub fn validation_errors(mp: &MultiPolygon<f64>) -> Vec<InvalidMultiPolygon> {
    let mut out = Vec::new();
    for (i, polygon) in mp.0.iter().enumerate() {
        for e in polygon_errors(polygon) {
            out.push(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e));
        }
        for (j, other) in mp.0.iter().enumerate().skip(i + 1) {
            let im = polygon.relate(other);
            if im.get(
                geo::coordinate_position::CoordPos::Inside,
                geo::coordinate_position::CoordPos::Inside,
            ) == geo::dimensions::Dimensions::TwoDimensional
            {
                out.push(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if im.get(
                geo::coordinate_position::CoordPos::OnBoundary,
                geo::coordinate_position::CoordPos::OnBoundary,
            ) == geo::dimensions::Dimensions::OneDimensional
            {
                out.push(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    out
}

fn polygon_errors(polygon: &Polygon<f64>) -> Vec<InvalidPolygon> {
    let mut out = Vec::new();
    if polygon.exterior().0.is_empty() {
        return out;
    }
    for (ring_idx, ring) in std::iter::once(polygon.exterior())
        .chain(polygon.interiors().iter())
        .enumerate()
    {
        if ring.0.is_empty() {
            continue;
        }
        let role = if ring_idx == 0 {
            RingRole::Exterior
        } else {
            RingRole::Interior(ring_idx - 1)
        };
        // The length `remove_repeated_points` would leave (it drops consecutive repeats),
        // without copying the ring.
        let distinct = 1 + ring.0.windows(2).filter(|w| w[0] != w[1]).count();
        if distinct < 4 {
            out.push(InvalidPolygon::TooFewPointsInRing(role));
        }
        if has_self_intersection(ring) {
            out.push(InvalidPolygon::SelfIntersection(role));
        }
        for (k, c) in ring.0.iter().enumerate() {
            if !(c.x.is_finite() && c.y.is_finite()) {
                out.push(InvalidPolygon::NonFiniteCoord(
                    role,
                    geo::algorithm::validation::CoordIndex(k),
                ));
            }
        }
    }
    if polygon.interiors().iter().all(|r| r.0.is_empty()) {
        return out;
    }
    // Holes: the same relations geo computes (few holes in practice; each relate is itself
    // indexed).
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    for (a, ring_a) in polygon.interiors().iter().enumerate() {
        if ring_a.0.is_empty() {
            continue;
        }
        let hole_a = Polygon::new(ring_a.clone(), vec![]);
        let im = exterior.relate(&hole_a);
        if !im.is_contains() {
            out.push(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                RingRole::Interior(a),
            ));
        }
        if im.get(
            geo::coordinate_position::CoordPos::OnBoundary,
            geo::coordinate_position::CoordPos::OnBoundary,
        ) == geo::dimensions::Dimensions::OneDimensional
        {
            out.push(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                RingRole::Interior(a),
            ));
        }
        for (b, ring_b) in polygon.interiors().iter().enumerate().skip(a + 1) {
            if ring_b.0.is_empty() {
                continue;
            }
            let im = hole_a.relate(&Polygon::new(ring_b.clone(), vec![]));
            if im.get(
                geo::coordinate_position::CoordPos::Inside,
                geo::coordinate_position::CoordPos::Inside,
            ) == geo::dimensions::Dimensions::TwoDimensional
            {
                out.push(InvalidPolygon::IntersectingRingsOnAnArea(
                    RingRole::Interior(a),
                    RingRole::Interior(b),
                ));
            }
            if im.get(
                geo::coordinate_position::CoordPos::OnBoundary,
                geo::coordinate_position::CoordPos::OnBoundary,
            ) == geo::dimensions::Dimensions::OneDimensional
            {
                out.push(InvalidPolygon::IntersectingRingsOnALine(
                    RingRole::Interior(a),
                    RingRole::Interior(b),
                ));
            }
        }
    }
    out
}

/// geo's test of two edges of one ring: they meet, and not merely where one ends and the
/// other starts.
fn edges_cross(a: &Line<f64>, b: &Line<f64>) -> bool {
    // The cheap tests first: they rule out every pair of consecutive edges.
    a.start != b.end && a.end != b.start && a.intersects(b)
}

/// Whether two edges of the ring cross or touch (other than consecutive edges at their shared
/// corner): geo's `linestring_has_self_intersection`, with candidate pairs from an R-tree.
pub fn has_self_intersection(ring: &LineString<f64>) -> bool {
    let c = &ring.0;
    // The ring's edges, as `LineString::lines` gives them.
    let n = c.len().saturating_sub(1);
    if n < 2 {
        return false;
    }
    let line = |i: usize| Line::new(c[i], c[i + 1]);
    // Small rings: the direct test is cheaper than anything else.
    if n <= 16 {
        return (0..n).any(|i| (i + 1..n).any(|j| edges_cross(&line(i), &line(j))));
    }
    // Ordinary rings: edges sorted by their west end, each tested against those that start
    // before its east end and overlap it north–south. Cheap, but a ring of many long parallel
    // edges could make it quadratic, so large rings use the R-tree.
    if n <= 1024 {
        // [west, east, south, north] of each edge, and the edge.
        let mut order: Vec<([f64; 4], usize)> = (0..n)
            .map(|i| {
                let (a, b) = (c[i], c[i + 1]);
                ([a.x.min(b.x), a.x.max(b.x), a.y.min(b.y), a.y.max(b.y)], i)
            })
            .collect();
        order.sort_unstable_by(|a, b| a.0[0].total_cmp(&b.0[0]));
        for (k, &([_, east, south, north], i)) in order.iter().enumerate() {
            for &(b, j) in &order[k + 1..] {
                if b[0] > east {
                    break;
                }
                if b[2] <= north && south <= b[3] && edges_cross(&line(i), &line(j)) {
                    return true;
                }
            }
        }
        return false;
    }
    let lines: Vec<Line<f64>> = ring.lines().collect();
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| GeomWithData::new(Rectangle::from_corners(pt(l.start), pt(l.end)), i))
        .collect();
    let tree = RTree::bulk_load(boxes);
    lines.iter().enumerate().any(|(i, a)| {
        let env = AABB::from_corners(pt(a.start), pt(a.end));
        tree.locate_in_envelope_intersecting(&env)
            .any(|c| c.data > i && edges_cross(a, &lines[c.data]))
    })
}

fn pt(c: Coord<f64>) -> [f64; 2] {
    [c.x, c.y]
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;
    use proptest::prelude::*;

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        let mut v: Vec<Coord<f64>> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
        if let Some(&f) = v.first() {
            v.push(f);
        }
        LineString(v)
    }

    #[test]
    fn a_figure_eight_crosses_itself_and_a_square_does_not() {
        let eight = ring(&[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]);
        assert!(has_self_intersection(&eight));
        let square = ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]);
        assert!(!has_self_intersection(&square));
    }

    #[test]
    fn every_method_finds_the_same_crossings() {
        // Rings of 12, 200 and 3,000 positions (direct test, sweep, R-tree), each with and
        // without a crossing, and with a spike that touches an earlier edge.
        for n in [12usize, 200, 3000] {
            let pts: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    (a.cos(), a.sin())
                })
                .collect();
            assert!(!has_self_intersection(&ring(&pts)), "{n}");
            let mut crossed = pts.clone();
            crossed.swap(3, 4);
            assert!(has_self_intersection(&ring(&crossed)), "{n}");
            let mut touching = pts.clone();
            touching[n / 2] = pts[1];
            assert!(has_self_intersection(&ring(&touching)), "{n}");
        }
    }

    #[test]
    fn a_large_ring_is_checked_rightly() {
        // A circle of 20,000 positions, then the same with two positions swapped (a crossing).
        let n = 20_000;
        let pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                (a.cos(), a.sin())
            })
            .collect();
        let circle = ring(&pts);
        assert!(!has_self_intersection(&circle));
        let mut crossed = pts.clone();
        crossed.swap(100, 101);
        assert!(has_self_intersection(&ring(&crossed)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Large rings (the R-tree): the same answer as testing every pair, on circles with a
        /// few positions moved to another position or swapped.
        #[test]
        fn large_rings_agree_with_every_pair(
            n in 1025usize..1200,
            moves in proptest::collection::vec((0usize..1200, 0usize..1200, any::<bool>()), 0..3),
        ) {
            let mut pts: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    ((a.cos() * 64.0).round(), (a.sin() * 64.0).round())
                })
                .collect();
            for (a, b, swap) in moves {
                let (a, b) = (a % n, b % n);
                if swap { pts.swap(a, b) } else { pts[a] = pts[b] }
            }
            let r = ring(&pts);
            let lines: Vec<Line<f64>> = r.lines().collect();
            let every_pair = lines.iter().enumerate().any(|(i, a)| {
                lines[i + 1..].iter().any(|b| edges_cross(a, b))
            });
            prop_assert_eq!(has_self_intersection(&r), every_pair);
        }
    }

    proptest! {
        /// The same findings as geo's `Validation`, in the same order, on small random
        /// multipolygons (on a coarse grid, so that touching and shared edges are common).
        #[test]
        fn agrees_with_geo(
            polys in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::collection::vec((0i8..6, 0i8..6), 3..40), 1..3),
                1..3),
        ) {
            let mp = MultiPolygon(
                polys
                    .iter()
                    .map(|rings| {
                        let mut rs: Vec<LineString<f64>> = rings
                            .iter()
                            .map(|r| {
                                ring(&r.iter().map(|&(x, y)| (x as f64, y as f64)).collect::<Vec<_>>())
                            })
                            .collect();
                        let ext = rs.remove(0);
                        Polygon::new(ext, rs)
                    })
                    .collect(),
            );
            prop_assert_eq!(validation_errors(&mp), mp.validation_errors());
        }
    }
}
