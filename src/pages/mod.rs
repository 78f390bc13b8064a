//! Pages: one per file, chosen by the route.

pub mod health;
pub mod map;
