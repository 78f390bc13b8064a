//! Components, named after the nouns a visitor sees.

pub mod area_list;
pub mod area_panel;
pub mod filters;
pub mod handoff;
pub mod header;
pub mod kiosk;
pub mod legend;
pub mod map;
pub mod place_panel;
pub mod search;
pub mod share;
pub mod sources;
pub mod story_card;
pub mod timeline_area;
pub mod timeline_nav;
pub mod welcome;
pub mod year_control;
