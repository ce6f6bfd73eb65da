//! Shared widgets: key table, theme, table, form, confirm, help, picker,
//! filter line, and the text-width helpers they all use.
pub mod confirm;
pub mod filter;
pub mod form;
pub mod help;
pub mod keys;
pub mod picker;
pub mod table;
pub mod text;
pub mod theme;
