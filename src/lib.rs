//! portfolio-desk: run a senior high school's learning-portfolio process from
//! the terminal. Layers point one way: `domain` (pure rules) ← `store`
//! (SQLite) ← `screens` / `cli`.

pub mod agenda_refresh;
pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod io;
pub mod log;
pub mod screens;
pub mod session;
pub mod store;
pub mod ui;
