//! The thin Leptos layer of the lilong exhibit: it fetches the data files, hands them to
//! `lilong_core`, and draws what the core computed. `main.rs` only mounts [`app::App`].

pub mod app;
pub mod checker;
pub mod components;
pub mod dom;
pub mod draw;
pub mod fetch;
pub mod last_good;
pub mod memory;
pub mod pages;
pub mod recovery;
pub mod state;
pub mod timers;
