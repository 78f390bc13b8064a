//! The decade-scaled axis of a timeline: decades with events get room by how busy they are,
//! runs of empty decades collapse into one break, and ticks fall on years that have room.

use std::collections::BTreeMap;

use super::Event;

/// One stretch of the axis: years `from..to` drawn `px_per_year` wide from `x0`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Segment {
    from: i32,
    to: i32,
    x0: f64,
    px_per_year: f64,
    /// A collapsed run of empty decades.
    gap: bool,
}

/// A tick on the axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tick {
    pub year: i32,
    pub x: f64,
    /// The start of a decade.
    pub major: bool,
    /// Whether the tick gets a printed year (every decade; every year when there is room).
    pub labelled: bool,
}

/// A decade-scaled axis: every decade that holds an event is drawn at full scale, and each run
/// of empty decades between them collapses into one narrow break, so a century of quiet
/// between 1920 and 2014 does not squeeze the busy years into a corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    segments: Vec<Segment>,
    /// Total width in pixels.
    pub width: f64,
}

/// How many of the `(first, last)` year spans touch each decade (keyed by its first year).
fn decade_counts(spans: impl IntoIterator<Item = (i32, i32)>) -> BTreeMap<i32, usize> {
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for (a, b) in spans {
        let (a, b) = (a.min(b), a.max(b));
        let mut d = a.div_euclid(10) * 10;
        while d <= b {
            *counts.entry(d).or_insert(0) += 1;
            d += 10;
        }
    }
    counts
}

/// The scale of a decade touched by `n` events, relative to the axis's base scale.
fn density_scale(n: usize) -> f64 {
    1.0 + (n.min(8) as f64) / 4.0
}

/// Below this many pixels per year only decades are labelled.
const YEAR_LABEL_ROOM: f64 = 34.0;

impl Axis {
    /// An axis over the decades touched by the `(first, last)` year spans, `px_per_year` wide
    /// per year, with `gap` pixels for each run of empty decades.
    pub fn decades(
        spans: impl IntoIterator<Item = (i32, i32)>,
        px_per_year: f64,
        gap: f64,
    ) -> Axis {
        Axis::build(decade_counts(spans), px_per_year, gap, |_| 1.0)
    }

    /// An axis for these events, scaled decade by decade: a decade is drawn wider the more
    /// events touch it (`px_per_year` × 1.25 for one event, × 2 for four, at most × 3), so the
    /// busy 2010s get room while a decade with one event stays compact. Ticks show each
    /// decade's own scale.
    pub fn for_events<'a>(
        events: impl IntoIterator<Item = &'a Event>,
        px_per_year: f64,
        gap: f64,
    ) -> Axis {
        let counts = decade_counts(events.into_iter().map(|e| (e.first_year(), e.last_year())));
        Axis::build(counts, px_per_year, gap, density_scale)
    }

    fn build(
        counts: BTreeMap<i32, usize>,
        px_per_year: f64,
        gap: f64,
        scale: fn(usize) -> f64,
    ) -> Axis {
        let px_per_year = if px_per_year.is_finite() && px_per_year > 0.0 {
            px_per_year
        } else {
            1.0
        };
        let gap = if gap.is_finite() && gap > 0.0 {
            gap
        } else {
            0.0
        };
        let mut segments: Vec<Segment> = Vec::new();
        let mut x = 0.0;
        let mut prev: Option<i32> = None;
        for (d, n) in counts {
            if let Some(p) = prev
                && d > p + 10
            {
                segments.push(Segment {
                    from: p + 10,
                    to: d,
                    x0: x,
                    px_per_year: gap / f64::from(d - p - 10),
                    gap: true,
                });
                x += gap;
            }
            let ppy = px_per_year * scale(n);
            segments.push(Segment {
                from: d,
                to: d + 10,
                x0: x,
                px_per_year: ppy,
                gap: false,
            });
            x += 10.0 * ppy;
            prev = Some(d);
        }
        Axis { segments, width: x }
    }

    /// The x of a moment in fractional years (clamped to the axis).
    pub fn x_year(&self, t: f64) -> f64 {
        let (Some(first), Some(last)) = (self.segments.first(), self.segments.last()) else {
            return 0.0;
        };
        if !t.is_finite() || t <= f64::from(first.from) {
            return 0.0;
        }
        if t >= f64::from(last.to) {
            return self.width;
        }
        for s in &self.segments {
            if t < f64::from(s.to) {
                return s.x0 + (t - f64::from(s.from)) * s.px_per_year;
            }
        }
        self.width
    }

    /// Where an event's mark starts and its span ends, in pixels.
    pub fn x_span(&self, e: &Event) -> (f64, f64) {
        let (a, b) = e.extent();
        (self.x_year(a), self.x_year(b))
    }

    /// The collapsed breaks, as `(x0, x1)` pixel ranges.
    pub fn breaks(&self) -> Vec<(f64, f64)> {
        self.segments
            .iter()
            .filter(|s| s.gap)
            .map(|s| (s.x0, s.x0 + f64::from(s.to - s.from) * s.px_per_year))
            .collect()
    }

    /// Ticks: one per year in the drawn decades (labelled when the decade has room), one
    /// labelled major tick per decade, and the closing tick of each run of decades.
    pub fn ticks(&self) -> Vec<Tick> {
        let mut out = Vec::new();
        for (i, s) in self.segments.iter().enumerate() {
            if s.gap {
                continue;
            }
            let label_years = s.px_per_year >= YEAR_LABEL_ROOM;
            for y in s.from..s.to {
                let major = y % 10 == 0;
                out.push(Tick {
                    year: y,
                    x: s.x0 + f64::from(y - s.from) * s.px_per_year,
                    major,
                    labelled: major || label_years,
                });
            }
            // The decade's closing tick; labelled only at the very end of the axis, since before
            // a break its year would sit on the next decade's label.
            let next = self.segments.get(i + 1);
            if next.is_none_or(|n| n.gap) {
                out.push(Tick {
                    year: s.to,
                    x: s.x0 + f64::from(s.to - s.from) * s.px_per_year,
                    major: true,
                    labelled: next.is_none(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::tests::{d, exhibit};
    use crate::timeline::{events, period};

    #[test]
    fn axis_collapses_empty_decades_and_is_monotonic() {
        let axis = Axis::decades([(1912, 1912), (1920, 1920), (2014, 2024)], 20.0, 40.0);
        // 1910s, 1920s, break, 2010s, 2020s.
        assert_eq!(axis.width, 4.0 * 200.0 + 40.0);
        assert_eq!(axis.breaks(), vec![(400.0, 440.0)]);
        assert_eq!(axis.x_year(1910.0), 0.0);
        assert_eq!(axis.x_year(2014.0), 440.0 + 80.0);
        let mut last = -1.0;
        for k in 0..1300 {
            let x = axis.x_year(1900.0 + f64::from(k) / 10.0);
            assert!(x >= last, "x must not go back at {k}");
            last = x;
        }
        let ticks = axis.ticks();
        let majors: Vec<i32> = ticks.iter().filter(|t| t.major).map(|t| t.year).collect();
        assert_eq!(majors, [1910, 1920, 1930, 2010, 2020, 2030]);
        assert!(
            ticks.iter().filter(|t| !t.major).all(|t| !t.labelled),
            "20 px per year is too tight for year labels"
        );
        let labelled: Vec<i32> = ticks
            .iter()
            .filter(|t| t.labelled)
            .map(|t| t.year)
            .collect();
        assert_eq!(
            labelled,
            [1910, 1920, 2010, 2020, 2030],
            "no label crowds a break"
        );
        let roomy = Axis::decades([(2018, 2020)], 60.0, 40.0);
        assert!(roomy.ticks().iter().all(|t| t.labelled));
        assert!(roomy.breaks().is_empty());
        assert_eq!(Axis::decades([], 10.0, 10.0).x_year(2000.0), 0.0);
    }

    #[test]
    fn busy_decades_get_more_room() {
        let ev = events(&exhibit());
        let axis = Axis::for_events(ev.iter(), 10.0, 30.0);
        // 1910s: one event (1912) → ×1.25; 1920s: one (1920) → ×1.25; 2010s: five events
        // (2014, 2016, April 2017, June 2018, 2019–2020) → ×2.25; 2020s: two (2019–2020 reaches
        // into them, and about 2022–2024) → ×1.5.
        let width = |a: f64, b: f64| axis.x_year(b) - axis.x_year(a);
        assert!((width(1910.0, 1920.0) - 125.0).abs() < 1e-9);
        assert!((width(2010.0, 2020.0) - 225.0).abs() < 1e-9);
        assert!((width(2020.0, 2030.0) - 150.0).abs() < 1e-9);
        assert!((axis.width - (125.0 * 2.0 + 30.0 + 225.0 + 150.0)).abs() < 1e-9);
        // Ticks follow each decade's own scale: years labelled only where there is room.
        let ticks = axis.ticks();
        assert!(ticks.iter().any(|t| t.year == 2015 && !t.labelled));
        let roomy = Axis::for_events(ev.iter(), 16.0, 30.0);
        let t = roomy.ticks();
        assert!(
            t.iter().any(|t| t.year == 2015 && t.labelled),
            "40 px per year in the 2010s"
        );
        assert!(
            t.iter().any(|t| t.year == 1915 && !t.labelled),
            "20 px per year in the 1910s"
        );
        assert_eq!(density_scale(0), 1.0);
        assert_eq!(density_scale(100), 3.0);
    }

    #[test]
    fn spans_cover_their_whole_periods() {
        let axis = Axis::decades([(2010, 2029)], 12.0, 0.0);
        let ev = events(&exhibit());
        let by = |k: &str| ev.iter().find(|e| e.key == k).unwrap();
        assert_eq!(
            axis.x_span(by("project:zero:1")),
            (9.0 * 12.0, 11.0 * 12.0),
            "2019–2020 ends with 2020"
        );
        let (a, b) = axis.x_span(by("project:zero:0"));
        assert!(
            (a - 101.0).abs() < 1e-9 && (b - 102.0).abs() < 1e-9,
            "June 2018 is one month: {a}–{b}"
        );
        let (s, e) = period(&d("2020-02-29"));
        assert!(
            (e - s - 1.0 / 29.0 / 12.0).abs() < 1e-12
                && (s - (2020.0 + 1.0 / 12.0 + 28.0 / 29.0 / 12.0)).abs() < 1e-9
        );
    }
}
