//! Writing the audit trail. Call [`record`] inside the transaction of the change it describes, so
//! the change and its event commit or fail together.

use diesel::QueryResult;

use crate::auth::Viewer;
use crate::db::DbConnection;
use crate::db::models::event::{Event, EventInsertForm};

/// What an event is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Account(i64),
    Platform(i64),
}

impl Subject {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Self::Account(id) => ("account", id),
            Self::Platform(id) => ("platform", id),
        }
    }
}

/// Who acted: a signed-in account, an anonymous member of the public, or the operator's command line.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Viewer(&'a Viewer),
    CommandLine,
}

pub fn record(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    action: &str,
    subject: Subject,
    case_id: Option<i64>,
    details: Option<&str>,
) -> QueryResult<()> {
    let (actor_account_id, actor_role) = match actor {
        Actor::Viewer(viewer) => match viewer.account() {
            Some(account) => (Some(account.account_id), Some(account.role.as_str())),
            None => (None, None),
        },
        Actor::CommandLine => (None, Some("SYSTEM")),
    };
    let (subject_type, subject_id) = subject.parts();
    Event::append(
        conn,
        &EventInsertForm {
            at: crate::db::now(),
            actor_account_id,
            actor_role,
            action,
            subject_type,
            subject_id,
            case_id,
            details,
        },
    )
}
