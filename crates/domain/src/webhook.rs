//! The closed vocabularies of webhooks: the events a platform can be told about, and where one
//! delivery of an event stands.

use crate::text_enum::text_enum;

text_enum! {
    /// The events a platform can be told about, spelled as the body's `type`.
    pub enum EventType {
        /// A reviewer forwarded a case: a new takedown request is waiting.
        TakedownRequestIssued = "takedown_request.issued",
        /// Half of the time to answer has passed and the request is unanswered.
        TakedownRequestReminder = "takedown_request.reminder",
        /// The deadline passed and the request is unanswered.
        TakedownRequestOverdue = "takedown_request.overdue",
        /// A case the platform received a request for was escalated to another authority.
        CaseEscalated = "case.escalated",
        /// The platform's watchlist changed (a keyword rule, a confirmed seller's handle): read
        /// `watchlist(since:)` from the version it last read.
        WatchlistChanged = "watchlist.changed",
    }
}

text_enum! {
    /// Where one delivery of an event to one endpoint stands.
    pub enum DeliveryStatus {
        /// Waiting for its next attempt.
        Pending = "PENDING",
        /// The endpoint answered 2xx.
        Succeeded = "SUCCEEDED",
        /// Retried until its time ran out (or its endpoint was disabled).
        Failed = "FAILED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_unknown_ones_are_errors() {
        for &event in EventType::ALL {
            assert_eq!(EventType::parse(event.as_str()), Ok(event));
        }
        for &status in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(status.as_str()), Ok(status));
        }
        assert!(DeliveryStatus::parse("pending").is_err());
        assert!(EventType::parse("takedown_request.answered").is_err());
    }
}
