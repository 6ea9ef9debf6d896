//! Keyword rules: the phrases that flag a complaint (see `domain::keywords`), each with the
//! category it is limited to and the weight its match gives, and every version of every rule
//! (`keyword_rule_versions`, the change log staff read).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{keyword_rule_versions, keyword_rules};
use laporlapak_domain::keywords::{RuleChange, RuleLanguage};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = keyword_rules)]
pub struct KeywordRule {
    pub id: i64,
    pub phrase: String,
    pub active: bool,
    pub language: Option<RuleLanguage>,
    pub category_id: Option<i64>,
    pub weight: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a rule is after a change: the values every version records.
#[derive(Debug, Clone, Copy)]
pub struct KeywordRuleForm<'a> {
    pub phrase: &'a str,
    pub language: Option<RuleLanguage>,
    pub category_id: Option<i64>,
    pub weight: i32,
    pub active: bool,
}

/// One version of one rule, as the change log shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = keyword_rule_versions)]
pub struct KeywordRuleVersion {
    pub id: i64,
    pub rule_id: i64,
    pub version: i32,
    pub change: RuleChange,
    pub phrase: String,
    pub language: Option<RuleLanguage>,
    pub category_id: Option<i64>,
    pub weight: i32,
    pub active: bool,
    pub changed_by: Option<i64>,
    pub changed_at: NaiveDateTime,
}

impl KeywordRule {
    /// Every rule, active or retired, in rule order (the order flags are matched in).
    pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        keyword_rules::table
            .order(keyword_rules::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        keyword_rules::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_phrase(conn: &mut DbConnection, phrase: &str) -> QueryResult<Option<Self>> {
        keyword_rules::table
            .filter(keyword_rules::phrase.eq(phrase))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Creates a rule at version 1; returns its id. A phrase another rule has is a unique
    /// violation.
    pub fn insert(
        conn: &mut DbConnection,
        form: &KeywordRuleForm<'_>,
        at: NaiveDateTime,
    ) -> QueryResult<i64> {
        diesel::insert_into(keyword_rules::table)
            .values((
                keyword_rules::phrase.eq(form.phrase),
                keyword_rules::language.eq(form.language),
                keyword_rules::category_id.eq(form.category_id),
                keyword_rules::weight.eq(form.weight),
                keyword_rules::active.eq(form.active),
                keyword_rules::version.eq(1),
                keyword_rules::created_at.eq(at),
                keyword_rules::updated_at.eq(at),
            ))
            .returning(keyword_rules::id)
            .get_result(conn)
    }

    /// Writes version `version` of rule `id`, if the rule is still at `version - 1` (a change
    /// made meanwhile by another administrator makes this update nothing: returns false).
    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        form: &KeywordRuleForm<'_>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let updated = diesel::update(
            keyword_rules::table
                .find(id)
                .filter(keyword_rules::version.eq(version - 1)),
        )
        .set((
            keyword_rules::phrase.eq(form.phrase),
            keyword_rules::language.eq(form.language),
            keyword_rules::category_id.eq(form.category_id),
            keyword_rules::weight.eq(form.weight),
            keyword_rules::active.eq(form.active),
            keyword_rules::version.eq(version),
            keyword_rules::updated_at.eq(at),
        ))
        .execute(conn)?;
        Ok(updated == 1)
    }

    /// Records version `version` of rule `rule_id` in the change log.
    pub fn record_version(
        conn: &mut DbConnection,
        rule_id: i64,
        version: i32,
        change: RuleChange,
        form: &KeywordRuleForm<'_>,
        changed_by: Option<i64>,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(keyword_rule_versions::table)
            .values((
                keyword_rule_versions::rule_id.eq(rule_id),
                keyword_rule_versions::version.eq(version),
                keyword_rule_versions::change.eq(change),
                keyword_rule_versions::phrase.eq(form.phrase),
                keyword_rule_versions::language.eq(form.language),
                keyword_rule_versions::category_id.eq(form.category_id),
                keyword_rule_versions::weight.eq(form.weight),
                keyword_rule_versions::active.eq(form.active),
                keyword_rule_versions::changed_by.eq(changed_by),
                keyword_rule_versions::changed_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// The rule set's version: the number of changes ever made to it (0 before any).
    pub fn set_version(conn: &mut DbConnection) -> QueryResult<i64> {
        keyword_rule_versions::table
            .select(diesel::dsl::max(keyword_rule_versions::id))
            .first::<Option<i64>>(conn)
            .map(Option::unwrap_or_default)
    }
}

impl KeywordRuleVersion {
    /// Up to `limit` changes, newest first, older than change `before` when given.
    pub fn page(
        conn: &mut DbConnection,
        before: Option<i64>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = keyword_rule_versions::table
            .select(Self::as_select())
            .order(keyword_rule_versions::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(keyword_rule_versions::id.lt(before));
        }
        query.load(conn)
    }
}
