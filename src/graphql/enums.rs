//! The schema's enums, each a mirror of its domain enum (async-graphql's `remote` conversion keeps
//! the two in step: a variant added to one and not the other does not compile).

use async_graphql::Enum;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::CaseStatus")]
pub enum CaseStatus {
    Open,
    InReview,
    AwaitingInfo,
    Forwarded,
    Resolved,
    PlatformDeclined,
    Escalated,
    Rejected,
    Closed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::Role")]
pub enum Role {
    Citizen,
    Reviewer,
    Platform,
    Admin,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::Urgency")]
pub enum Urgency {
    Normal,
    Urgent,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::Authority")]
pub enum Authority {
    Komdigi,
    Kemendag,
    BeaCukai,
    Polri,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::TakedownStatus")]
pub enum TakedownStatus {
    Pending,
    Acknowledged,
    Answered,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::TakedownAction")]
pub enum TakedownAction {
    Removed,
    Restricted,
    GeoBlocked,
    Declined,
    NeedsMoreInfo,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::MessageAuthor")]
pub enum MessageAuthor {
    Reviewer,
    Reporter,
}
