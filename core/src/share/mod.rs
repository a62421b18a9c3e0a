//! Share links: a whole design (with its scenario), the exercise id and the playhead, packed
//! into text that fits in a URL fragment, and unpacked again however damaged the text is.
//!
//! The format (docs/share-links.md): `v1.` then base64url without padding of the zlib
//! stream (deflate plus an Adler-32 checksum) of a compact JSON payload
//! `{"core": version, "design": canonical design, "exercise"?: id, "playhead"?: event id}`.
//! The prefix is the link format's version; the core version inside says which EventLab made
//! it. This module owns that format. It must never panic on any text, never inflate past
//! [`MAX_DECODED_BYTES`] (a link is untrusted input: a small link must not become gigabytes),
//! and never change what a `v1.` link means: saved links in e2e/links/ must keep opening.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;
use serde_json::{Map, Value};

use crate::design::{load_value, to_canonical_json, Design, Diagnostic, LoadError};

/// The link format this core writes; older formats are read through their own steps in
/// `decode`, newer ones are refused with [`ShareError::FutureFormat`].
pub const FORMAT_VERSION: u32 = 1;

/// The largest unpacked payload a link may hold. The biggest example designs are a few KB of
/// JSON; 1 MiB leaves room for any hand-made design and stops decompression bombs.
pub const MAX_DECODED_BYTES: usize = 1 << 20;

/// The longest link text accepted before decoding. Browsers keep URLs of a few MB, but a
/// link this long cannot come from a design under the unpacked limit.
pub const MAX_LINK_CHARS: usize = 512 * 1024;

/// What travels with the design: session facts a facilitator wants to share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// The guided exercise the design belongs to.
    pub exercise: Option<String>,
    /// The trace event the playhead is on: an event id, never an index, so it survives
    /// changes in how a trace is numbered.
    pub playhead: Option<String>,
}

/// A decoded link.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub design: Design,
    pub extras: Extras,
    /// The version of the EventLab core that made the link.
    pub core_version: String,
    /// What tolerant loading had to say about the design (migrated, repaired, kept aside).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a text could not be opened as a design link. `Display` gives a sentence for the person
/// who opened the link.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    /// Nothing after the `#`.
    Empty,
    /// Not an EventLab link at all (no `vN.` prefix).
    NotALink,
    /// Made by a newer EventLab whose link format this one does not know.
    FutureFormat(u32),
    /// Longer than [`MAX_LINK_CHARS`].
    LinkTooLong,
    /// Characters that base64url does not use: the link was altered.
    BadCharacters,
    /// The data ends early: the link was cut off when it was copied.
    Truncated,
    /// The data does not check out (wrong checksum or invalid compressed data).
    Corrupt,
    /// Unpacks to more than [`MAX_DECODED_BYTES`].
    TooLarge,
    /// Unpacks, but not to a link payload; the text says what is wrong.
    BadPayload(String),
    /// The payload's design cannot be read (for example a newer schema version).
    Design(LoadError),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::Empty => write!(f, "This link holds no design."),
            ShareError::NotALink => write!(f, "This is not an EventLab design link."),
            ShareError::FutureFormat(version) => write!(
                f,
                "This link was made by a newer EventLab (link format v{version}); this one \
                 reads links up to v{FORMAT_VERSION}. Open it with the newer EventLab."
            ),
            ShareError::LinkTooLong => write!(
                f,
                "This link is longer than {MAX_LINK_CHARS} characters, more than any design \
                 EventLab opens."
            ),
            ShareError::BadCharacters => write!(
                f,
                "This link is damaged: it contains characters a design link never has."
            ),
            ShareError::Truncated => write!(
                f,
                "This link is incomplete: it was probably cut off when it was copied. Copy \
                 the whole link again."
            ),
            ShareError::Corrupt => write!(
                f,
                "This link is damaged: its data does not check out. Copy the whole link again."
            ),
            ShareError::TooLarge => write!(
                f,
                "This link unpacks to more than {} KiB, more than any design EventLab opens.",
                MAX_DECODED_BYTES / 1024
            ),
            ShareError::BadPayload(problem) => {
                write!(f, "This link does not hold an EventLab design: {problem}.")
            }
            ShareError::Design(error) => write!(f, "This link's design cannot be opened: {error}."),
        }
    }
}

impl std::error::Error for ShareError {}

/// Packs a design and its extras into link text (without any `#`).
pub fn encode(design: &Design, extras: &Extras) -> String {
    let json = payload_json(design, extras);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9);
    format!("v{FORMAT_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The compact JSON the link carries: the design in canonical order, so equal designs give
/// equal links.
fn payload_json(design: &Design, extras: &Extras) -> String {
    let design_value: Value =
        serde_json::from_str(&to_canonical_json(design)).unwrap_or(Value::Null);
    let mut payload = Map::new();
    payload.insert("core".into(), Value::from(crate::CORE_VERSION));
    payload.insert("design".into(), design_value);
    if let Some(exercise) = &extras.exercise {
        payload.insert("exercise".into(), Value::from(exercise.as_str()));
    }
    if let Some(playhead) = &extras.playhead {
        payload.insert("playhead".into(), Value::from(playhead.as_str()));
    }
    Value::Object(payload).to_string()
}

/// Unpacks link text: the bare link, a fragment starting with `#`, or a whole URL.
pub fn decode(text: &str) -> Result<Decoded, ShareError> {
    let link = text
        .rsplit_once('#')
        .map_or(text, |(_, fragment)| fragment)
        .trim();
    if link.is_empty() {
        return Err(ShareError::Empty);
    }
    if link.len() > MAX_LINK_CHARS {
        return Err(ShareError::LinkTooLong);
    }
    let (version, data) = split_version(link)?;
    match version {
        1 => decode_v1(data),
        v if v > FORMAT_VERSION => Err(ShareError::FutureFormat(v)),
        _ => Err(ShareError::NotALink),
    }
}

/// Reads the `vN.` prefix.
fn split_version(link: &str) -> Result<(u32, &str), ShareError> {
    let rest = link.strip_prefix('v').ok_or(ShareError::NotALink)?;
    let (number, data) = rest.split_once('.').ok_or(ShareError::NotALink)?;
    if number.is_empty() || number.len() > 9 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotALink);
    }
    let version = number.parse::<u32>().map_err(|_| ShareError::NotALink)?;
    Ok((version, data))
}

fn decode_v1(data: &str) -> Result<Decoded, ShareError> {
    let packed = URL_SAFE_NO_PAD.decode(data).map_err(|error| match error {
        // A link cut short ends with a partial group: a length no base64 text has, or a last
        // character whose unused bits are not zero.
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(..) => {
            ShareError::Truncated
        }
        _ => ShareError::BadCharacters,
    })?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_DECODED_BYTES)
        .map_err(|error| match error.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                ShareError::Truncated
            }
            _ => ShareError::Corrupt,
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ShareError::BadPayload("it is not UTF-8 text".into()))?;
    let payload: Value = serde_json::from_str(&text)
        .map_err(|error| ShareError::BadPayload(format!("it is not JSON ({error})")))?;
    let Value::Object(mut payload) = payload else {
        return Err(ShareError::BadPayload("it is not a JSON object".into()));
    };
    let core_version = match payload.remove("core") {
        Some(Value::String(version)) => version,
        _ => {
            return Err(ShareError::BadPayload(
                "it names no EventLab version".into(),
            ))
        }
    };
    let design = payload
        .remove("design")
        .ok_or_else(|| ShareError::BadPayload("it has no design".into()))?;
    let loaded = load_value(design).map_err(ShareError::Design)?;
    let text_field = |value: Option<Value>| match value {
        Some(Value::String(text)) => Some(text),
        _ => None,
    };
    Ok(Decoded {
        design: loaded.design,
        extras: Extras {
            exercise: text_field(payload.remove("exercise")),
            playhead: text_field(payload.remove("playhead")),
        },
        core_version,
        diagnostics: loaded.diagnostics,
    })
}

/// The `v1.` link's data (its base64url part) in link text, when it is one: the text a page can
/// unpack with the browser's own inflater before `read_canonical_payload`.
pub fn v1_data(text: &str) -> Option<&str> {
    let link = text
        .rsplit_once('#')
        .map_or(text, |(_, fragment)| fragment)
        .trim();
    (link.len() <= MAX_LINK_CHARS)
        .then(|| link.strip_prefix("v1."))
        .flatten()
}

/// Reads an unpacked `v1.` payload the quick way, without the tolerant loader: only when its
/// design reads strictly and is already canonical JSON, as every link this version makes is, so
/// nothing in it can be lost or changed. `None` means "open it with `decode`", which repairs,
/// migrates and explains; the page opens links made by its own version at once this way.
pub fn read_canonical_payload(text: &str) -> Option<(Design, Extras)> {
    let Ok(Value::Object(mut payload)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    payload.get("core")?.as_str()?;
    let written = payload.remove("design")?;
    let design = crate::design::read_canonical_value(written.clone()).ok()?;
    let canonical: Value = serde_json::from_str(&to_canonical_json(&design)).ok()?;
    if canonical != written {
        return None;
    }
    let text_field = |value: Option<Value>| match value {
        Some(Value::String(text)) => Some(text),
        _ => None,
    };
    let extras = Extras {
        exercise: text_field(payload.remove("exercise")),
        playhead: text_field(payload.remove("playhead")),
    };
    Some((design, extras))
}

/// Packs arbitrary bytes exactly as a `v1.` link does. For tests of hostile links (a payload
/// that is not a design, a decompression bomb) that `encode` would never produce.
pub fn encode_raw_v1(bytes: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9);
    format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
}
