//! Writing the audit trail. Call [`record`] inside the transaction of the change it describes, so
//! the change and its event commit or fail together.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::event::{Event, EventInsertForm};
use laporlapak_domain::{ActorRole, AuditAction, CaseStatus, SubjectKind};

/// What an event is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Account(i64),
    Platform(i64),
    KeywordRule(i64),
    Case(i64),
    Complaint(i64),
    TakedownRequest(i64),
    ApiClient(i64),
    WebhookEndpoint(i64),
    EvidenceFile(i64),
    Recommendation(i64),
    Sanction(i64),
    Objection(i64),
    Category(i64),
    Organisation(i64),
}

impl Subject {
    pub fn parts(self) -> (SubjectKind, i64) {
        match self {
            Self::Account(id) => (SubjectKind::Account, id),
            Self::Platform(id) => (SubjectKind::Platform, id),
            Self::KeywordRule(id) => (SubjectKind::KeywordRule, id),
            Self::Case(id) => (SubjectKind::Case, id),
            Self::Complaint(id) => (SubjectKind::Complaint, id),
            Self::TakedownRequest(id) => (SubjectKind::TakedownRequest, id),
            Self::ApiClient(id) => (SubjectKind::ApiClient, id),
            Self::WebhookEndpoint(id) => (SubjectKind::WebhookEndpoint, id),
            Self::EvidenceFile(id) => (SubjectKind::EvidenceFile, id),
            Self::Recommendation(id) => (SubjectKind::Recommendation, id),
            Self::Sanction(id) => (SubjectKind::Sanction, id),
            Self::Objection(id) => (SubjectKind::Objection, id),
            Self::Category(id) => (SubjectKind::Category, id),
            Self::Organisation(id) => (SubjectKind::Organisation, id),
        }
    }
}

/// Who acted: a signed-in account, an anonymous member of the public, or the operator's command line.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Viewer(&'a Viewer),
    CommandLine,
}

/// One event to append.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    pub action: AuditAction,
    pub subject: Subject,
    pub case_id: Option<i64>,
    /// The case's status after this event, when the event changes it or starts a complaint's
    /// public timeline.
    pub case_status: Option<CaseStatus>,
    pub details: Option<&'a str>,
}

impl<'a> NewEvent<'a> {
    pub fn new(action: AuditAction, subject: Subject) -> Self {
        Self {
            action,
            subject,
            case_id: None,
            case_status: None,
            details: None,
        }
    }

    pub fn in_case(mut self, case_id: i64) -> Self {
        self.case_id = Some(case_id);
        self
    }

    pub fn status(mut self, status: CaseStatus) -> Self {
        self.case_status = Some(status);
        self
    }

    pub fn details(mut self, details: &'a str) -> Self {
        self.details = Some(details);
        self
    }
}

/// What subscribers hear of `event` once its transaction commits (`live`): ids only.
fn note_live(event: &NewEvent<'_>) {
    use crate::live::{Change, note};
    if let Some(case_id) = event.case_id {
        note(Change::Case(case_id));
    }
    match event.subject {
        Subject::Case(case_id) => note(Change::Case(case_id)),
        Subject::Recommendation(id) => note(Change::Recommendation(id)),
        Subject::Account(id) => note(Change::Account(id)),
        Subject::ApiClient(id) => note(Change::ApiClient(id)),
        _ => {}
    }
}

/// Appends `event`, done by `actor` at `at`.
pub fn record(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    actor: Actor<'_>,
    event: NewEvent<'_>,
) -> QueryResult<()> {
    let (actor_account_id, actor_api_client_id, actor_role) = match actor {
        Actor::Viewer(viewer) => (
            viewer.account_id(),
            viewer.api_client_id(),
            viewer.role().map(ActorRole::from),
        ),
        Actor::CommandLine => (None, None, Some(ActorRole::System)),
    };
    let (subject_type, subject_id) = event.subject.parts();
    note_live(&event);
    Event::append(
        conn,
        &EventInsertForm {
            at,
            actor_account_id,
            actor_api_client_id,
            actor_role,
            action: event.action,
            subject_type,
            subject_id,
            case_id: event.case_id,
            case_status: event.case_status,
            details: event.details,
        },
    )
}
