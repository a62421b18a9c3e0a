//! Share links: every example design survives a round trip, saved links of every format
//! version keep opening, and every kind of hostile link is refused with its own error.

use eventlab_core::design::{load_text, to_canonical_json, Design};
use eventlab_core::share::{
    decode, encode, encode_raw_v1, Extras, ShareError, MAX_DECODED_BYTES, MAX_LINK_CHARS,
};
use serde_json::Value;

fn example_designs() -> Vec<(String, Design)> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../designs");
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .expect("designs/ exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable");
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            (name, load_text(&text).expect("an example loads").design)
        })
        .collect()
}

#[test]
fn every_example_design_round_trips_with_its_extras() {
    // Encoding then decoding gives back the same design and extras; the lengths are printed
    // for the record (cargo test -- --nocapture).
    let extras = Extras {
        exercise: Some("duplicates".into()),
        playhead: Some("e-42".into()),
    };
    for (name, design) in example_designs() {
        let link = encode(&design, &extras);
        assert!(link.starts_with("v1."), "{name}: {link}");
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{name}: the link needs no escaping in a URL fragment"
        );
        let decoded = decode(&link).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            to_canonical_json(&decoded.design),
            to_canonical_json(&design),
            "{name}"
        );
        assert_eq!(decoded.extras, extras);
        assert_eq!(decoded.core_version, eventlab_core::CORE_VERSION);
        let plain = encode(&design, &Extras::default());
        println!("link length {name}: {} characters", plain.len());
        let url = format!("https://example.org/eventlab/#{plain}");
        assert_eq!(
            decode(&url).unwrap().design.name,
            design.name,
            "{name}: whole URL"
        );
    }
}

/// The links made by earlier builds (e2e/links/), each with its file and what it must open to.
fn saved_links() -> Vec<(std::path::PathBuf, Value)> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../e2e/links");
    let mut links = Vec::new();
    for entry in std::fs::read_dir(folder).expect("e2e/links exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for link in saved["links"].as_array().expect("a links list") {
            links.push((path.clone(), link.clone()));
        }
    }
    links
}

#[test]
fn saved_links_of_every_format_version_keep_opening() {
    // e2e/links/ holds links made by earlier builds; each must open to the design it names.
    let links = saved_links();
    assert!(!links.is_empty(), "no saved links were checked");
    for (path, link) in links {
        let text = link["link"].as_str().unwrap();
        let decoded = decode(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(decoded.design.name, link["designName"].as_str().unwrap());
        assert_eq!(
            decoded.design.nodes.len() as u64,
            link["nodes"].as_u64().unwrap()
        );
    }
}

fn check_refused(link: &str, expected: ShareError) {
    match decode(link) {
        Ok(_) => panic!("accepted a hostile link: {link:.80}"),
        Err(error) => {
            assert_eq!(error, expected, "{link:.80}");
            assert!(error.to_string().ends_with('.'), "{error}");
        }
    }
}

#[test]
fn hostile_links_are_refused_with_their_own_error() {
    // Broken, truncated, oversized, future-version and foreign links each get a clear error.
    let (_, design) = example_designs().remove(0);
    let good = encode(&design, &Extras::default());
    check_refused("", ShareError::Empty);
    check_refused("https://example.org/#", ShareError::Empty);
    check_refused("hello", ShareError::NotALink);
    check_refused("v.abc", ShareError::NotALink);
    check_refused("v0.abc", ShareError::NotALink);
    check_refused("v99999999999.abc", ShareError::NotALink);
    check_refused("v2.abc", ShareError::FutureFormat(2));
    check_refused(&good.replacen("v1.", "v7.", 1), ShareError::FutureFormat(7));
    check_refused(&format!("{good}!"), ShareError::BadCharacters);
    // Cut anywhere, a link is reported as incomplete, whatever the base64 remainder.
    for cut in [
        good.len() / 2,
        good.len() / 2 + 1,
        good.len() / 2 + 2,
        good.len() / 2 + 3,
    ] {
        check_refused(&good[..cut], ShareError::Truncated);
    }
    check_refused(&good[..good.len() - 3], ShareError::Truncated);
    check_refused(
        &"v1.A".repeat(MAX_LINK_CHARS / 4 + 1),
        ShareError::LinkTooLong,
    );
    // A flipped character inside the data: the checksum or the deflate stream catches it.
    let mut bytes = good.clone().into_bytes();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(bytes).unwrap();
    assert!(matches!(
        decode(&flipped),
        Err(ShareError::Corrupt | ShareError::Truncated | ShareError::BadPayload(_))
    ));
}

#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    // A few KB of link that would unpack to 8 MiB is refused without unpacking it all.
    let bomb = encode_raw_v1(&vec![b' '; 8 * MAX_DECODED_BYTES]);
    assert!(bomb.len() < 64 * 1024, "the bomb is small: {}", bomb.len());
    check_refused(&bomb, ShareError::TooLarge);
}

#[test]
fn payloads_that_are_not_designs_are_refused() {
    // Well-packed data that is not a link payload says what is wrong with it.
    let cases: [(&[u8], &str); 5] = [
        (b"\xff\xfe", "it is not UTF-8 text"),
        (b"{nope", "it is not JSON"),
        (b"[1,2]", "it is not a JSON object"),
        (br#"{"design":{}}"#, "it names no EventLab version"),
        (br#"{"core":"0.1.0"}"#, "it has no design"),
    ];
    for (bytes, problem) in cases {
        match decode(&encode_raw_v1(bytes)) {
            Err(ShareError::BadPayload(text)) => assert!(text.starts_with(problem), "{text}"),
            other => panic!("{problem}: {other:?}"),
        }
    }
    let future = encode_raw_v1(br#"{"core":"9.0.0","design":{"version":99}}"#);
    assert!(matches!(decode(&future), Err(ShareError::Design(_))));
    let message = decode(&future).unwrap_err().to_string();
    assert!(message.contains("newer EventLab"), "{message}");
}

#[test]
fn equal_designs_give_equal_links() {
    // The payload is canonical: node order in the document does not change the link.
    let (_, design) = example_designs().remove(0);
    let mut shuffled = design.clone();
    shuffled.nodes.reverse();
    assert_eq!(
        encode(&design, &Extras::default()),
        encode(&shuffled, &Extras::default())
    );
}

#[test]
fn the_strict_reader_reads_what_canonical_json_wrote_and_refuses_the_rest() {
    // The page reads its autosave and the worker's answers strictly: every example's
    // canonical text reads back to the same design, and what only the tolerant loader can
    // repair is refused with a reason rather than half read.
    use eventlab_core::design::read_canonical;
    for (name, design) in example_designs() {
        let text = to_canonical_json(&design);
        let read = read_canonical(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(to_canonical_json(&read), text, "{name}");
    }
    for (text, why) in [
        ("{", "invalid JSON"),
        ("[]", "expected struct Design"),
        (r#"{"name": "no version"}"#, "version"),
        (r#"{"version": 2, "name": "future"}"#, "schema version 2"),
        (r#"{"version": 1, "nodes": [{"id": 3}]}"#, "invalid type"),
    ] {
        let error = read_canonical(text).expect_err(text);
        assert!(error.contains(why), "{text}: {error}");
    }
}

/// The payload text of a `v1.` link, unpacked as a browser's own inflater would.
fn payload_of(link: &str) -> String {
    use base64::Engine;
    let data = eventlab_core::share::v1_data(link).expect("a v1 link");
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data)
        .expect("base64url");
    let bytes = miniz_oxide::inflate::decompress_to_vec_zlib(&packed).expect("zlib");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn the_quick_way_opens_what_decode_opens_or_leaves_it_to_decode() {
    use eventlab_core::share::read_canonical_payload;
    // Every link this version makes opens the quick way, to the very design and extras.
    for (name, design) in example_designs() {
        let extras = Extras {
            exercise: Some("duplicates".into()),
            playhead: Some("e-42".into()),
        };
        let link = format!("https://example.com/eventlab/#{}", encode(&design, &extras));
        let decoded = decode(&link).expect("decodes");
        let quick = read_canonical_payload(&payload_of(&link));
        assert_eq!(quick, Some((decoded.design, decoded.extras)), "{name}");
    }
    // Saved links from earlier builds either open the quick way to what decode gives, or are
    // left to decode; never something else.
    for (path, link) in saved_links() {
        let text = link["link"].as_str().unwrap();
        let decoded = decode(text).expect("a saved link opens");
        if let Some((design, _)) = read_canonical_payload(&payload_of(text)) {
            assert_eq!(design, decoded.design, "{}", path.display());
        }
    }
    // What the tolerant loader would keep aside or repair is left to it.
    let design = &example_designs()[0].1;
    let mut value: Value = serde_json::from_str(&to_canonical_json(design)).unwrap();
    value["nodes"][0]["colour"] = Value::from("teal");
    let payload = serde_json::json!({"core": "0.1.0", "design": value}).to_string();
    assert_eq!(read_canonical_payload(&payload), None);
    let payload = serde_json::json!({"design": to_canonical_json(design)}).to_string();
    assert_eq!(read_canonical_payload(&payload), None, "no core version");
    assert_eq!(read_canonical_payload("not json"), None);
    assert_eq!(eventlab_core::share::v1_data("#v2.abc"), None);
}
