//! Import and export: CSV (UTF-8 with or without BOM, Big5/CP950), ICS,
//! Markdown and print-ready HTML. Pure transformations of bytes and domain
//! values; the callers (CLI, screens) read files and the store. Every export
//! is written to disk by `out_file::write` (refused targets, atomic replace),
//! every CSV cell by `csv_out` (the formula guard).

pub mod agenda_export;
pub mod calendar_csv;
pub mod calendar_export;
pub mod checklist_export;
pub mod csv_in;
pub mod csv_out;
pub mod out_file;
pub mod receipt_csv;
pub mod receipt_export;
pub mod text;

pub use calendar_csv::{BadRow, EventFile, FileError, read_events};
pub use calendar_export::{Format, Publish, export};
pub use receipt_csv::{ReceiptFile, ReceiptFileError, StudentFile, parse_receipts, parse_students};
pub use text::{DecodeError, TextEncoding, decode};
