//! The projected layer: the base map in Web Mercator metres, as the map paints it and
//! `checked.bin` carries it (its binary form is in `pack.rs`).

use geo::{Coord, Rect};

use super::{BaseGeometry, BaseKind, BaseSource, Basemap, RoadClass};
use crate::geometry::projection::project;
use crate::model::Localized;

/// The base map prepared for painting: every feature projected to Web Mercator metres (as the
/// map's [`crate::geometry::Viewport`] uses), as `f32` offsets from [`BaseLayer::origin`],
/// kept to the decimetre (stored in `checked.bin` as varint differences).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseLayer {
    /// World position (Web Mercator metres) the coordinates are relative to.
    pub origin: Coord<f64>,
    /// In file order: water and roads as the file lists them. The importer writes water first,
    /// then roads from the least to the most important class (so painting in order puts main
    /// roads on top).
    pub shapes: Vec<BaseShape>,
    /// The file's `attribution`, to show on the map (e.g. "© OpenStreetMap contributors").
    pub attribution: Option<String>,
}

/// One feature of the [`BaseLayer`].
#[derive(Clone, Debug, PartialEq)]
pub struct BaseShape {
    pub kind: BaseKind,
    /// Every road has one; water has none.
    pub class: Option<RoadClass>,
    pub source: BaseSource,
    /// Chinese, traditional and English names (`zh_hant` always set when there is a name).
    pub name: Option<Localized>,
    /// Roads: each line; water: each ring (of every polygon; fill them together with the
    /// even-odd rule, so holes are holes). Each part is `x, y, x, y, …` in metres from
    /// [`BaseLayer::origin`] (y grows northwards, as in world coordinates).
    pub parts: Vec<Vec<f32>>,
    /// World bounds of the shape (Web Mercator metres).
    pub bbox: Rect<f64>,
}

impl BaseLayer {
    /// Projects a loaded base map.
    pub fn new(map: &Basemap) -> BaseLayer {
        let world: Vec<Vec<Vec<Coord<f64>>>> = map
            .features
            .iter()
            .map(|f| match &f.geometry {
                BaseGeometry::Lines(m) => {
                    m.0.iter()
                        .map(|l| l.0.iter().map(|c| project(*c)).collect())
                        .collect()
                }
                BaseGeometry::Polygons(m) => {
                    m.0.iter()
                        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                        .map(|r| r.0.iter().map(|c| project(*c)).collect())
                        .collect()
                }
            })
            .collect();
        let all = world.iter().flatten().flatten();
        let (mut lo, mut hi) = (
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        );
        for c in all {
            lo = Coord {
                x: lo.x.min(c.x),
                y: lo.y.min(c.y),
            };
            hi = Coord {
                x: hi.x.max(c.x),
                y: hi.y.max(c.y),
            };
        }
        let origin = if lo.x.is_finite() {
            Coord {
                x: ((lo.x + hi.x) / 2.0).round(),
                y: ((lo.y + hi.y) / 2.0).round(),
            }
        } else {
            Coord::zero()
        };
        let shapes = map
            .features
            .iter()
            .zip(world)
            .map(|(f, parts)| {
                let parts: Vec<Vec<f32>> = parts
                    .iter()
                    .map(|p| {
                        p.iter()
                            .flat_map(|c| [decimetres(c.x - origin.x), decimetres(c.y - origin.y)])
                            .map(from_decimetres)
                            .collect()
                    })
                    .collect();
                BaseShape {
                    kind: f.kind,
                    class: f.class,
                    source: f.source,
                    name: f.name.clone(),
                    bbox: bbox_of(origin, &parts),
                    parts,
                }
            })
            .collect();
        BaseLayer {
            origin,
            shapes,
            attribution: map.attribution.clone(),
        }
    }

    /// World bounds of the whole layer, `None` when it is empty.
    pub fn bounds(&self) -> Option<Rect<f64>> {
        let mut it = self.shapes.iter().map(|s| s.bbox);
        let first = it.next()?;
        Some(it.fold(first, |a, b| {
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
        }))
    }

    /// The shapes whose bounds meet `world` (e.g. [`crate::geometry::Viewport::world_bounds`]),
    /// in layer order.
    pub fn in_rect(&self, world: Rect<f64>) -> impl Iterator<Item = &BaseShape> + '_ {
        self.shapes.iter().filter(move |s| {
            s.bbox.min().x <= world.max().x
                && s.bbox.max().x >= world.min().x
                && s.bbox.min().y <= world.max().y
                && s.bbox.max().y >= world.min().y
        })
    }
}

impl BaseShape {
    /// Where a street's name fits best: the middle of its longest part, as a world position,
    /// the direction of the street there (radians, counter-clockwise from east, in world
    /// coordinates) and the part's length in metres. `None` for a shape without parts.
    pub fn label_run(&self, origin: Coord<f64>) -> Option<(Coord<f64>, f64, f64)> {
        let len = |p: &[f32]| -> f64 {
            p.chunks_exact(2)
                .zip(p.chunks_exact(2).skip(1))
                .map(|(a, b)| f64::from(b[0] - a[0]).hypot(f64::from(b[1] - a[1])))
                .sum()
        };
        let part = self
            .parts
            .iter()
            .filter(|p| p.len() >= 4)
            .max_by(|a, b| len(a).total_cmp(&len(b)))?;
        let total = len(part);
        let mut left = total / 2.0;
        for (a, b) in part.chunks_exact(2).zip(part.chunks_exact(2).skip(1)) {
            let (dx, dy) = (f64::from(b[0] - a[0]), f64::from(b[1] - a[1]));
            let d = dx.hypot(dy);
            if d >= left && d > 0.0 {
                let t = left / d;
                let at = Coord {
                    x: origin.x + f64::from(a[0]) + dx * t,
                    y: origin.y + f64::from(a[1]) + dy * t,
                };
                return Some((at, dy.atan2(dx), total));
            }
            left -= d;
        }
        None
    }
}

pub(super) fn bbox_of(origin: Coord<f64>, parts: &[Vec<f32>]) -> Rect<f64> {
    let (mut lo, mut hi) = (
        Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        },
        Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        },
    );
    for xy in parts.iter().flat_map(|p| p.chunks_exact(2)) {
        let (x, y) = (origin.x + f64::from(xy[0]), origin.y + f64::from(xy[1]));
        lo = Coord {
            x: lo.x.min(x),
            y: lo.y.min(y),
        };
        hi = Coord {
            x: hi.x.max(x),
            y: hi.y.max(y),
        };
    }
    if lo.x.is_finite() {
        Rect::new(lo, hi)
    } else {
        Rect::new(origin, origin)
    }
}

/// A length in metres as whole decimetres (the precision the layer keeps).
pub(super) fn decimetres(m: f64) -> i64 {
    (m * 10.0).round() as i64
}

pub(super) fn from_decimetres(d: i64) -> f32 {
    (d as f64 / 10.0) as f32
}
