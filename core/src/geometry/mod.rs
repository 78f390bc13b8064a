//! Map geometry: projection and viewport, levels of detail, hit testing, labels, and the
//! [`Scene`] that bundles them for a list of polygons.
//!
//! Everything takes `geo` types in WGS84 lon/lat (or world metres once projected) and
//! plain indexes, and returns plain values: it knows nothing of the data model or the
//! browser. The app prepares a [`Scene`] once at load; during a gesture it only moves the
//! canvas, and at the end it asks the scene what to draw, at which band, and where the
//! labels go.

pub mod cover;
pub mod framing;
pub mod gesture;
pub mod glide;
pub mod hit;
pub mod label_pass;
pub mod labels;
pub mod lod;
pub mod markers;
pub mod overlay;
pub mod pin_steps;
pub mod projection;
pub mod scene;
pub mod transform;

pub use hit::HitIndex;
pub use labels::{Anchor, LabelSize, PlacedLabel};
pub use lod::Lod;
pub use projection::{BandProjector, Limits, ScaleBar, Viewport, nice_length, project, unproject};
pub use scene::Scene;
