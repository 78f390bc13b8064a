//! # lilong-core
//!
//! The pure heart of the lilong exhibit: the data model, loading and validation of the
//! curators' files, geometry (projection, levels of detail, labels, hit testing), timeline
//! layout, search and localisation.
//!
//! It knows nothing of the browser and does no IO: every function takes `&str`, bytes or
//! values and returns values or lists of [`problem::Problem`]s. The app, the checker
//! (`cargo xtask check-data`) and the tests all go through the same functions.

pub mod basemap;
pub mod checked;
pub mod date;
pub mod gcj02;
pub mod geometry;
pub mod load;
pub mod locate;
pub mod model;
pub mod problem;
pub mod route;
pub mod search;
pub mod timeline;
pub mod validate;
pub mod validity;
pub mod wire;

/// JSON Schema generation for the data files' types (for `cargo xtask schemas`).
#[cfg(feature = "schema")]
pub use schemars;

/// The geometry crate the core speaks in, re-exported so every layer uses the same version.
pub use geo;
