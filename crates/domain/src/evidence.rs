//! Evidence files, as pure values: the types accepted (decided from the bytes, never from a name or
//! a client's content type), the two variants of a stored file, and the redaction that removes an
//! image's metadata (EXIF, XMP, IPTC: GPS position, device, owner) without touching its pixels
//! (by allow-list, in `domain::redaction`).
//!
//! Type detection is a small table of signatures rather than a crate: six types are accepted, each
//! decided by a few fixed bytes, and the ISO media files (MP4, HEIC) must be told apart by their
//! `ftyp` brands exactly as documented here (a QuickTime `.mov` or an AVIF image is refused, which a
//! general-purpose detector would call "video" or "image").

use bytes::Bytes;

use crate::text_enum::text_enum;

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

pub use crate::redaction::RedactError;

/// The redacted variant of an image, rebuilt by allow-list from the pieces that draw it (see
/// [`crate::redaction`]): the same pixels without EXIF, XMP, IPTC, ICC profiles,
/// comments, text or private chunks, wherever in the file they sit, and nothing appended after
/// the image. The EXIF orientation goes with the rest: a phone photo may then show turned.
/// `None` for a type that has no redacted variant; an error for a file that is not a whole image.
pub fn redact(media_type: MediaType, original: Bytes) -> Result<Option<Bytes>, RedactError> {
    use crate::redaction;
    match media_type {
        MediaType::Jpeg => redaction::jpeg(&original).map(Some),
        MediaType::Png => redaction::png(&original).map(Some),
        MediaType::WebP => redaction::webp(&original).map(Some),
        MediaType::Heic | MediaType::Pdf | MediaType::Mp4 => Ok(None),
    }
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
