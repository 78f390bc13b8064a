//! Pages: one per file, chosen by the route.

pub mod health;
pub mod map;
pub mod stories;
pub mod story;
pub mod timeline;
