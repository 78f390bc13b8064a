//! Reading `basemap.geojson`: the file's head, then each feature checked on its own (a feature
//! with an error is left out, every problem located).

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde_json::Value;

use super::{
    BaseFeature, BaseFeatureIn, BaseGeometry, BaseGeometryType, BaseKind, Basemap, BasemapFile,
    FILE, to_traditional,
};
use crate::load::{MAX_VERTICES_PER_FEATURE, MAX_VERTICES_PER_FILE, Reporter, in_shanghai};
use crate::locate::JsonPath;
use crate::model::{FeatureCollectionType, Localized};

/// The head of the file with its features left as text (the fast path: each feature is then
/// read straight into its typed form).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadFast<'a> {
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    #[serde(rename = "type")]
    _kind: FeatureCollectionType,
    #[serde(default)]
    attribution: Option<String>,
    #[serde(default, rename = "license")]
    _license: Option<String>,
    #[serde(default, rename = "name")]
    _name: Option<String>,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(default, rename = "bbox")]
    _bbox: Option<Vec<f64>>,
    #[serde(borrow)]
    features: Vec<&'a serde_json::value::RawValue>,
}

/// Reads `basemap.geojson` (hooked into [`crate::load::load`]). A missing file is no problem:
/// the exhibit simply has no base map. A file that cannot be read gives an error and an empty
/// base map; a feature with an error is left out.
pub(crate) fn take<'a>(rep: &mut Reporter<'a>, bytes: Option<&'a [u8]>) -> Basemap {
    let Some(bytes) = bytes else {
        return Basemap::default();
    };
    let Some(text) = rep.read(FILE, Some(bytes)) else {
        return Basemap::default();
    };
    let root = JsonPath::root();
    // The fast path; any problem in the head, and the precise path words and locates it.
    let head = match serde_json::from_str::<HeadFast>(text) {
        Ok(h) => h,
        Err(_) => {
            let value = match serde_json::from_str::<Value>(text) {
                Ok(v) => v,
                Err(e) => {
                    rep.syntax_error(FILE, text, &e);
                    return Basemap::default();
                }
            };
            let Some(obj) = value.as_object() else {
                rep.error(
                    FILE,
                    &root,
                    "the file must hold one GeoJSON FeatureCollection `{…}`".to_string(),
                );
                return Basemap::default();
            };
            let mut head = obj.clone();
            head.insert("features".into(), Value::Array(Vec::new()));
            if crate::load::deserialize::<BasemapFile>(rep, FILE, &root, &Value::Object(head))
                .is_none()
            {
                return Basemap::default();
            }
            // The head is sound: the features list is what the fast path could not read.
            let Some(Value::Array(_)) = obj.get("features") else {
                rep.error(
                    FILE,
                    &root.key("features"),
                    "expected a list `[…]` of features at `features`".to_string(),
                );
                return Basemap::default();
            };
            match serde_json::from_str::<HeadFast>(text) {
                Ok(h) => h,
                Err(e) => {
                    rep.error(FILE, &root, format!("the file could not be read: {e}"));
                    return Basemap::default();
                }
            }
        }
    };
    let expected = crate::load::schema_for_file(FILE);
    match head.schema.as_deref() {
        Some(s) if s.rsplit('/').next() == Some(expected) => {}
        Some(s) => rep.warning(
            FILE,
            &root.key("$schema"),
            format!(
                "`$schema` names `{s}`, but this file's schema is `schema/{expected}`: editors \
                 check it against the wrong rules"
            ),
        ),
        None => rep.warning(
            FILE,
            &root,
            format!(
                "the file has no `$schema` member: add `\"$schema\": \"schema/{expected}\"` so \
                 editors check it as you type"
            ),
        ),
    }
    if let Some(crs) = &head.crs {
        let name = crs
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !(name.contains("CRS84") || name.ends_with(":4326") || name.ends_with("::4326")) {
            rep.error(
                FILE,
                &root.key("crs"),
                format!(
                    "the file declares the coordinate system `{name}` at `crs`; coordinates \
                     must be WGS84 longitude/latitude (CRS84): export the layer again in \
                     EPSG:4326"
                ),
            );
            return Basemap::default();
        }
    }
    let mut out = Basemap {
        features: Vec::with_capacity(head.features.len()),
        attribution: head.attribution,
    };
    let mut budget = MAX_VERTICES_PER_FILE;
    for (i, raw) in head.features.iter().enumerate() {
        let path = root.key("features").index(i);
        let feature = match serde_json::from_str::<BaseFeatureIn>(raw.get()) {
            Ok(f) => Some(f),
            Err(_) => {
                let v = serde_json::from_str::<Value>(raw.get()).unwrap_or(Value::Null);
                crate::load::deserialize::<BaseFeatureIn>(rep, FILE, &path, &v)
            }
        };
        match feature.and_then(|f| feature_of(rep, &path, f, &mut budget)) {
            Some(f) => out.features.push(f),
            None => rep.skip(FILE, &path, None),
        }
    }
    out
}

/// Checks one feature and turns it into its loaded form; `None` (with the errors reported)
/// when it is to be left out.
fn feature_of(
    rep: &mut Reporter,
    path: &JsonPath,
    f: BaseFeatureIn,
    budget: &mut usize,
) -> Option<BaseFeature> {
    let p = f.properties;
    let props = path.key("properties");
    let gpath = path.key("geometry");
    let lines = matches!(
        f.geometry.kind,
        BaseGeometryType::LineString | BaseGeometryType::MultiLineString
    );
    let mut ok = true;
    match (p.kind, lines) {
        (BaseKind::Road, false) => {
            rep.error(
                FILE,
                &gpath.key("type"),
                "a road is a LineString or MultiLineString, not a polygon".to_string(),
            );
            ok = false;
        }
        (BaseKind::Water, true) => {
            rep.error(
                FILE,
                &gpath.key("type"),
                "water is a Polygon or MultiPolygon (its banks), not a line".to_string(),
            );
            ok = false;
        }
        _ => {}
    }
    let class = match (p.kind, p.class) {
        (BaseKind::Road, None) => {
            rep.error(
                FILE,
                &props,
                "a road needs its `class` (the OpenStreetMap highway class, e.g. \
                 \"residential\"): it decides how wide and from which zoom it is drawn"
                    .to_string(),
            );
            ok = false;
            None
        }
        (BaseKind::Water, Some(_)) => {
            rep.warning(
                FILE,
                &props.key("class"),
                "water has no road class: `class` is ignored".to_string(),
            );
            None
        }
        (_, c) => c,
    };
    let name = match p.name {
        Some(n) if !n.trim().is_empty() => Some(Localized {
            zh_hant: Some(p.name_zh_hant.unwrap_or_else(|| to_traditional(&n))),
            zh_hans: n,
            en: p.name_en.filter(|e| !e.trim().is_empty()),
        }),
        Some(_) => {
            rep.error(
                FILE,
                &props.key("name"),
                "the name is empty: write it, or leave `name` out".to_string(),
            );
            ok = false;
            None
        }
        None => {
            if p.name_en.is_some() || p.name_zh_hant.is_some() {
                rep.warning(
                    FILE,
                    &props,
                    "a translated name without the Chinese `name`: it is not shown".to_string(),
                );
            }
            None
        }
    };
    let cpath = gpath.key("coordinates");
    let c = &f.geometry.coordinates;
    let geometry = match f.geometry.kind {
        BaseGeometryType::LineString => {
            line(rep, &cpath, c, budget).map(|l| BaseGeometry::Lines(MultiLineString(vec![l])))
        }
        BaseGeometryType::MultiLineString => {
            list(rep, &cpath, c, |rep, p, v| line(rep, p, v, budget))
                .map(|ls| BaseGeometry::Lines(MultiLineString(ls)))
        }
        BaseGeometryType::Polygon => {
            polygon(rep, &cpath, c, budget).map(|p| BaseGeometry::Polygons(MultiPolygon(vec![p])))
        }
        BaseGeometryType::MultiPolygon => {
            list(rep, &cpath, c, |rep, p, v| polygon(rep, p, v, budget))
                .map(|ps| BaseGeometry::Polygons(MultiPolygon(ps)))
        }
    };
    let geometry = geometry?;
    if !ok {
        return None;
    }
    Some(BaseFeature {
        kind: p.kind,
        class,
        source: p.source,
        name,
        geometry,
    })
}

/// A non-empty list, each item read by `item`; `None` when any item fails.
fn list<T>(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    mut item: impl FnMut(&mut Reporter, &JsonPath, &Value) -> Option<T>,
) -> Option<Vec<T>> {
    let Some(a) = v.as_array().filter(|a| !a.is_empty()) else {
        rep.error(
            FILE,
            path,
            "expected a non-empty list `[…]` here".to_string(),
        );
        return None;
    };
    let mut out = Vec::with_capacity(a.len());
    let mut ok = true;
    for (i, x) in a.iter().enumerate() {
        match item(rep, &path.index(i), x) {
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Positions, at least `min` of them, each in Shanghai; counted against the budget.
fn positions(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    min: usize,
    budget: &mut usize,
) -> Option<LineString<f64>> {
    let Some(a) = v.as_array() else {
        rep.error(
            FILE,
            path,
            "expected a list of positions `[[lon, lat], …]`".to_string(),
        );
        return None;
    };
    if a.len() < min {
        rep.error(
            FILE,
            path,
            format!("{} position(s) here; at least {min} are needed", a.len()),
        );
        return None;
    }
    if a.len() > (*budget).min(MAX_VERTICES_PER_FEATURE) {
        rep.error(
            FILE,
            path,
            format!(
                "too many positions (the limits are {MAX_VERTICES_PER_FEATURE} per feature and \
                 {MAX_VERTICES_PER_FILE} per file): simplify the geometry"
            ),
        );
        return None;
    }
    *budget -= a.len();
    let mut out = Vec::with_capacity(a.len());
    for (i, p) in a.iter().enumerate() {
        let xy = p.as_array().and_then(|xy| {
            let lon = xy.first()?.as_f64()?;
            let lat = xy.get(1)?.as_f64()?;
            (xy.len() <= 3).then_some((lon, lat))
        });
        let Some((lon, lat)) = xy else {
            rep.error(
                FILE,
                &path.index(i),
                "expected a position `[longitude, latitude]` of two numbers".to_string(),
            );
            return None;
        };
        if !in_shanghai(lon, lat) {
            let swapped = in_shanghai(lat, lon);
            rep.error(
                FILE,
                &path.index(i),
                if swapped {
                    format!(
                        "the position [{lon}, {lat}] has latitude and longitude swapped: \
                         GeoJSON writes [longitude, latitude]"
                    )
                } else {
                    format!("the position [{lon}, {lat}] is not in Shanghai")
                },
            );
            return None;
        }
        out.push(Coord { x: lon, y: lat });
    }
    Some(LineString(out))
}

fn line(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    budget: &mut usize,
) -> Option<LineString<f64>> {
    positions(rep, path, v, 2, budget)
}

fn polygon(
    rep: &mut Reporter,
    path: &JsonPath,
    v: &Value,
    budget: &mut usize,
) -> Option<Polygon<f64>> {
    let rings = list(rep, path, v, |rep, p, r| {
        let ring = positions(rep, p, r, 4, budget)?;
        if ring.0.first() != ring.0.last() {
            rep.error(
                FILE,
                p,
                "the ring is not closed: its last position must repeat the first".to_string(),
            );
            return None;
        }
        Some(ring)
    })?;
    let mut rings = rings.into_iter();
    let outer = rings.next()?;
    let poly = Polygon::new(outer, rings.collect());
    let bad = crate::validity::validation_errors(&MultiPolygon(vec![poly.clone()]));
    if !bad.is_empty() {
        rep.error(
            FILE,
            path,
            "the polygon is not valid (a ring crosses itself or another): redraw its banks"
                .to_string(),
        );
        return None;
    }
    Some(poly)
}
