//! How the domain's closed vocabularies (`domain::text_enum`) are stored: as their text spelling,
//! on both backends. Reading a spelling that names no variant is a deserialisation error that
//! surfaces as INTERNAL — never a silent default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::evidence::MediaType;
use crate::domain::seller::{IdentifierKind, IdentifierSource, LinkDecision};
use crate::domain::{
    ActorRole, AuditAction, Authority, CaseStatus, MessageAuthor, Role, SubjectKind,
    TakedownAction, TakedownStatus, TargetKind, Urgency,
};

macro_rules! stored_as_text {
    ($($name:ty),+ $(,)?) => {$(
        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, DB>>::from_sql(bytes)?;
                Ok(Self::parse(&text)?)
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    )+};
}

stored_as_text!(
    ActorRole,
    AuditAction,
    Authority,
    CaseStatus,
    IdentifierKind,
    IdentifierSource,
    LinkDecision,
    MessageAuthor,
    Role,
    SubjectKind,
    TakedownAction,
    TakedownStatus,
    TargetKind,
    Urgency,
    MediaType,
);
