//! A fixed SQL predicate that diesel may prepare once and reuse.
//!
//! Some filters must reach the database as literals, not bound parameters: a partial index applies
//! only when the planner can see that the query's predicate implies the index's, and a parameter
//! hides that (from SQLite always, from PostgreSQL once it switches to a generic plan). diesel's
//! `dsl::sql` spells such a literal but marks the whole statement as not cacheable, so PostgreSQL
//! would parse and plan it on every request. A [`Predicate`] is a `'static` string: the statement's
//! text, and so its cache key, never varies, and it is prepared once per connection.

use diesel::backend::Backend;
use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Bool;

/// A boolean SQL expression written once in the source, never built from input.
#[derive(Debug, Clone, Copy)]
pub struct Predicate(pub &'static str);

impl Expression for Predicate {
    type SqlType = Bool;
}

impl<DB: Backend> QueryFragment<DB> for Predicate {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_sql(self.0);
        Ok(())
    }
}

/// Two different predicates must not share a cached statement: no static id, so diesel keys the
/// cache by the statement's SQL text, which contains the predicate.
impl QueryId for Predicate {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<QS> AppearsOnTable<QS> for Predicate {}
impl<QS> SelectableExpression<QS> for Predicate {}

impl ValidGrouping<()> for Predicate {
    type IsAggregate = is_aggregate::Never;
}
