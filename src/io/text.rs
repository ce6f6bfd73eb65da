//! Decoding text files: UTF-8 (with or without BOM) or Big5/CP950.
//!
//! Schools' spreadsheets reach us as UTF-8 (often with the BOM Excel writes)
//! or as Big5/CP950 (older Excel on Traditional-Chinese Windows). [`decode`]
//! tells them apart without guessing wildly: a BOM means UTF-8; text that is
//! valid UTF-8 is UTF-8; otherwise it must decode as Big5 without a single
//! replacement character, or it is refused with the offset of the first byte
//! that did not fit each encoding tried.

use crate::i18n::{Localized, tr, trf};

use crate::io::csv_in::BOM;

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Big5,
}

impl TextEncoding {
    /// `utf-8`, `utf8`, `utf-8-bom`, `big5`, `cp950` (case and `_`/`-` do
    /// not matter).
    pub fn parse(s: &str) -> Option<TextEncoding> {
        let t: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        match t.as_str() {
            "utf8" => Some(TextEncoding::Utf8),
            "utf8bom" | "utf8sig" => Some(TextEncoding::Utf8Bom),
            "big5" | "cp950" | "ms950" | "windows950" | "big5hkscs" => Some(TextEncoding::Big5),
            _ => None,
        }
    }

    /// How the encoding is named to the user: `UTF-8`, `UTF-8 (BOM)`, `Big5`.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Big5 => "Big5/CP950",
        }
    }
}

/// One encoding tried and where it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub encoding: TextEncoding,
    /// Byte offset (from 0) of the first byte that does not fit.
    pub offset: usize,
    /// That byte.
    pub byte: u8,
    /// The line it is on (from 1).
    pub line: usize,
}

/// The bytes are not text in any encoding tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Every encoding tried, in order, with where it failed.
    pub attempts: Vec<Attempt>,
    /// The encoding the user asked for, if any.
    pub forced: Option<TextEncoding>,
}

impl DecodeError {
    /// Where the first encoding tried failed.
    pub fn first_offset(&self) -> usize {
        self.attempts.first().map(|a| a.offset).unwrap_or(0)
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
impl std::error::Error for DecodeError {}

impl Localized for DecodeError {
    fn message_key(&self) -> &'static str {
        if self.forced.is_some() {
            "io.decode_forced_failed"
        } else {
            "io.decode_failed"
        }
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        let tried: Vec<String> = self
            .attempts
            .iter()
            .map(|a| {
                trf(
                    "io.decode_attempt",
                    &[
                        ("encoding", a.encoding.name().to_string()),
                        ("offset", a.offset.to_string()),
                        ("byte", format!("{:02X}", a.byte)),
                        ("line", a.line.to_string()),
                    ],
                )
            })
            .collect();
        vec![
            ("tried", tried.join(tr("io.decode_sep"))),
            (
                "encoding",
                self.forced.map(|e| e.name()).unwrap_or("").to_string(),
            ),
        ]
    }
}

fn attempt(bytes: &[u8], encoding: TextEncoding, offset: usize) -> Attempt {
    let offset = offset.min(bytes.len().saturating_sub(1));
    Attempt {
        encoding,
        offset,
        byte: bytes.get(offset).copied().unwrap_or(0),
        line: bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1,
    }
}

/// UTF-8 text, or the offset of the first byte that is not.
fn utf8(bytes: &[u8]) -> Result<String, usize> {
    std::str::from_utf8(bytes)
        .map(str::to_string)
        .map_err(|e| e.valid_up_to())
}

/// Big5/CP950 text without replacement characters, or the offset of the
/// first malformed byte.
pub fn big5(bytes: &[u8]) -> Result<String, usize> {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding_rs::BIG5.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok(out),
        DecoderResult::Malformed(bad, extra) => {
            Err(read.saturating_sub(bad as usize + extra as usize))
        }
        // The buffer was sized for the whole input; should it still be too
        // small, say so at the point reached rather than loop.
        DecoderResult::OutputFull => Err(read),
    }
}

/// Reads `bytes` as text. With `forced`, only that encoding is tried (a BOM
/// is dropped either way). Without it: a BOM → UTF-8 with BOM; valid UTF-8 →
/// UTF-8; else Big5/CP950 if it decodes without a replacement character;
/// else refused, naming what was tried and where each failed.
pub fn decode(
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<(String, TextEncoding), DecodeError> {
    let has_bom = bytes.starts_with(BOM);
    let fail = |attempts: Vec<Attempt>| DecodeError { attempts, forced };
    match forced {
        Some(TextEncoding::Utf8 | TextEncoding::Utf8Bom) => {
            let skip = if has_bom { BOM.len() } else { 0 };
            let enc = if has_bom {
                TextEncoding::Utf8Bom
            } else {
                TextEncoding::Utf8
            };
            utf8(&bytes[skip..])
                .map(|s| (s, enc))
                .map_err(|at| fail(vec![attempt(bytes, enc, at + skip)]))
        }
        Some(TextEncoding::Big5) => big5(bytes)
            .map(|s| (s, TextEncoding::Big5))
            .map_err(|at| fail(vec![attempt(bytes, TextEncoding::Big5, at)])),
        None if has_bom => utf8(&bytes[BOM.len()..])
            .map(|s| (s, TextEncoding::Utf8Bom))
            .map_err(|at| fail(vec![attempt(bytes, TextEncoding::Utf8Bom, at + BOM.len())])),
        None => match utf8(bytes) {
            Ok(s) => Ok((s, TextEncoding::Utf8)),
            Err(u) => match big5(bytes) {
                Ok(s) => Ok((s, TextEncoding::Big5)),
                Err(b) => Err(fail(vec![
                    attempt(bytes, TextEncoding::Utf8, u),
                    attempt(bytes, TextEncoding::Big5, b),
                ])),
            },
        },
    }
}

/// `text` encoded for writing: UTF-8 with BOM (what Excel opens correctly),
/// plain UTF-8, or Big5 (characters Big5 lacks become `&#NNNN;`).
pub fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    match encoding {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf8Bom => {
            let mut v = BOM.to_vec();
            v.extend_from_slice(text.as_bytes());
            v
        }
        TextEncoding::Big5 => encoding_rs::BIG5.encode(text).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for e in [
            TextEncoding::Utf8,
            TextEncoding::Utf8Bom,
            TextEncoding::Big5,
        ] {
            let n = e.name().replace(" (BOM)", "-bom").replace("/CP950", "");
            assert_eq!(TextEncoding::parse(&n), Some(e), "{n}");
        }
        assert_eq!(TextEncoding::parse("CP950"), Some(TextEncoding::Big5));
        assert_eq!(TextEncoding::parse("latin1"), None);
    }

    #[test]
    fn offsets_point_at_the_bad_byte() {
        let bytes = b"ab\ncd\xFF\xFFef";
        let e = decode(bytes, Some(TextEncoding::Utf8)).unwrap_err();
        assert_eq!(e.attempts[0].offset, 5);
        assert_eq!(e.attempts[0].byte, 0xFF);
        assert_eq!(e.attempts[0].line, 2);
        let e = decode(bytes, None).unwrap_err();
        assert_eq!(e.attempts.len(), 2);
        assert_eq!(e.attempts[1].encoding, TextEncoding::Big5);
        assert_eq!(e.attempts[1].offset, 5);
    }

    #[test]
    fn big5_round_trip() {
        let text = "學期,日期\r\n111-2,112.02.11~28\r\n";
        let bytes = encode(text, TextEncoding::Big5);
        assert_ne!(bytes, text.as_bytes());
        assert_eq!(
            decode(&bytes, None).unwrap(),
            (text.to_string(), TextEncoding::Big5)
        );
    }
}
