//! The little binary encoding of [`crate::checked`]: numbers little-endian, arrays length-prefixed.
//! A [`Reader`] never panics on short or corrupt input; it says where reading failed.
//!
//! ```
//! use lilong_core::wire::{Reader, put_u32, put_f32s};
//! let mut out = Vec::new();
//! put_u32(&mut out, 7);
//! put_f32s(&mut out, &[1.5, -2.0]);
//! let mut r = Reader::new(&out);
//! assert_eq!(r.u32().unwrap(), 7);
//! assert_eq!(r.f32s().unwrap(), vec![1.5, -2.0]);
//! assert!(r.u8().is_err(), "nothing left");
//! ```

use std::fmt;

/// Where and why reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    /// Byte offset at which the value that could not be read starts.
    pub at: usize,
    pub what: &'static str,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.at, self.what)
    }
}

pub fn put_u8(out: &mut Vec<u8>, v: u8) {
    out.push(v);
}
pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub fn put_f64(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_le_bytes());
}
/// A length (u32) and the bytes.
pub fn put_bytes(out: &mut Vec<u8>, v: &[u8]) {
    put_u32(out, v.len() as u32);
    out.extend_from_slice(v);
}
/// A length (u32) and the numbers.
pub fn put_f32s(out: &mut Vec<u8>, v: &[f32]) {
    put_u32(out, v.len() as u32);
    for x in v {
        out.extend_from_slice(&x.to_le_bytes());
    }
}
/// A length (u32) and the numbers.
pub fn put_u32s(out: &mut Vec<u8>, v: &[u32]) {
    put_u32(out, v.len() as u32);
    for x in v {
        put_u32(out, *x);
    }
}
/// A length (u32) and the numbers.
pub fn put_f64s(out: &mut Vec<u8>, v: &[f64]) {
    put_u32(out, v.len() as u32);
    for x in v {
        put_f64(out, *x);
    }
}

/// Reads what the `put_*` functions wrote, in the same order.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(WireError { at: self.pos, what })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], WireError> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    pub fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.array::<1>("a byte")?[0])
    }
    pub fn u32(&mut self) -> Result<u32, WireError> {
        self.array("a 32-bit number").map(u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> Result<u64, WireError> {
        self.array("a 64-bit number").map(u64::from_le_bytes)
    }
    pub fn f64(&mut self) -> Result<f64, WireError> {
        self.array("a 64-bit float").map(f64::from_le_bytes)
    }

    /// A length read and checked against what is left, at `size` bytes per item.
    fn len(&mut self, size: usize) -> Result<usize, WireError> {
        let at = self.pos;
        let n = self.u32()? as usize;
        if n.saturating_mul(size) > self.bytes.len() - self.pos {
            return Err(WireError {
                at,
                what: "an array longer than the file",
            });
        }
        Ok(n)
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], WireError> {
        let n = self.len(1)?;
        self.take(n, "bytes")
    }
    /// A length, then that many numbers of `N` bytes each, converted by `from`.
    fn numbers<const N: usize, T>(
        &mut self,
        what: &'static str,
        from: fn([u8; N]) -> T,
    ) -> Result<Vec<T>, WireError> {
        let n = self.len(N)?;
        let s = self.take(n * N, what)?;
        Ok(s.chunks_exact(N)
            .map(|c| {
                let mut a = [0u8; N];
                a.copy_from_slice(c);
                from(a)
            })
            .collect())
    }
    pub fn f32s(&mut self) -> Result<Vec<f32>, WireError> {
        self.numbers("32-bit floats", f32::from_le_bytes)
    }
    pub fn u32s(&mut self) -> Result<Vec<u32>, WireError> {
        self.numbers("32-bit numbers", u32::from_le_bytes)
    }
    pub fn f64s(&mut self) -> Result<Vec<f64>, WireError> {
        self.numbers("64-bit floats", f64::from_le_bytes)
    }

    /// Bytes not read yet.
    pub fn left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Whether every byte has been read.
    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }
}
