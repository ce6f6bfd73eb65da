//! Pure rules: no I/O, no terminal, no SQL. Most tests live here.
pub mod access;
pub mod agenda;
pub mod audit;
pub mod calendar;
pub mod checklist;
pub mod committee;
pub mod delegation;
pub mod meeting;
pub mod preset;
pub mod receipt;
pub mod regulation;
pub mod retention;
pub mod roc;
