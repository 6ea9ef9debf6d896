//! YouTube (`youtube.com`, `youtu.be`).
//!
//! * Videos `/watch?v=ID`, `/shorts/ID`, `/live/ID`, `/embed/ID`, `/v/ID` and `youtu.be/ID`
//!   become `youtube.com/watch?v=ID` (a listing).
//! * Channels `/@handle`, `/channel/ID`, `/c/NAME`, `/user/NAME` (an account).
//! * Anything else keeps its query minus YouTube's share parameters.

use super::generic::{QueryPolicy, fallback, short_link};
use super::{Parts, Shaped, TargetKind, is_name};

/// YouTube's share and player-state parameters.
const YOUTUBE_TRACKING: &[&str] = &["ab_channel", "app", "feature", "pp"];

pub(super) fn shape(parts: &Parts) -> Shaped {
    const HOST: &str = "youtube.com";
    let other = || fallback(HOST, None, parts, QueryPolicy::Filter(YOUTUBE_TRACKING));
    let Some(segments) = parts.texts() else {
        return other();
    };
    match segments.as_slice() {
        // Timestamps, playlists and share ids do not change which video it is.
        ["watch"] => match parts.param("v").filter(|v| is_youtube_id(v)) {
            Some(id) => youtube_video(id),
            None => other(),
        },
        // Shorts, live streams and embeds are ordinary videos under the same id.
        ["shorts" | "live" | "embed" | "v", id, ..] if is_youtube_id(id) => youtube_video(id),
        // Handles are case-insensitive; channel ids are not.
        [handle, ..] if is_youtube_handle(handle) => Shaped::new(
            HOST,
            &[&handle.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        ["channel", id, ..] if is_youtube_id(id) => {
            Shaped::new(HOST, &["channel", id], &[], TargetKind::Account)
        }
        [legacy @ ("c" | "user"), name, ..] if is_name(name, 100, b"._-") => Shaped::new(
            HOST,
            &[legacy, &name.to_ascii_lowercase()],
            &[],
            TargetKind::Account,
        ),
        _ => other(),
    }
}

pub(super) fn shape_youtu_be(parts: &Parts) -> Shaped {
    match parts.texts().as_deref() {
        Some([id, ..]) if is_youtube_id(id) => youtube_video(id),
        _ => short_link(parts),
    }
}

fn youtube_video(id: &str) -> Shaped {
    Shaped::new("youtube.com", &["watch"], &[("v", id)], TargetKind::Listing)
}

fn is_youtube_id(s: &str) -> bool {
    is_name(s, 64, b"_-")
}

fn is_youtube_handle(s: &str) -> bool {
    s.strip_prefix('@')
        .is_some_and(|name| is_name(name, 100, b"._-"))
}

#[cfg(test)]
mod tests {
    use crate::canonical_url::TargetKind::{Account, Listing};
    use crate::canonical_url::testing::check;

    #[test]
    fn youtube_videos_are_one_case() {
        for raw in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s&si=AbC",
            "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf",
            "https://m.youtube.com/shorts/dQw4w9WgXcQ?feature=share",
            "youtube.com/live/dQw4w9WgXcQ",
        ] {
            check(raw, "https://youtube.com/watch?v=dQw4w9WgXcQ", Listing);
        }
    }

    #[test]
    fn youtube_channels() {
        check(
            "https://www.youtube.com/@ThriftChannel/videos",
            "https://youtube.com/@thriftchannel",
            Account,
        );
        check(
            "https://www.youtube.com/channel/UCabcDEF123_-xyz",
            "https://youtube.com/channel/UCabcDEF123_-xyz",
            Account,
        );
    }
}
