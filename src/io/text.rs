//! Decoding text files: UTF-8 (with or without BOM) or Big5/CP950.
//! STUB — to be implemented (see the API contract below).

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Big5,
}
