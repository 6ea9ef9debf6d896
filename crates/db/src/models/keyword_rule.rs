//! Keyword rules: the phrases that flag a complaint (see `domain::keywords`).

use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::keyword_rules;

pub struct KeywordRule;

impl KeywordRule {
    pub fn active_phrases(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
        keyword_rules::table
            .filter(keyword_rules::active.eq(true))
            .order(keyword_rules::id.asc())
            .select(keyword_rules::phrase)
            .load(conn)
    }
}
