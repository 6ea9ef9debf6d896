//! Why a case was rejected, in words its reporters can read: a reason from a fixed list (chosen
//! by the reviewer who rejects), explained in Indonesian and English.

use crate::i18n::Lang;
use crate::text_enum::text_enum;

text_enum! {
    /// Why a case was rejected, as its reporters are told.
    pub enum RejectionReason {
        /// What the listing offers is not illegal under the category's law.
        NotIllegal = "NOT_ILLEGAL",
        /// The complaint does not show enough to act on.
        InsufficientEvidence = "INSUFFICIENT_EVIDENCE",
        /// The same listing is handled in another case.
        Duplicate = "DUPLICATE",
        /// Not for this ministry (another authority, or not an online listing).
        OutsideRemit = "OUTSIDE_REMIT",
        /// The listing is no longer online.
        ListingUnavailable = "LISTING_UNAVAILABLE",
        /// Another reason, said in the reviewer's message.
        Other = "OTHER",
    }
}

impl RejectionReason {
    /// The reason explained to a reporter.
    pub fn explanation(self, lang: Lang) -> &'static str {
        let (id, en) = match self {
            Self::NotIllegal => (
                "Setelah ditinjau, yang ditawarkan tidak melanggar aturan pada kategori ini.",
                "After review, what is offered does not break the law of this category.",
            ),
            Self::InsufficientEvidence => (
                "Bukti yang ada belum cukup untuk ditindaklanjuti.",
                "The evidence given is not enough to act on.",
            ),
            Self::Duplicate => (
                "Tautan yang sama sudah ditangani dalam laporan lain.",
                "The same listing is already handled in another report.",
            ),
            Self::OutsideRemit => (
                "Laporan ini bukan kewenangan kementerian ini.",
                "This report is outside this ministry's remit.",
            ),
            Self::ListingUnavailable => (
                "Tautan yang dilaporkan sudah tidak tersedia.",
                "The reported listing is no longer available.",
            ),
            Self::Other => (
                "Laporan ditolak setelah ditinjau.",
                "The report was rejected after review.",
            ),
        };
        match lang {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_explained_in_both_languages() {
        for &reason in RejectionReason::ALL {
            let id = reason.explanation(Lang::Id);
            let en = reason.explanation(Lang::En);
            assert!(!id.is_empty() && !en.is_empty() && id != en, "{reason}");
            assert_eq!(RejectionReason::parse(reason.as_str()), Ok(reason));
        }
    }
}
