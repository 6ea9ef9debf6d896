//! Evidence files, as pure values: the types accepted (decided from the bytes, never from a name or
//! a client's content type), the two variants of a stored file, and the redaction that removes an
//! image's metadata (EXIF, XMP, IPTC: GPS position, device, owner) without touching its pixels.
//!
//! Type detection is a small table of signatures rather than a crate: six types are accepted, each
//! decided by a few fixed bytes, and the ISO media files (MP4, HEIC) must be told apart by their
//! `ftyp` brands exactly as documented here (a QuickTime `.mov` or an AVIF image is refused, which a
//! general-purpose detector would call "video" or "image").

use bytes::Bytes;
use img_parts::ImageEXIF as _;

use crate::domain::text_enum::text_enum;

text_enum! {
    /// The type of an evidence file, as detected from its first bytes.
    pub enum MediaType {
        Jpeg = "image/jpeg",
        Png = "image/png",
        WebP = "image/webp",
        Heic = "image/heic",
        Pdf = "application/pdf",
        Mp4 = "video/mp4",
    }
}

text_enum! {
    /// Which bytes of an evidence file: as received, or with metadata removed.
    pub enum Variant {
        /// The bytes exactly as received, whose SHA-256 was recorded at intake.
        Original = "original",
        /// An image with its metadata removed; what platforms receive.
        Redacted = "redacted",
    }
}

/// How many leading bytes [`MediaType::detect`] needs at most.
pub const SNIFF_BYTES: usize = 64;

const HEIC_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
];
const HEIF_GENERIC_BRANDS: [&[u8; 4]; 2] = [b"mif1", b"msf1"];
const MP4_BRANDS: [&[u8; 4]; 12] = [
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
    b"dash", b"mmp4",
];

impl MediaType {
    /// The type whose signature `head` (the file's first bytes, [`SNIFF_BYTES`] or fewer) starts
    /// with; `None` for anything else.
    pub fn detect(head: &[u8]) -> Option<Self> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(Self::Jpeg);
        }
        if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Self::Png);
        }
        if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            return Some(Self::WebP);
        }
        if head.starts_with(b"%PDF-") {
            return Some(Self::Pdf);
        }
        Self::detect_iso_media(head)
    }

    /// An ISO base media file: a first box `ftyp` whose major brand (or, for the generic HEIF
    /// brands, one of whose compatible brands) names the type.
    fn detect_iso_media(head: &[u8]) -> Option<Self> {
        if head.len() < 12 || &head[4..8] != b"ftyp" {
            return None;
        }
        let box_len = usize::try_from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]))
            .unwrap_or(0)
            .clamp(8, head.len());
        let major = &head[8..12];
        let compatible: Vec<&[u8]> = head
            .get(16..box_len)
            .unwrap_or_default()
            .chunks_exact(4)
            .collect();
        let is = |brands: &[&[u8; 4]], brand: &[u8]| brands.iter().any(|b| &b[..] == brand);
        if is(&HEIC_BRANDS, major)
            || (is(&HEIF_GENERIC_BRANDS, major) && compatible.iter().any(|b| is(&HEIC_BRANDS, b)))
        {
            return Some(Self::Heic);
        }
        if is(&MP4_BRANDS, major) {
            return Some(Self::Mp4);
        }
        None
    }

    /// Whether a redacted variant is made for this type (and so whether platforms ever see it).
    pub fn has_redacted_variant(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::WebP)
    }

    /// The usual file extension, for download names.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Heic => "heic",
            Self::Pdf => "pdf",
            Self::Mp4 => "mp4",
        }
    }
}

/// Why an image could not be redacted: its container does not parse.
#[derive(Debug, thiserror::Error)]
#[error("the image's structure does not parse: {0}")]
pub struct RedactError(String);

/// PNG chunks kept in the redacted variant: what draws the image, nothing that describes it
/// (`eXIf`, `tEXt`, `zTXt`, `iTXt`, `tIME` and any private chunk are dropped).
const PNG_KEPT: [&[u8; 4]; 15] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

/// The redacted variant of an image: the same pixels without EXIF, XMP, IPTC, comments or anything
/// appended after the image. `None` for a type that has no redacted variant.
///
/// JPEG keeps only APP0 (JFIF), APP2 ICC profiles and APP14 (Adobe colour transform) among the
/// application segments; APP1 (EXIF, XMP), APP13 (IPTC), every other APPn (MPF previews carry
/// their own EXIF) and COM go, and so does whatever follows the end of the image. The EXIF
/// orientation goes with the rest: a phone photo may then show turned.
pub fn redact(media_type: MediaType, original: Bytes) -> Result<Option<Bytes>, RedactError> {
    let error = |e: img_parts::Error| RedactError(e.to_string());
    match media_type {
        MediaType::Jpeg => {
            const APP0: u8 = 0xE0;
            const APP2: u8 = 0xE2;
            const APP14: u8 = 0xEE;
            const APP15: u8 = 0xEF;
            const COM: u8 = 0xFE;
            // Everything after the end of the image goes (img-parts would keep it with the scan).
            let end =
                jpeg_end(&original).ok_or_else(|| RedactError("no end of image".to_owned()))?;
            let mut jpeg =
                img_parts::jpeg::Jpeg::from_bytes(original.slice(..end)).map_err(error)?;
            jpeg.segments_mut().retain(|segment| {
                let marker = segment.marker();
                match marker {
                    APP0 | APP14 => true,
                    APP2 => segment.contents().starts_with(b"ICC_PROFILE\0"),
                    m if (APP0..=APP15).contains(&m) => false,
                    COM => false,
                    _ => true,
                }
            });
            Ok(Some(jpeg.encoder().bytes()))
        }
        MediaType::Png => {
            let mut png = img_parts::png::Png::from_bytes(original).map_err(error)?;
            png.chunks_mut()
                .retain(|chunk| PNG_KEPT.iter().any(|kept| **kept == chunk.kind()));
            Ok(Some(png.encoder().bytes()))
        }
        MediaType::WebP => {
            let mut webp = img_parts::webp::WebP::from_bytes(original).map_err(error)?;
            webp.remove_chunks_by_id(*b"XMP ");
            // Also rewrites the VP8X flags to match the chunks left.
            webp.set_exif(None);
            Ok(Some(webp.encoder().bytes()))
        }
        MediaType::Heic | MediaType::Pdf | MediaType::Mp4 => Ok(None),
    }
}

/// Where a JPEG's image ends: just past the first EOI marker after its first scan begins, skipping
/// the marker segments before it by their lengths (an EXIF thumbnail inside them holds an EOI of
/// its own). `None` for a file cut short.
fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    const SOS: u8 = 0xDA;
    const EOI: u8 = 0xD9;
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            EOI => return Some(at),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        at += length;
        if marker == SOS {
            break;
        }
    }
    // Inside scans 0xFF is followed by 0x00 (stuffing), a restart or another segment's marker:
    // the first FF D9 is the end of the image.
    bytes
        .get(at..)?
        .windows(2)
        .position(|pair| pair == [0xFF, EOI])
        .map(|position| at + position + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_decided_by_their_bytes() {
        assert_eq!(
            MediaType::detect(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::detect(b"\x89PNG\r\n\x1a\n...."),
            Some(MediaType::Png)
        );
        assert_eq!(
            MediaType::detect(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(MediaType::WebP)
        );
        assert_eq!(MediaType::detect(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        let ftyp = |major: &[u8; 4], compatible: &[u8]| {
            let mut head = (16 + u32::try_from(compatible.len()).unwrap_or(0))
                .to_be_bytes()
                .to_vec();
            head.extend_from_slice(b"ftyp");
            head.extend_from_slice(major);
            head.extend_from_slice(&[0, 0, 0, 0]);
            head.extend_from_slice(compatible);
            head
        };
        assert_eq!(
            MediaType::detect(&ftyp(b"isom", b"isomavc1")),
            Some(MediaType::Mp4)
        );
        assert_eq!(
            MediaType::detect(&ftyp(b"heic", b"mif1heic")),
            Some(MediaType::Heic)
        );
        assert_eq!(
            MediaType::detect(&ftyp(b"mif1", b"mif1heic")),
            Some(MediaType::Heic)
        );
        // QuickTime and AVIF are ISO media too, and refused.
        assert_eq!(MediaType::detect(&ftyp(b"qt  ", b"qt  ")), None);
        assert_eq!(MediaType::detect(&ftyp(b"avif", b"mif1avif")), None);
        assert_eq!(MediaType::detect(&ftyp(b"mif1", b"mif1avif")), None);
        // A Windows executable, a script, nothing.
        assert_eq!(MediaType::detect(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(MediaType::detect(b"<html><script>"), None);
        assert_eq!(MediaType::detect(b""), None);
    }

    #[test]
    fn png_text_and_exif_chunks_are_dropped() {
        let chunk = |kind: &[u8; 4], data: &[u8]| {
            img_parts::png::PngChunk::new(*kind, Bytes::copy_from_slice(data))
        };
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        for c in [
            chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
            chunk(b"tEXt", b"Author\0Budi"),
            chunk(b"eXIf", b"MM\0*gps"),
            chunk(b"IDAT", b"x"),
            chunk(b"IEND", b""),
        ] {
            bytes.extend_from_slice(&c.encoder().bytes());
        }
        let redacted = redact(MediaType::Png, Bytes::from(bytes))
            .ok()
            .flatten()
            .unwrap_or_default();
        let png = img_parts::png::Png::from_bytes(redacted);
        let kinds: Vec<[u8; 4]> = png
            .map(|png| png.chunks().iter().map(|c| c.kind()).collect())
            .unwrap_or_default();
        assert_eq!(kinds, vec![*b"IHDR", *b"IDAT", *b"IEND"]);
    }

    #[test]
    fn webp_exif_and_xmp_chunks_are_dropped_and_the_flags_follow() {
        let chunk = |id: &[u8; 4], data: &[u8]| {
            let mut c = id.to_vec();
            c.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        // VP8X with the EXIF (0x08) and XMP (0x04) flags set, a 1×1 canvas.
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &[0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        body.extend(chunk(
            b"VP8L",
            &[
                0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x10, 0x88, 0x88, 0xFE, 0x07, 0,
            ],
        ));
        body.extend(chunk(b"EXIF", b"MM\0*GPS position"));
        body.extend(chunk(b"XMP ", b"<x:xmpmeta>GPS</x:xmpmeta>"));
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&u32::try_from(body.len()).unwrap_or(0).to_le_bytes());
        file.extend(body);
        assert_eq!(MediaType::detect(&file), Some(MediaType::WebP));
        let redacted = redact(MediaType::WebP, Bytes::from(file))
            .ok()
            .flatten()
            .unwrap_or_default();
        assert!(!redacted.windows(3).any(|w| w == b"GPS"));
        let webp = img_parts::webp::WebP::from_bytes(redacted.clone());
        let ids: Vec<[u8; 4]> = webp
            .map(|w| w.chunks().iter().map(|c| c.id()).collect())
            .unwrap_or_default();
        assert!(!ids.contains(b"EXIF") && !ids.contains(b"XMP "), "{ids:?}");
        assert!(ids.contains(b"VP8L"), "{ids:?}");
        // Either no VP8X at all, or one that no longer announces EXIF or XMP.
        if let Some(at) = redacted.windows(4).position(|w| w == b"VP8X") {
            assert_eq!(redacted[at + 8] & 0x0C, 0);
        }
    }

    #[test]
    fn only_images_have_a_redacted_variant() {
        for &media in MediaType::ALL {
            let redacted = redact(media, Bytes::from_static(b"%PDF-1.7"));
            assert_eq!(
                matches!(redacted, Ok(None)),
                !media.has_redacted_variant(),
                "{media:?}"
            );
        }
    }
}
