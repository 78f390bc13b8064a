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

mod axis;
mod lanes;
pub use axis::{Axis, Tick};
pub use lanes::{Lanes, Placed, layout, pack_lanes};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Area, AreaProps, Boundary, LocationAccuracy, Place, PlaceKind, PlaceProps, Project,
    };
    use geo::{MultiPolygon, Point};

    pub(super) fn d(s: &str) -> PartialDate {
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
    pub(super) fn exhibit() -> Exhibit {
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
}
