//! Map geometry: projection and viewport, levels of detail, hit testing, labels, and the
//! [`Scene`] that bundles them for a list of polygons.
//!
//! Everything takes `geo` types in WGS84 lon/lat (or world metres once projected) and
//! plain indexes, and returns plain values: it knows nothing of the data model or the
//! browser. The app prepares a [`Scene`] once at load; during a gesture it only moves the
//! canvas, and at the end it asks the scene what to draw, at which band, and where the
//! labels go.

pub mod cover;
pub mod hit;
pub mod labels;
pub mod lod;
pub mod projection;
pub mod scene;

pub use hit::HitIndex;
pub use labels::{Anchor, LabelSize, PlacedLabel};
pub use lod::Lod;
pub use projection::{
    BandProjector, Flight, Limits, ScaleBar, Viewport, nice_length, project, unproject,
};
pub use scene::Scene;
