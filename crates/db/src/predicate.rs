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

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A fixed predicate compares typed columns with stored spellings: those must come from the
    /// enums' `as_str()` (with `const_format::concatcp!`), never be typed by hand, or a spelling
    /// that is not stored (`'CASE'` for `'case'`) matches nothing and no compiler notices. This
    /// walks the sources for a `Predicate(` whose string pieces quote a value.
    #[test]
    fn no_predicate_spells_a_stored_value_by_hand() {
        let mut offenders = Vec::new();
        // Every crate of the workspace (this one is `crates/db`), and the binary's `src`.
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut scanned = 0;
        for dir in [workspace.join("crates"), workspace.join("src")] {
            visit(&dir, &mut |path, text| {
                scanned += 1;
                for (at, _) in text.match_indices("Predicate(") {
                    let call = balanced(&text[at + "Predicate".len()..]);
                    if string_pieces(call).any(quotes_a_value) {
                        offenders.push(format!("{}: {}", path.display(), call));
                    }
                }
            });
        }
        assert!(scanned > 50, "the walk found only {scanned} source files");
        assert!(
            offenders.is_empty(),
            "predicates that spell a stored value by hand (build it from the enum's as_str()):\n{}",
            offenders.join("\n")
        );
    }

    #[test]
    fn the_check_sees_a_hand_spelled_value() {
        let call = balanced("(\"subject_type = 'CASE' AND x\");");
        assert!(string_pieces(call).any(quotes_a_value));
        let built =
            balanced("(concatcp!(\"status IN ('\", A.as_str(), \"', '\", B.as_str(), \"')\"));");
        assert!(!string_pieces(built).any(quotes_a_value));
    }

    fn visit(dir: &Path, check: &mut dyn FnMut(&Path, &str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            panic!("cannot read {}", dir.display());
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, check);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with(file!())
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                check(&path, &text);
            }
        }
    }

    /// The text from an opening parenthesis to its closing one.
    fn balanced(text: &str) -> &str {
        let mut depth = 0;
        for (i, c) in text.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return &text[..=i];
                    }
                }
                _ => {}
            }
        }
        text
    }

    /// The contents of the string literals in `code` (no escapes are used in predicates).
    fn string_pieces(code: &str) -> impl Iterator<Item = &str> {
        code.split('"').skip(1).step_by(2)
    }

    /// Whether a piece of SQL holds a whole quoted value such as `'CASE'`.
    fn quotes_a_value(piece: &str) -> bool {
        piece.split('\'').skip(1).step_by(2).any(|inside| {
            !inside.is_empty()
                && inside
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_.-".contains(c))
        })
    }
}
