//! Timelines: the dated events of the exhibit, in order, on a decade-scaled axis, packed into
//! lanes so that no two labels collide, and "what was under way in a year".
//!
//! Events come from two kinds of record:
//!
//! * every dated **milestone** of a project (`projects.json`), and
//! * every dated **fact** of a place (`places.geojson`). A place fact that restates a milestone
//!   of a project in the same area — same start, same end, same "approximate" flag — is folded
//!   into that milestone (its place joins the event's [`Event::places`], its sources join the
//!   event's sources) instead of showing the same moment twice.
//!
//! Undated facts are not events. Dates keep their true precision: an event known to the year
//! is drawn over the year and labelled "2014", never given an invented month or day.
//!
//! ```
//! use lilong_core::timeline::{Axis, pack_lanes};
//!
//! // Three labelled marks on an axis: the first two overlap, the third starts after both.
//! let lanes = pack_lanes(&[(0.0, 50.0), (10.0, 40.0), (60.0, 90.0)], 4.0);
//! assert_eq!(lanes.lane, vec![0, 1, 0]);
//! assert_eq!(lanes.count, 2);
//!
//! // 1912 and 2018–2024: the empty decades between collapse into one break.
//! let axis = Axis::decades([(1912, 1912), (2018, 2024)], 10.0, 30.0);
//! assert_eq!(axis.breaks().len(), 1);
//! assert!(axis.x_year(2018.0) - axis.x_year(1919.0) < 10.0 * 99.0);
//! ```

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::date::{PartialDate, days_in_month};
use crate::model::{Dated, Exhibit, Id, Lang, Localized, Project};
use crate::route::Filters;

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// Where an event comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The `index`-th milestone of a project.
    Milestone { project: Id, index: usize },
    /// The `index`-th fact of a place.
    Fact { place: Id, index: usize },
}

/// How precisely an event's start is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// One dated event on a timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// A stable key: `project:<id>:<n>` or `place:<id>:<n>` (n counts from 0).
    pub key: String,
    pub origin: Origin,
    /// The project the event belongs to (a milestone's project, or the project that lists a
    /// fact's place).
    pub project: Option<Id>,
    /// The places the event concerns: a fact's place, and the places whose facts restated
    /// this milestone.
    pub places: Vec<Id>,
    pub area: Id,
    /// The area's district (empty when the area is unknown).
    pub district: Id,
    /// The theme of the event's project, if it has one.
    pub theme: Option<Id>,
    pub date: PartialDate,
    /// The source is vague ("nearly three years", "recently").
    pub approximate: bool,
    /// The end of a span (2019–2020).
    pub end: Option<PartialDate>,
    pub text: Localized,
    pub sources: Vec<Id>,
}

impl Event {
    fn from_dated(
        key: String,
        origin: Origin,
        area: &str,
        district: &str,
        d: &Dated,
        date: PartialDate,
    ) -> Event {
        Event {
            key,
            origin,
            project: None,
            places: Vec::new(),
            area: area.to_string(),
            district: district.to_string(),
            theme: None,
            date,
            approximate: d.approximate,
            end: d.end.filter(|e| *e > date),
            text: d.text.clone(),
            sources: d.sources.clone(),
        }
    }

    /// The date for a visitor, with its true precision ("2018年6月", "about 2022", "2019–2020").
    pub fn date_label(&self, lang: Lang) -> String {
        self.date
            .display_range(self.end.as_ref(), lang, self.approximate)
    }

    pub fn precision(&self) -> Precision {
        precision(&self.date)
    }

    pub fn first_year(&self) -> i32 {
        i32::from(self.date.year)
    }

    /// The last year the event covers (its end's year, else its start's).
    pub fn last_year(&self) -> i32 {
        i32::from(self.end.unwrap_or(self.date).year)
    }

    /// Whether the event (or its span) touches `year`.
    pub fn covers(&self, year: i32) -> bool {
        (self.first_year()..=self.last_year()).contains(&year)
    }

    /// Start and end of the event in fractional years: the whole period its dates name
    /// (`2014` is 2014.0–2015.0, `2018-06` is 2018.42–2018.5, `2019`–`2020` is 2019.0–2021.0).
    pub fn extent(&self) -> (f64, f64) {
        let (start, end) = period(&self.date);
        let end = self.end.map(|e| period(&e).1).unwrap_or(end);
        (start, end.max(start))
    }

    fn same_moment(&self, d: &Dated) -> bool {
        d.date == Some(self.date)
            && d.approximate == self.approximate
            && d.end.filter(|e| Some(*e) > d.date) == self.end
    }
}

fn precision(d: &PartialDate) -> Precision {
    match (d.month, d.day) {
        (Some(_), Some(_)) => Precision::Day,
        (Some(_), None) => Precision::Month,
        _ => Precision::Year,
    }
}

/// The period a partial date names, in fractional years `[start, end)`.
pub fn period(d: &PartialDate) -> (f64, f64) {
    let y = f64::from(d.year);
    match (d.month, d.day) {
        (Some(m), Some(day)) => {
            let len = f64::from(days_in_month(d.year, m).max(1));
            let m0 = y + f64::from(m - 1) / 12.0;
            let s = m0 + (f64::from(day) - 1.0) / len / 12.0;
            (s, s + 1.0 / len / 12.0)
        }
        (Some(m), None) => {
            let s = y + f64::from(m.saturating_sub(1)) / 12.0;
            (s, s + 1.0 / 12.0)
        }
        _ => (y, y + 1.0),
    }
}

/// The timeline order: by start date (a year before a month of that year before a day), then
/// by precision, exact before approximate, shorter span first, then by key (stable).
pub fn compare(a: &Event, b: &Event) -> Ordering {
    a.date
        .cmp(&b.date)
        .then(a.precision().cmp(&b.precision()))
        .then(a.approximate.cmp(&b.approximate))
        .then(a.end.unwrap_or(a.date).cmp(&b.end.unwrap_or(b.date)))
        .then_with(|| a.key.cmp(&b.key))
}

/// Sorts events into timeline order ([`compare`]).
pub fn sort(events: &mut [Event]) {
    // `compare` ends on the event's unique key: a total order, so no stable sort is needed.
    events.sort_unstable_by(compare);
}

/// Every dated event of the exhibit, in timeline order.
pub fn events(ex: &Exhibit) -> Vec<Event> {
    let district_of = |area: &str| {
        ex.area(area)
            .map(|a| a.district.clone())
            .unwrap_or_default()
    };
    let mut out: Vec<Event> = Vec::new();
    for p in &ex.projects {
        let district = district_of(&p.area);
        for (i, m) in p.milestones.iter().enumerate() {
            let Some(date) = m.date else { continue };
            let mut e = Event::from_dated(
                format!("project:{}:{i}", p.id),
                Origin::Milestone {
                    project: p.id.clone(),
                    index: i,
                },
                &p.area,
                &district,
                m,
                date,
            );
            e.project = Some(p.id.clone());
            e.theme = Some(p.theme.clone());
            out.push(e);
        }
    }
    // Looked up by key, not by scanning: at city scale there are thousands of each.
    let mut project_of_place: HashMap<&str, &Project> = HashMap::new();
    for p in &ex.projects {
        for id in &p.places {
            project_of_place.entry(id.as_str()).or_insert(p);
        }
    }
    let mut milestones_in_area: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, e) in out.iter().enumerate() {
        milestones_in_area
            .entry(e.area.clone())
            .or_default()
            .push(k);
    }
    for place in &ex.places {
        let district = district_of(&place.area);
        let project = project_of_place.get(place.id.as_str()).copied();
        for (i, f) in place.facts.iter().enumerate() {
            let Some(date) = f.date else { continue };
            let restated = milestones_in_area
                .get(&place.area)
                .and_then(|ks| ks.iter().copied().find(|&k| out[k].same_moment(f)));
            if let Some(k) = restated {
                let e = &mut out[k];
                if !e.places.contains(&place.id) {
                    e.places.push(place.id.clone());
                }
                for s in &f.sources {
                    if !e.sources.contains(s) {
                        e.sources.push(s.clone());
                    }
                }
                continue;
            }
            let mut e = Event::from_dated(
                format!("place:{}:{i}", place.id),
                Origin::Fact {
                    place: place.id.clone(),
                    index: i,
                },
                &place.area,
                &district,
                f,
                date,
            );
            e.places.push(place.id.clone());
            e.project = project.map(|p| p.id.clone());
            e.theme = project.map(|p| p.theme.clone());
            out.push(e);
        }
    }
    sort(&mut out);
    out
}

/// The events a timeline's filters keep: those in the district and of the theme the filters
/// name (the year filter is not a filter here; see [`under_way`]).
pub fn filter<'a>(events: &'a [Event], f: &Filters) -> Vec<&'a Event> {
    events
        .iter()
        .filter(|e| f.district.as_ref().is_none_or(|d| *d == e.district))
        .filter(|e| f.theme.as_ref().is_none_or(|t| e.theme.as_ref() == Some(t)))
        .collect()
}

/// The events of one residential area, in timeline order.
pub fn in_area<'a>(events: &'a [Event], area: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| e.area == area).collect()
}

/// The events of one area, under its district.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaGroup<'a> {
    pub area: Id,
    pub events: Vec<&'a Event>,
}

/// The areas of one district with their events.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictGroup<'a> {
    pub district: Id,
    pub areas: Vec<AreaGroup<'a>>,
}

/// Groups events (taken in timeline order) by district and area. Groups come in the order of
/// their first event, so the page still reads forward in time; inside an area the events
/// keep timeline order.
pub fn group<'a>(events: &[&'a Event]) -> Vec<DistrictGroup<'a>> {
    let mut sorted: Vec<&'a Event> = events.to_vec();
    sorted.sort_unstable_by(|a, b| compare(a, b));
    let mut out: Vec<DistrictGroup<'a>> = Vec::new();
    for e in sorted {
        let d = match out.iter().position(|g| g.district == e.district) {
            Some(i) => i,
            None => {
                out.push(DistrictGroup {
                    district: e.district.clone(),
                    areas: Vec::new(),
                });
                out.len() - 1
            }
        };
        let areas = &mut out[d].areas;
        match areas.iter_mut().find(|a| a.area == e.area) {
            Some(a) => a.events.push(e),
            None => areas.push(AreaGroup {
                area: e.area.clone(),
                events: vec![e],
            }),
        }
    }
    out
}

/// The first and last year any event covers.
pub fn year_range(events: &[Event]) -> Option<(i32, i32)> {
    let first = events.iter().map(Event::first_year).min()?;
    let last = events.iter().map(Event::last_year).max()?;
    Some((first, last))
}

// ---------------------------------------------------------------------------------------------
// Under way in a year
// ---------------------------------------------------------------------------------------------

/// What was under way in a year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnderWay {
    pub areas: BTreeSet<Id>,
    pub projects: BTreeSet<Id>,
}

/// What was under way in `year`, defined from the sources alone:
///
/// * an **event** is under way in the years its dates cover: `2018-06` in 2018, a span
///   `2019`–`2020` in 2019 and 2020, an approximate "about 2022–2024" in 2022, 2023 and 2024;
/// * a **project** is under way from the year of its first dated milestone to the last year
///   of its last one: the sources show it going at both ends, so it was going between them
///   (Jinshanghai's building groups, 2014 and 2017, were under way in 2015);
/// * an **area** is under way when one of its events is, or one of its projects.
///
/// A place fact with no project (a house built in 1912) only marks its own years.
pub fn under_way(events: &[Event], year: i32) -> UnderWay {
    let mut out = UnderWay::default();
    let mut spans: BTreeMap<&str, (i32, i32, &str)> = BTreeMap::new();
    for e in events {
        if e.covers(year) {
            out.areas.insert(e.area.clone());
            if let Some(p) = &e.project {
                out.projects.insert(p.clone());
            }
        }
        if let Origin::Milestone { project, .. } = &e.origin {
            let s = spans.entry(project.as_str()).or_insert((
                e.first_year(),
                e.last_year(),
                e.area.as_str(),
            ));
            s.0 = s.0.min(e.first_year());
            s.1 = s.1.max(e.last_year());
        }
    }
    for (project, (first, last, area)) in spans {
        if (first..=last).contains(&year) {
            out.projects.insert(project.to_string());
            out.areas.insert(area.to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The axis
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Lanes
// ---------------------------------------------------------------------------------------------

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
    use crate::model::{
        Area, AreaProps, Boundary, LocationAccuracy, Place, PlaceKind, PlaceProps, Project,
    };
    use geo::{MultiPolygon, Point};

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    fn dated(date: &str, approximate: bool, end: Option<&str>, text: &str) -> Dated {
        Dated {
            date: Some(d(date)),
            approximate,
            end: end.map(d),
            text: Localized::new(text),
            sources: vec!["seed-x".into()],
        }
    }

    fn area(id: &str, district: &str) -> Area {
        Area {
            props: AreaProps {
                id: id.into(),
                name: Localized::new(id),
                subdistrict: "s".into(),
                district: district.into(),
                households: None,
                residents: None,
                area_km2: None,
                summary: None,
                boundary: Boundary::Schematic,
                boundary_note: None,
                sources: vec![],
            },
            geometry: MultiPolygon::new(vec![]),
        }
    }

    fn place(id: &str, area: &str, facts: Vec<Dated>) -> Place {
        Place {
            props: PlaceProps {
                id: id.into(),
                name: Localized::new(id),
                kind: PlaceKind::Building,
                area: area.into(),
                summary: Localized::new(id),
                facts,
                story: None,
                image: None,
                location: LocationAccuracy::Approximate,
                sources: vec![],
            },
            point: Point::new(121.47, 31.22),
        }
    }

    fn project(
        id: &str,
        area: &str,
        theme: &str,
        places: &[&str],
        milestones: Vec<Dated>,
    ) -> Project {
        Project {
            id: id.into(),
            area: area.into(),
            theme: theme.into(),
            title: Localized::new(id),
            summary: Localized::new(id),
            milestones,
            places: places.iter().map(|s| s.to_string()).collect(),
            sources: vec![],
        }
    }

    /// A small exhibit shaped like the real one.
    fn exhibit() -> Exhibit {
        let mut ex = Exhibit::default();
        ex.areas = vec![
            area("jinshanghai", "baoshan"),
            area("jintan", "huangpu"),
            area("yuyangli", "huangpu"),
            area("dongdaming", "hongkou"),
        ];
        ex.projects = vec![
            project(
                "groups",
                "jinshanghai",
                "building-groups",
                &["b5", "b11"],
                vec![
                    dated("2014", false, None, "model groups"),
                    dated("2016", false, None, "star groups"),
                    dated("2017-04", false, None, "report"),
                ],
            ),
            project(
                "zero",
                "jintan",
                "public-space",
                &["jixiancun"],
                vec![
                    dated("2018-06", false, None, "Old Dock alliance"),
                    dated("2019", false, Some("2020"), "works"),
                ],
            ),
            project(
                "five",
                "dongdaming",
                "party-members",
                &[],
                vec![dated("2022", true, Some("2024"), "nearly three years")],
            ),
        ];
        ex.places = vec![
            place(
                "b5",
                "jinshanghai",
                vec![
                    dated("2014", false, None, "b5 model group"),
                    Dated {
                        date: None,
                        ..dated("2014", false, None, "undated")
                    },
                ],
            ),
            place(
                "b11",
                "jinshanghai",
                vec![dated("2014", false, None, "b11 model group")],
            ),
            place(
                "jixiancun",
                "jintan",
                vec![dated("2019", false, Some("2020"), "repair")],
            ),
            place(
                "office",
                "yuyangli",
                vec![
                    dated("1912", false, None, "built"),
                    dated("1920", false, None, "moved in"),
                ],
            ),
        ];
        ex.reindex();
        ex
    }

    #[test]
    fn events_are_milestones_and_dated_facts_with_restatements_folded() {
        let ev = events(&exhibit());
        let keys: Vec<&str> = ev.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "place:office:0",
                "place:office:1",
                "project:groups:0",
                "project:groups:1",
                "project:groups:2",
                "project:zero:0",
                "project:zero:1",
                "project:five:0"
            ]
        );
        let model = &ev[2];
        assert_eq!(
            model.places,
            ["b5", "b11"],
            "the buildings' 2014 facts restate the milestone"
        );
        assert_eq!(model.district, "baoshan");
        assert_eq!(model.theme.as_deref(), Some("building-groups"));
        let works = ev.iter().find(|e| e.key == "project:zero:1").unwrap();
        assert_eq!(works.places, ["jixiancun"]);
        let office = &ev[0];
        assert_eq!(
            (office.project.as_deref(), office.theme.as_deref()),
            (None, None)
        );
        assert_eq!(office.places, ["office"]);
    }

    #[test]
    fn labels_keep_true_precision() {
        let ev = events(&exhibit());
        let label = |k: &str, l: Lang| ev.iter().find(|e| e.key == k).unwrap().date_label(l);
        assert_eq!(label("project:zero:0", Lang::ZhHans), "2018年6月");
        assert_eq!(label("project:zero:0", Lang::En), "June 2018");
        assert_eq!(label("project:groups:0", Lang::En), "2014");
        assert_eq!(label("project:five:0", Lang::ZhHans), "约2022年–2024年");
        assert_eq!(label("project:five:0", Lang::En), "about 2022–2024");
        assert_eq!(label("project:zero:1", Lang::En), "2019–2020");
    }

    #[test]
    fn order_is_by_start_then_precision() {
        let mk = |key: &str, date: &str, approximate: bool| Event {
            key: key.into(),
            origin: Origin::Fact {
                place: "p".into(),
                index: 0,
            },
            project: None,
            places: vec![],
            area: "a".into(),
            district: "d".into(),
            theme: None,
            date: d(date),
            approximate,
            end: None,
            text: Localized::new(key),
            sources: vec![],
        };
        let mut v = vec![
            mk("c", "2018-06-01", false),
            mk("z", "2018", true),
            mk("b", "2018-06", false),
            mk("a", "2018", false),
            mk("d", "2017-12", false),
        ];
        sort(&mut v);
        let keys: Vec<&str> = v.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["d", "a", "z", "b", "c"]);
    }

    #[test]
    fn filters_narrow_by_district_and_theme() {
        let ev = events(&exhibit());
        let all = filter(&ev, &Filters::default());
        assert_eq!(all.len(), ev.len());
        let huangpu = filter(
            &ev,
            &Filters {
                district: Some("huangpu".into()),
                ..Filters::default()
            },
        );
        assert_eq!(huangpu.len(), 4);
        assert!(huangpu.iter().all(|e| e.district == "huangpu"));
        let space = filter(
            &ev,
            &Filters {
                theme: Some("public-space".into()),
                ..Filters::default()
            },
        );
        assert_eq!(
            space.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
            ["project:zero:0", "project:zero:1"]
        );
        let none = filter(
            &ev,
            &Filters {
                district: Some("baoshan".into()),
                theme: Some("public-space".into()),
                year: None,
            },
        );
        assert!(none.is_empty());
    }

    #[test]
    fn groups_follow_first_events_and_keep_order_inside() {
        let ev = events(&exhibit());
        let refs: Vec<&Event> = ev.iter().rev().collect();
        let g = group(&refs);
        let districts: Vec<&str> = g.iter().map(|g| g.district.as_str()).collect();
        assert_eq!(districts, ["huangpu", "baoshan", "hongkou"]);
        let huangpu: Vec<&str> = g[0].areas.iter().map(|a| a.area.as_str()).collect();
        assert_eq!(huangpu, ["yuyangli", "jintan"]);
        for dg in &g {
            for ag in &dg.areas {
                assert!(
                    ag.events
                        .windows(2)
                        .all(|w| compare(w[0], w[1]) != Ordering::Greater)
                );
            }
        }
    }

    #[test]
    fn under_way_covers_spans_and_the_years_between_milestones() {
        let ev = events(&exhibit());
        let areas = |y: i32| under_way(&ev, y).areas.into_iter().collect::<Vec<_>>();
        assert_eq!(areas(1912), ["yuyangli"]);
        assert!(
            areas(1915).is_empty(),
            "a building standing is not a project under way"
        );
        assert_eq!(
            areas(2015),
            ["jinshanghai"],
            "between the 2014 and 2017 milestones"
        );
        assert_eq!(areas(2020), ["jintan"], "the 2019–2020 works");
        assert_eq!(areas(2021), Vec::<String>::new());
        assert_eq!(areas(2023), ["dongdaming"], "inside about 2022–2024");
        assert_eq!(
            under_way(&ev, 2018)
                .projects
                .into_iter()
                .collect::<Vec<_>>(),
            ["zero"]
        );
        assert_eq!(year_range(&ev), Some((1912, 2024)));
    }

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

    /// The exhibit's own data files, compiled into the test (the core does no IO).
    fn real_exhibit() -> Exhibit {
        macro_rules! file {
            ($name:literal) => {
                (
                    $name,
                    Some(&include_bytes!(concat!("../../data/", $name))[..]),
                )
            };
        }
        let files: Vec<(&str, Option<&[u8]>)> = vec![
            file!("exhibit.json"),
            file!("sources.json"),
            ("districts.geojson", None),
            file!("subdistricts.json"),
            file!("areas.geojson"),
            file!("places.geojson"),
            file!("projects.json"),
            file!("stories.json"),
            file!("i18n/zh-Hans.json"),
            file!("i18n/zh-Hant.json"),
            file!("i18n/en.json"),
        ];
        crate::load::load(&files).exhibit
    }

    #[test]
    fn every_dated_fact_of_the_exhibit_is_on_the_timeline() {
        let ex = real_exhibit();
        assert!(
            !ex.projects.is_empty() && !ex.places.is_empty(),
            "the exhibit's data did not load"
        );
        let ev = events(&ex);
        let mut dated = 0;
        for p in &ex.projects {
            for (i, m) in p.milestones.iter().enumerate() {
                if m.date.is_some() {
                    dated += 1;
                    assert!(
                        ev.iter().any(|e| e.key == format!("project:{}:{i}", p.id)),
                        "{} milestone {i}",
                        p.id
                    );
                }
            }
        }
        for pl in &ex.places {
            for (i, f) in pl.facts.iter().enumerate() {
                if f.date.is_some() {
                    dated += 1;
                    let own = ev.iter().any(|e| e.key == format!("place:{}:{i}", pl.id));
                    let folded = ev.iter().any(|e| {
                        e.places.contains(&pl.id) && e.same_moment(f) && e.area == pl.area
                    });
                    assert!(own || folded, "{} fact {i} is missing", pl.id);
                }
            }
        }
        assert!(dated >= 20, "only {dated} dated facts");
        assert!(
            ev.windows(2)
                .all(|w| compare(&w[0], &w[1]) != Ordering::Greater)
        );
        // The moments the exhibit is known for, with their true precision.
        let labels: Vec<String> = ev.iter().map(|e| e.date_label(Lang::ZhHans)).collect();
        for want in [
            "1912年",
            "2001年",
            "2014年",
            "2018年6月",
            "2019年–2020年",
            "约2021年",
            "约2022年–2024年",
            "2024年",
            "2024年10月",
        ] {
            assert!(
                labels.iter().any(|l| l == want),
                "no event labelled {want}: {labels:?}"
            );
        }
        let first = ev
            .iter()
            .position(|e| e.date_label(Lang::En) == "June 2018");
        let works = ev
            .iter()
            .position(|e| e.date_label(Lang::En) == "2019–2020");
        assert!(first < works, "June 2018 comes before 2019–2020");
        // Xiangshan's 2024 and Dongdaming's vanguard day are under way in 2024.
        let y2024 = under_way(&ev, 2024);
        assert!(
            y2024.projects.contains("xiangshan-law")
                && y2024.projects.contains("dongdaming-five-methods")
        );
        // In 2010 only the award scheme (2001, its 7th round about 2021) was going; in 1950, nothing.
        let y2010: Vec<String> = under_way(&ev, 2010).projects.into_iter().collect();
        assert_eq!(y2010, ["taojiazhai-four-firsts"]);
        assert_eq!(under_way(&ev, 1950), UnderWay::default());
    }

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
