//! Redaction of images by allow-list: the redacted variant is rebuilt from the pieces that draw
//! the picture, and nothing else of the original is copied. Whatever a container allows besides
//! (EXIF, XMP, IPTC, comments, text chunks, ICC profiles with their free-text descriptions,
//! private chunks, bytes between or after the pieces, padding) is left behind wherever it sits,
//! before, between or after the image data.
//!
//! * JPEG: SOFn, DHT, DAC, DQT, DRI, DNL, SOS with its entropy-coded scan (restart markers
//!   included), for every scan, then EOI. Each table's length is checked against what it
//!   declares, so no table carries bytes of its own. A JFIF APP0 or an Adobe APP14 (which tells a
//!   decoder how to read the colours) is written afresh, fixed bytes plus the colour transform.
//! * PNG: IHDR, PLTE, IDAT, IEND and the colour chunks tRNS, gAMA, cHRM, sRGB and sBIT, each of
//!   its fixed size; chunks are re-framed (fresh CRCs), so nothing past IEND remains.
//! * WebP: VP8, VP8L, VP8X (its flags rewritten to what is kept, reserved bits zero), ALPH, ANIM
//!   and ANMF (whose frame holds again only ALPH, VP8 and VP8L).
//!
//! A file must also be an image: a signature with nothing after it, or a container without its
//! image data, is refused ([`RedactError`]).

use bytes::Bytes;

/// Why an image could not be redacted: it is not a whole image of its type.
#[derive(Debug, thiserror::Error)]
#[error("not a whole image: {0}")]
pub struct RedactError(pub(crate) &'static str);

type Result<T> = std::result::Result<T, RedactError>;

fn fail<T>(why: &'static str) -> Result<T> {
    Err(RedactError(why))
}

// --- JPEG ------------------------------------------------------------------------------------

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const DQT: u8 = 0xDB;
const DNL: u8 = 0xDC;
const DRI: u8 = 0xDD;
const DHT: u8 = 0xC4;
const DAC: u8 = 0xCC;
const APP0: u8 = 0xE0;
const APP14: u8 = 0xEE;

/// A start-of-frame marker (C0–CF but DHT, JPG and DAC).
fn is_sof(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, DHT | 0xC8 | DAC)
}

/// The redacted JPEG: see the module documentation.
pub fn jpeg(bytes: &[u8]) -> Result<Bytes> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return fail("no start of image");
    }
    let mut out = vec![0xFF, SOI];
    let mut header = Vec::new();
    let mut adobe_transform = None;
    let mut jfif = false;
    let (mut frame, mut scans) = (false, 0usize);
    let mut at = 2;
    loop {
        // Markers may be preceded by fill bytes (FF).
        if bytes.get(at) != Some(&0xFF) {
            return fail("a segment does not start with a marker");
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return fail("cut short before its end");
        };
        at += 1;
        if marker == EOI {
            break;
        }
        let Some(length) = bytes
            .get(at..at + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            return fail("cut short in a segment");
        };
        let Some(contents) = bytes.get(at + 2..at + length).filter(|_| length >= 2) else {
            return fail("a segment runs past the end");
        };
        at += length;
        match marker {
            APP0 if contents.starts_with(b"JFIF\0") => jfif = true,
            APP14 if contents.starts_with(b"Adobe") && contents.len() >= 12 => {
                adobe_transform = Some(contents[11]);
            }
            m if is_sof(m) => {
                let components = usize::from(*contents.get(5).unwrap_or(&0));
                if components == 0 || contents.len() != 6 + 3 * components {
                    return fail("a frame header of the wrong size");
                }
                frame = true;
                header.extend(segment(m, contents));
            }
            DQT => {
                check_tables(contents, |rest| {
                    let precision = rest[0] >> 4;
                    Some(1 + 64 * (usize::from(precision) + 1))
                })?;
                header.extend(segment(marker, contents));
            }
            DHT => {
                check_tables(contents, |rest| {
                    let counts = rest.get(1..17)?;
                    Some(17 + counts.iter().map(|c| usize::from(*c)).sum::<usize>())
                })?;
                header.extend(segment(marker, contents));
            }
            DAC => {
                if contents.len() % 2 != 0 {
                    return fail("a conditioning table of the wrong size");
                }
                header.extend(segment(marker, contents));
            }
            DRI | DNL => {
                if contents.len() != 2 {
                    return fail("a restart interval of the wrong size");
                }
                header.extend(segment(marker, contents));
            }
            SOS => {
                let components = usize::from(*contents.first().unwrap_or(&0));
                if !frame || components == 0 || contents.len() != 1 + 2 * components + 3 {
                    return fail("a scan header of the wrong size or before the frame");
                }
                header.extend(segment(SOS, contents));
                let data_end = scan_end(bytes, at).ok_or(RedactError("a scan cut short"))?;
                if data_end == at {
                    return fail("a scan without data");
                }
                header.extend_from_slice(&bytes[at..data_end]);
                at = data_end;
                scans += 1;
            }
            _ => {}
        }
    }
    if !frame || scans == 0 {
        return fail("no frame or no scan");
    }
    if jfif {
        out.extend(segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    }
    if let Some(transform) = adobe_transform {
        out.extend(segment(
            APP14,
            &[b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, transform],
        ));
    }
    out.extend(header);
    out.extend_from_slice(&[0xFF, EOI]);
    Ok(Bytes::from(out))
}

/// Checks that `contents` is a whole number of tables, each as long as `table_len` says from its
/// first bytes (`None`: too short to tell).
fn check_tables(contents: &[u8], table_len: impl Fn(&[u8]) -> Option<usize>) -> Result<()> {
    let mut rest = contents;
    if rest.is_empty() {
        return fail("an empty table segment");
    }
    while !rest.is_empty() {
        match table_len(rest) {
            Some(len) if len <= rest.len() => rest = &rest[len..],
            _ => return fail("a table of the wrong size"),
        }
    }
    Ok(())
}

/// Where the entropy-coded data starting at `from` ends: at the first marker that is neither a
/// stuffed zero nor a restart marker. `None` when the file ends first.
fn scan_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let next = bytes.get(at..)?.iter().position(|b| *b == 0xFF)? + at;
        let mut after = next + 1;
        while bytes.get(after) == Some(&0xFF) {
            after += 1;
        }
        match *bytes.get(after)? {
            0x00 | 0xD0..=0xD7 => at = after + 1,
            _ => return Some(next),
        }
    }
}

fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut s = Vec::with_capacity(contents.len() + 4);
    s.extend_from_slice(&[0xFF, marker]);
    let len = u16::try_from(contents.len() + 2).unwrap_or(u16::MAX);
    s.extend_from_slice(&len.to_be_bytes());
    s.extend_from_slice(contents);
    s
}

// --- PNG -------------------------------------------------------------------------------------

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The chunks kept, with their fixed size where the format gives one.
const PNG_KEPT: [(&[u8; 4], Option<usize>); 9] = [
    (b"IHDR", Some(13)),
    (b"PLTE", None),
    (b"IDAT", None),
    (b"IEND", Some(0)),
    (b"tRNS", None),
    (b"gAMA", Some(4)),
    (b"cHRM", Some(32)),
    (b"sRGB", Some(1)),
    (b"sBIT", None),
];

/// The redacted PNG: see the module documentation.
pub fn png(bytes: &[u8]) -> Result<Bytes> {
    let Some(mut rest) = bytes.strip_prefix(PNG_SIGNATURE) else {
        return fail("no PNG signature");
    };
    let mut out = PNG_SIGNATURE.to_vec();
    let (mut first, mut image_data) = (true, false);
    loop {
        let Some((head, tail)) = rest.split_first_chunk::<8>() else {
            return fail("cut short before IEND");
        };
        let len = usize::try_from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]))
            .unwrap_or(usize::MAX);
        let kind: [u8; 4] = [head[4], head[5], head[6], head[7]];
        let Some(data) = tail.get(..len) else {
            return fail("a chunk runs past the end");
        };
        let Some(after) = tail.get(len.saturating_add(4)..) else {
            return fail("a chunk without its CRC");
        };
        rest = after;
        if first && &kind != b"IHDR" {
            return fail("IHDR is not first");
        }
        first = false;
        let Some((_, size)) = PNG_KEPT.iter().find(|(k, _)| **k == kind) else {
            continue;
        };
        if size.is_some_and(|size| size != len) {
            return fail("a chunk of the wrong size");
        }
        if &kind == b"IDAT" && len > 0 {
            image_data = true;
        }
        // Re-framed with a fresh CRC by img-parts' encoder.
        let chunk = img_parts::png::PngChunk::new(kind, Bytes::copy_from_slice(data));
        out.extend_from_slice(&chunk.encoder().bytes());
        if &kind == b"IEND" {
            break;
        }
    }
    if !image_data {
        return fail("no image data");
    }
    Ok(Bytes::from(out))
}

// --- WebP ------------------------------------------------------------------------------------

const WEBP_KEPT: [&[u8; 4]; 6] = [b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"];
const FRAME_KEPT: [&[u8; 4]; 3] = [b"VP8 ", b"VP8L", b"ALPH"];
/// VP8X flags kept: alpha and animation (ICC, EXIF and XMP go with their chunks).
const VP8X_KEPT_FLAGS: u8 = 0x10 | 0x02;

/// The redacted WebP: see the module documentation.
pub fn webp(bytes: &[u8]) -> Result<Bytes> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return fail("no RIFF WEBP header");
    }
    let declared = usize::try_from(u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]))
        .unwrap_or(usize::MAX);
    let Some(body) = bytes.get(12..declared.saturating_add(8)) else {
        return fail("the file is shorter than its header says");
    };
    let mut kept = Vec::new();
    let mut image_data = false;
    for (id, data) in riff_chunks(body)? {
        if !WEBP_KEPT.contains(&&id) {
            continue;
        }
        match &id {
            b"VP8X" => {
                if data.len() != 10 {
                    return fail("a VP8X chunk of the wrong size");
                }
                let mut header = [0u8; 10];
                header[0] = data[0] & VP8X_KEPT_FLAGS;
                header[4..10].copy_from_slice(&data[4..10]);
                push_chunk(&mut kept, &id, &header);
            }
            b"ANIM" => {
                if data.len() != 6 {
                    return fail("an ANIM chunk of the wrong size");
                }
                push_chunk(&mut kept, &id, data);
            }
            b"ANMF" => {
                let Some((frame_header, frame_body)) = data.split_first_chunk::<16>() else {
                    return fail("an ANMF chunk too short");
                };
                let mut frame = frame_header.to_vec();
                for (sub, sub_data) in riff_chunks(frame_body)? {
                    if FRAME_KEPT.contains(&&sub) {
                        image_data |= &sub != b"ALPH" && !sub_data.is_empty();
                        push_chunk(&mut frame, &sub, sub_data);
                    }
                }
                push_chunk(&mut kept, &id, &frame);
            }
            _ => {
                image_data |= &id != b"ALPH" && !data.is_empty();
                push_chunk(&mut kept, &id, data);
            }
        }
    }
    if !image_data {
        return fail("no image data");
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(kept.len() + 4).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(kept);
    Ok(Bytes::from(out))
}

/// The chunks of a RIFF body: (id, data), padding skipped.
fn riff_chunks(mut body: &[u8]) -> Result<Vec<([u8; 4], &[u8])>> {
    let mut chunks = Vec::new();
    while !body.is_empty() {
        let Some((head, rest)) = body.split_first_chunk::<8>() else {
            return fail("a chunk header cut short");
        };
        let id = [head[0], head[1], head[2], head[3]];
        let len = usize::try_from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]))
            .unwrap_or(usize::MAX);
        let Some(data) = rest.get(..len) else {
            return fail("a chunk runs past the end");
        };
        chunks.push((id, data));
        body = rest.get(len + len % 2..).unwrap_or_default();
    }
    Ok(chunks)
}

fn push_chunk(out: &mut Vec<u8>, id: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(id);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}
