//! The binary form of the [`BaseLayer`] in `checked.bin`: coordinates kept to the decimetre
//! as zigzag-varint differences.

use geo::Coord;

use super::layer::{bbox_of, decimetres, from_decimetres};
use super::{BaseKind, BaseLayer, BaseShape, BaseSource, RoadClass};
use crate::model::Localized;
use crate::wire::{Reader, WireError, put_bytes, put_f64, put_u8, put_u32, put_u32s};

impl BaseLayer {
    /// Appends the layer to `out` (for `checked.bin`).
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_f64(out, self.origin.x);
        put_f64(out, self.origin.y);
        put_text(out, self.attribution.as_deref());
        put_u32(out, self.shapes.len() as u32);
        for s in &self.shapes {
            put_u8(
                out,
                match s.kind {
                    BaseKind::Road => 0,
                    BaseKind::Water => 1,
                },
            );
            put_u8(out, s.class.map_or(0xff, RoadClass::code));
            put_u8(
                out,
                match s.source {
                    BaseSource::Osm => 0,
                    BaseSource::Derived => 1,
                },
            );
            match &s.name {
                Some(n) => {
                    put_u8(out, 1);
                    put_bytes(out, n.zh_hans.as_bytes());
                    put_text(out, n.zh_hant.as_deref());
                    put_text(out, n.en.as_deref());
                }
                None => put_u8(out, 0),
            }
            let lens: Vec<u32> = s.parts.iter().map(|p| p.len() as u32).collect();
            put_u32s(out, &lens);
            // Decimetres, each x (and y) as the difference from the one before, zigzag
            // varints: about two bytes a number instead of four.
            let mut bytes = Vec::new();
            let mut last = [0i64; 2];
            for (k, v) in s.parts.iter().flatten().enumerate() {
                let d = decimetres(f64::from(*v));
                put_varint(&mut bytes, d - last[k % 2]);
                last[k % 2] = d;
            }
            put_bytes(out, &bytes);
        }
    }

    /// Reads what [`BaseLayer::encode`] wrote. Never panics: damage is an error.
    pub fn decode(r: &mut Reader) -> Result<BaseLayer, WireError> {
        let origin = Coord {
            x: r.f64()?,
            y: r.f64()?,
        };
        let attribution = get_text(r)?;
        let n = r.u32()? as usize;
        let mut shapes = Vec::with_capacity(n.min(r.left()));
        for _ in 0..n {
            let at = r.position();
            let bad = |what| WireError { at, what };
            let kind = match r.u8()? {
                0 => BaseKind::Road,
                1 => BaseKind::Water,
                _ => return Err(bad("an unknown base map kind")),
            };
            let class = match r.u8()? {
                0xff => None,
                k => Some(
                    *RoadClass::ALL
                        .get(usize::from(k))
                        .ok_or_else(|| bad("an unknown road class"))?,
                ),
            };
            let source = match r.u8()? {
                0 => BaseSource::Osm,
                1 => BaseSource::Derived,
                _ => return Err(bad("an unknown base map source")),
            };
            let name = match r.u8()? {
                0 => None,
                _ => {
                    let at = r.position();
                    let zh_hans = std::str::from_utf8(r.bytes()?)
                        .map_err(|_| WireError {
                            at,
                            what: "text that is not UTF-8",
                        })?
                        .to_string();
                    Some(Localized {
                        zh_hans,
                        zh_hant: get_text(r)?,
                        en: get_text(r)?,
                    })
                }
            };
            let lens = r.u32s()?;
            let bytes = r.bytes()?;
            let mut all = Vec::with_capacity(bytes.len());
            let (mut at_byte, mut last) = (0, [0i64; 2]);
            while at_byte < bytes.len() {
                let d = get_varint(bytes, &mut at_byte).ok_or_else(|| bad("a broken number"))?;
                let k = all.len() % 2;
                last[k] = last[k].saturating_add(d);
                all.push(from_decimetres(last[k]));
            }
            if lens.iter().map(|&l| l as usize).sum::<usize>() != all.len()
                || lens.iter().any(|l| l % 2 != 0)
            {
                return Err(bad("base map parts that do not add up"));
            }
            let mut parts = Vec::with_capacity(lens.len());
            let mut at = 0;
            for l in lens {
                parts.push(all[at..at + l as usize].to_vec());
                at += l as usize;
            }
            shapes.push(BaseShape {
                kind,
                class,
                source,
                name,
                bbox: bbox_of(origin, &parts),
                parts,
            });
        }
        Ok(BaseLayer {
            origin,
            shapes,
            attribution,
        })
    }
}

fn put_varint(out: &mut Vec<u8>, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<i64> {
    let mut z = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        z |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(((z >> 1) as i64) ^ -((z & 1) as i64));
        }
    }
    None
}

fn put_text(out: &mut Vec<u8>, t: Option<&str>) {
    match t {
        Some(t) => {
            put_u8(out, 1);
            put_bytes(out, t.as_bytes());
        }
        None => put_u8(out, 0),
    }
}

fn get_text(r: &mut Reader) -> Result<Option<String>, WireError> {
    if r.u8()? == 0 {
        return Ok(None);
    }
    let at = r.position();
    let b = r.bytes()?;
    match std::str::from_utf8(b) {
        Ok(s) => Ok(Some(s.to_string())),
        Err(_) => Err(WireError {
            at,
            what: "text that is not UTF-8",
        }),
    }
}
