//! What changed between two versions of the schema (SDL), and which changes would break a client
//! written against the older one. `laporlapak schema-diff OLD [NEW]` runs it; CI runs it against
//! the schema of the previous commit of `main`.
//!
//! Breaking: a type, field, argument, input field, enum value or union member removed; a type of
//! another kind; an interface no longer implemented; an output type widened (non-null → nullable,
//! another named type, another list shape); an input type narrowed (nullable → non-null, another
//! named type); a required argument or input field added. Such a change is allowed only when the
//! older schema already deprecated the element with a reason that names a removal date in the past:
//! `@deprecated(reason: "Use `x` instead; removal after 2027-03-31.")`. A type whose every use was
//! removed that way may go with them.
//!
//! Dangerous (reported, not failing): an enum value or union member added, which an exhaustive
//! `switch` in a client may not expect, and a changed default value. Everything else — additions,
//! deprecations, descriptions — is safe. Root types are matched by role (`schema { query: … }`),
//! not by name.
//!
//! Its modules: `schema` reads SDL into the types the comparison reads, `compare` walks the two
//! schemas and classifies each change; `diff` is the entry point.

mod compare;
mod schema;
#[cfg(test)]
mod tests;

use std::fmt;

use chrono::NaiveDate;

use crate::compare::Differ;
use crate::schema::Schema;

/// How a change affects clients written against the older schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the check.
    Breaking,
    /// Would break, but the older schema deprecated the element with a removal date now past.
    Allowed,
    /// Cannot break a query, but may surprise a client.
    Dangerous,
    /// An addition or a deprecation.
    Safe,
    /// A description changed, and nothing else.
    Description,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Self::Breaking => "BREAKING",
            Self::Allowed => "allowed",
            Self::Dangerous => "dangerous",
            Self::Safe => "safe",
            Self::Description => "description",
        }
    }
}

/// One change, at a schema coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    pub coordinate: String,
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<11} {}: {}",
            self.severity.label(),
            self.coordinate,
            self.message
        )
    }
}

/// An SDL document that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("the {which} schema does not parse: {message}")]
pub struct SdlError {
    pub(crate) which: &'static str,
    pub(crate) message: String,
}

/// Every change from `old` to `new`, most severe first. `today` decides whether a deprecation's
/// removal date has passed.
pub fn diff(old: &str, new: &str, today: NaiveDate) -> Result<Vec<Change>, SdlError> {
    let old = Schema::parse(old, "old")?;
    let mut new = Schema::parse(new, "new")?;
    new.rename_roots_as(&old);
    let mut changes = Differ {
        today,
        changes: Vec::new(),
    }
    .run(&old, &new);
    changes.sort_by(|a, b| {
        (a.severity, &a.coordinate, &a.message).cmp(&(b.severity, &b.coordinate, &b.message))
    });
    Ok(changes)
}
