//! The closed vocabularies of notification mails: what a mail is about, and where it stands in
//! the outbox.

use crate::text_enum::text_enum;

text_enum! {
    /// What a notification mail tells its reporter; each has a template in both languages.
    pub enum MailKind {
        /// The complaint opened a new case.
        Opened = "OPENED",
        /// The complaint joined a case other reports had opened.
        Joined = "JOINED",
        /// A reviewer asked the case's reporters for more.
        Question = "QUESTION",
        /// Half of the time to answer a reviewer's question has passed.
        Reminder = "REMINDER",
        /// The case was rejected, with its reason.
        Rejected = "REJECTED",
        /// The case was forwarded to its platform.
        Forwarded = "FORWARDED",
        /// The platform answered the takedown request, with its reasons.
        PlatformAnswer = "PLATFORM_ANSWER",
        /// A reviewer decided the reporter's appeal.
        AppealOutcome = "APPEAL_OUTCOME",
        /// Some days after a removal: is the listing still online?
        StillOnline = "STILL_ONLINE",
    }
}

impl MailKind {
    /// The template's name (`<name>.txt`, `<name>.html`, in each language's folder).
    pub const fn template(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Joined => "joined",
            Self::Question => "question",
            Self::Reminder => "reminder",
            Self::Rejected => "rejected",
            Self::Forwarded => "forwarded",
            Self::PlatformAnswer => "platform_answer",
            Self::AppealOutcome => "appeal_outcome",
            Self::StillOnline => "still_online",
        }
    }
}

text_enum! {
    /// Where one mail of the outbox stands.
    pub enum MailStatus {
        /// Waiting for its next attempt (or for a relay to be configured).
        Pending = "PENDING",
        /// The relay accepted it.
        Sent = "SENT",
        /// Retried until its time ran out, or the relay refused it for good.
        Failed = "FAILED",
        /// Not sent: the reporter unsubscribed or erased the address meanwhile.
        Dropped = "DROPPED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for &kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Ok(kind));
        }
        for &status in MailStatus::ALL {
            assert_eq!(MailStatus::parse(status.as_str()), Ok(status));
        }
    }
}
