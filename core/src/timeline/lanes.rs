//! Lanes: the marks of a timeline packed into the fewest rows so that no two labels collide.

use super::Event;
use super::axis::Axis;

/// The lane of each mark, and how many lanes there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lanes {
    /// `lane[i]` is the lane (row, from 0) of the i-th extent.
    pub lane: Vec<usize>,
    pub count: usize,
}

/// Packs marks into lanes so that no two marks in one lane overlap or come closer than `gap`.
///
/// Each extent is `(x0, x1)`: where the mark starts and where the last of its span or its label
/// ends. Greedy interval packing: marks taken from left to right go into the first lane that is
/// free; for intervals this uses the fewest lanes possible (the greatest number of marks that
/// overlap at one point). Bad extents (NaN, reversed) are treated as zero-width points.
pub fn pack_lanes(extents: &[(f64, f64)], gap: f64) -> Lanes {
    let clean = |(a, b): (f64, f64)| {
        let a = if a.is_finite() { a } else { 0.0 };
        let b = if b.is_finite() { b } else { a };
        (a, b.max(a))
    };
    let gap = if gap.is_finite() { gap.max(0.0) } else { 0.0 };
    let mut order: Vec<usize> = (0..extents.len()).collect();
    order.sort_unstable_by(|&i, &j| {
        let (a, b) = (clean(extents[i]), clean(extents[j]));
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(i.cmp(&j))
    });
    let mut lane = vec![0usize; extents.len()];
    let mut ends: Vec<f64> = Vec::new();
    for i in order {
        let (x0, x1) = clean(extents[i]);
        let free = ends.iter().position(|&end| end + gap <= x0);
        let l = match free {
            Some(l) => l,
            None => {
                ends.push(f64::NEG_INFINITY);
                ends.len() - 1
            }
        };
        ends[l] = x1;
        lane[i] = l;
    }
    Lanes {
        lane,
        count: ends.len(),
    }
}

/// An event placed on the axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// The event's index in the list given to [`layout`].
    pub index: usize,
    /// Where the mark starts.
    pub x0: f64,
    /// Where its span ends (equal to `x0` plus the period for a single date).
    pub x1: f64,
    /// Where its label ends.
    pub label_end: f64,
    pub lane: usize,
}

/// Lays events out on an axis: each mark spans its period, its label (of the given width)
/// starts at the mark, and marks are packed into lanes so that no label or span touches another
/// in the same lane.
pub fn layout(
    events: &[&Event],
    axis: &Axis,
    label_width: impl Fn(&Event) -> f64,
    gap: f64,
) -> (Vec<Placed>, usize) {
    let spans: Vec<(f64, f64, f64)> = events
        .iter()
        .map(|e| {
            let (x0, x1) = axis.x_span(e);
            let w = label_width(e);
            let w = if w.is_finite() { w.max(0.0) } else { 0.0 };
            (x0, x1, x0 + w)
        })
        .collect();
    let extents: Vec<(f64, f64)> = spans.iter().map(|&(x0, x1, l)| (x0, x1.max(l))).collect();
    let lanes = pack_lanes(&extents, gap);
    let placed = spans
        .iter()
        .enumerate()
        .map(|(i, &(x0, x1, label_end))| Placed {
            index: i,
            x0,
            x1,
            label_end,
            lane: lanes.lane[i],
        })
        .collect();
    (placed, lanes.count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::events;
    use crate::timeline::tests::exhibit;

    /// Whether two placed marks in the same lane collide (with the gap).
    fn collide(a: (f64, f64), b: (f64, f64), gap: f64) -> bool {
        a.0 < b.1 + gap && b.0 < a.1 + gap
    }

    #[test]
    fn lanes_never_overlap_and_use_the_fewest_lanes() {
        // A deterministic pseudo-random set of marks.
        let mut seed = 7u64;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        for round in 0..50 {
            let n = 5 + round;
            let extents: Vec<(f64, f64)> = (0..n)
                .map(|_| {
                    let x = rnd() * 1000.0;
                    (x, x + 10.0 + rnd() * 200.0)
                })
                .collect();
            let gap = 6.0;
            let lanes = pack_lanes(&extents, gap);
            assert_eq!(lanes.lane.len(), n);
            for i in 0..n {
                assert!(lanes.lane[i] < lanes.count);
                for j in i + 1..n {
                    if lanes.lane[i] == lanes.lane[j] {
                        assert!(
                            !collide(extents[i], extents[j], gap),
                            "{:?} and {:?} share lane {}",
                            extents[i],
                            extents[j],
                            lanes.lane[i]
                        );
                    }
                }
            }
            // The fewest lanes: the deepest pile-up of (gap-widened) marks at any start.
            let depth = extents
                .iter()
                .map(|&(x, _)| {
                    extents
                        .iter()
                        .filter(|&&(a, b)| a <= x && x < b + gap)
                        .count()
                })
                .max()
                .unwrap_or(0);
            assert_eq!(lanes.count, depth, "round {round}");
        }
    }

    #[test]
    fn lanes_survive_bad_input() {
        let lanes = pack_lanes(&[(f64::NAN, 10.0), (5.0, 1.0), (0.0, f64::INFINITY)], 2.0);
        assert_eq!(lanes.lane.len(), 3);
        assert!(lanes.count >= 1);
        assert_eq!(
            pack_lanes(&[], 2.0),
            Lanes {
                lane: vec![],
                count: 0
            }
        );
    }

    #[test]
    fn layout_accounts_for_label_widths() {
        let ev = events(&exhibit());
        let refs: Vec<&Event> = ev.iter().filter(|e| e.area == "jinshanghai").collect();
        let axis = Axis::for_events(refs.iter().copied(), 30.0, 20.0);
        // Narrow labels: 2014, 2016 and April 2017 fit in one lane.
        let (_, narrow) = layout(&refs, &axis, |_| 20.0, 4.0);
        assert_eq!(narrow, 1);
        // Labels 100 px wide at 30 px per year must stack.
        let (placed, wide) = layout(&refs, &axis, |_| 100.0, 4.0);
        assert!(wide > 1);
        for a in &placed {
            for b in &placed {
                if a.index < b.index && a.lane == b.lane {
                    assert!(!collide(
                        (a.x0, a.x1.max(a.label_end)),
                        (b.x0, b.x1.max(b.label_end)),
                        4.0
                    ));
                }
            }
        }
    }
}
