//! The thin Leptos layer of the lilong exhibit.
pub mod app;
