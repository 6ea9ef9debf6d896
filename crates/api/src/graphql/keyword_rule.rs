//! Keyword rules through the API: `keywordRules` and `keywordRuleChanges` for staff,
//! `addKeywordRule` and `updateKeywordRule` for an ADMIN.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{
    Context, Description, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject,
};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::Category;
use laporlapak_service::keyword_rules::{self, NewRule, RuleUpdate, RuleView, VersionView};

/// The language a rule's phrase is written in. Informative: every rule is matched against every
/// complaint, whatever its language.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::keywords::RuleLanguage")]
pub enum KeywordLanguage {
    /// Bahasa Indonesia.
    Indonesian,
    /// English.
    English,
}

/// What one change did to a keyword rule.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::keywords::RuleChange")]
pub enum KeywordRuleChangeKind {
    /// The rule was created.
    Added,
    /// Its phrase, language, category or weight changed.
    Changed,
    /// It stopped flagging complaints (`active: false`).
    Retired,
    /// A retired rule flags again (`active: true`).
    Restored,
}

/// A phrase that flags complaints whose description, link or handle holds it as whole words
/// (case-insensitively: `bal` flags "1 BAL 100 pcs", not "Bali"). A case's flags raise its
/// priority by 15 points per unit of weight of its flags' current rules, at most 60. Staff only.
#[derive(Description)]
pub struct KeywordRule(pub RuleView);

#[Object(use_type_description)]
impl KeywordRule {
    /// The rule's opaque global ID.
    pub async fn id(&self) -> ID {
        id::encode(NodeType::KeywordRule, self.0.rule.id)
    }
    /// The phrase, as matched: its words, lower-cased, one space apart.
    async fn phrase(&self) -> &str {
        &self.0.rule.phrase
    }
    /// The language the phrase is written in; null when not said.
    async fn language(&self) -> Option<KeywordLanguage> {
        self.0.rule.language.map(Into::into)
    }
    /// The only category whose complaints the rule flags; null: every category.
    async fn category(&self) -> Option<Category> {
        self.0.category.clone().map(Category)
    }
    /// 1 to 4: what a flag of this rule adds to a case's priority, in units of 15 points.
    async fn weight(&self) -> i32 {
        self.0.rule.weight
    }
    /// False once retired: the rule flags no new complaint and its flags weigh nothing.
    async fn active(&self) -> bool {
        self.0.rule.active
    }
    /// 1 when added, plus one per change; send it back as `expectedVersion` to change the rule.
    async fn version(&self) -> i32 {
        self.0.rule.version
    }
    /// When the rule was added.
    async fn created_at(&self) -> DateTime {
        self.0.rule.created_at.into()
    }
    /// When the rule last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.rule.updated_at.into()
    }
}

/// Every keyword rule, active and retired, with the version of the whole set.
#[derive(SimpleObject)]
pub struct KeywordRuleSet {
    /// The number of changes ever made to the rules: it grows with every change, so a client
    /// holding a copy knows whether it is current.
    pub version: i32,
    /// In rule order (oldest first).
    pub rules: Vec<KeywordRule>,
}

/// One version of a keyword rule in the change log: the rule's values after the change.
#[derive(Description)]
pub struct KeywordRuleChange(VersionView);

#[Object(use_type_description)]
impl KeywordRuleChange {
    /// The changed rule's global ID (`KeywordRule.id`).
    async fn rule_id(&self) -> ID {
        id::encode(NodeType::KeywordRule, self.0.version.rule_id)
    }
    /// The rule's version this change made.
    async fn version(&self) -> i32 {
        self.0.version.version
    }
    /// What the change did.
    async fn change(&self) -> KeywordRuleChangeKind {
        self.0.version.change.into()
    }
    /// The phrase after the change.
    async fn phrase(&self) -> &str {
        &self.0.version.phrase
    }
    /// The language after the change.
    async fn language(&self) -> Option<KeywordLanguage> {
        self.0.version.language.map(Into::into)
    }
    /// The category the rule was limited to after the change; null: every category.
    async fn category(&self) -> Option<Category> {
        self.0.category.clone().map(Category)
    }
    /// The weight after the change.
    async fn weight(&self) -> i32 {
        self.0.version.weight
    }
    /// Whether the rule flagged complaints after the change.
    async fn active(&self) -> bool {
        self.0.version.active
    }
    /// The global ID of the ADMIN account that made the change; null for the rules the
    /// installation started with.
    async fn changed_by(&self) -> Option<ID> {
        self.0
            .version
            .changed_by
            .map(|account| id::encode(NodeType::Account, account))
    }
    /// When the change was made.
    async fn changed_at(&self) -> DateTime {
        self.0.version.changed_at.into()
    }
}

#[derive(SimpleObject)]
pub struct KeywordRuleChangeConnectionFields {
    /// Changes on this page.
    pub page_count: i32,
    /// Changes in the whole log.
    pub total_count: i32,
}

pub type KeywordRuleChangeConnection =
    Connection<String, KeywordRuleChange, KeywordRuleChangeConnectionFields>;
pub type KeywordRuleChangeEdge = Edge<String, KeywordRuleChange, EmptyFields>;

pub const CONNECTION_DESCRIPTION: &str = "A page of the keyword rules' change log, newest first \
(a Relay cursor connection): `pageInfo.endCursor` is the `after` of the next page while \
`pageInfo.hasNextPage` is true.";
pub const EDGE_DESCRIPTION: &str = "A change of a keyword rule, with its cursor.";

const CURSOR: &str = "keyword-rule-change";

#[derive(Default)]
pub struct KeywordRuleQuery;

#[Object]
impl KeywordRuleQuery {
    /// Every keyword rule, active and retired. REVIEWER and ADMIN only.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn keyword_rules(&self, ctx: &Context<'_>) -> async_graphql::Result<KeywordRuleSet> {
        let (rules, version) = keyword_rules::list(ctx.services()?, ctx.viewer()).await?;
        Ok(KeywordRuleSet {
            version: i32::try_from(version).unwrap_or(i32::MAX),
            rules: rules.into_iter().map(KeywordRule).collect(),
        })
    }

    /// The keyword rules' change log, newest first: every version of every rule, with who made
    /// it. REVIEWER and ADMIN only.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn keyword_rule_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<KeywordRuleChangeConnection> {
        let limit = pagination::page_size(first)?;
        let before = pagination::decode_id(CURSOR, after.as_deref())?;
        let (mut page, total) =
            keyword_rules::changes(ctx.services()?, ctx.viewer(), before, limit + 1).await?;
        let has_more = page.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        page.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            KeywordRuleChangeConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                total_count: i32::try_from(total).unwrap_or(i32::MAX),
            },
        );
        connection.edges.extend(page.into_iter().map(|change| {
            Edge::new(
                pagination::encode(CURSOR, &change.version.id.to_string()),
                KeywordRuleChange(change),
            )
        }));
        Ok(connection)
    }
}

/// A keyword rule to add.
#[derive(InputObject)]
pub struct KeywordRuleInput {
    /// 1 to 6 words (letters and digits; other characters separate words), at most 100
    /// characters; stored lower-cased. A phrase another rule has (active or retired) answers
    /// BAD_USER_INPUT: change that rule instead.
    pub phrase: String,
    /// The language the phrase is written in.
    pub language: Option<KeywordLanguage>,
    /// Flag only complaints of this category (`Category.code`); omitted: every category.
    pub category: Option<String>,
    /// 1 to 4; 1 when omitted.
    pub weight: Option<i32>,
}

/// A change to a keyword rule: omitted fields stay as they are; `null` clears `language` and
/// `category`.
#[derive(InputObject)]
pub struct KeywordRuleUpdateInput {
    /// The `version` the change is based on; when the rule has changed since, CONFLICT. Omit to
    /// change whatever the current version is.
    pub expected_version: Option<i32>,
    /// The new phrase (as in `KeywordRuleInput.phrase`).
    pub phrase: Option<String>,
    /// The new language, or null for none.
    pub language: MaybeUndefined<KeywordLanguage>,
    /// A `Category.code`, or null for every category.
    pub category: MaybeUndefined<String>,
    /// The new weight, 1 to 4.
    pub weight: Option<i32>,
    /// false retires the rule (it flags no new complaint, and its flags stop weighing in the
    /// priority of open cases); true restores it.
    pub active: Option<bool>,
}

fn maybe<T, U>(value: MaybeUndefined<T>, into: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(into(value))),
    }
}

#[derive(Default)]
pub struct KeywordRuleMutation;

#[Object]
impl KeywordRuleMutation {
    /// ADMIN only: adds a keyword rule. It flags complaints from the next one on (complaints
    /// already filed are not re-read); audited, and recorded in `keywordRuleChanges`.
    async fn add_keyword_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rule.")] input: KeywordRuleInput,
    ) -> async_graphql::Result<KeywordRule> {
        let rule = NewRule {
            phrase: input.phrase,
            language: input.language.map(Into::into),
            category: input.category,
            weight: input.weight,
        };
        Ok(KeywordRule(
            keyword_rules::add(ctx.services()?, ctx.viewer(), rule).await?,
        ))
    }

    /// ADMIN only: retires a keyword rule — `updateKeywordRule` with `active: false`.
    async fn retire_keyword_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rule's global ID (`KeywordRule.id`).")] id: ID,
        #[graphql(desc = "The `version` the retirement is based on (see `updateKeywordRule`).")]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<KeywordRule> {
        let update = RuleUpdate {
            expected_version,
            phrase: None,
            language: None,
            category: None,
            weight: None,
            active: Some(false),
        };
        let rule_id = id::argument(&id, NodeType::KeywordRule);
        Ok(KeywordRule(
            keyword_rules::update(ctx.services()?, ctx.viewer(), rule_id, update).await?,
        ))
    }

    /// ADMIN only: changes, retires (`active: false`) or restores a keyword rule; its version
    /// grows by one. The open cases its old or new phrase flagged are re-ranked at once; audited,
    /// and recorded in `keywordRuleChanges`.
    async fn update_keyword_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rule's global ID (`KeywordRule.id`).")] id: ID,
        #[graphql(desc = "What changes.")] input: KeywordRuleUpdateInput,
    ) -> async_graphql::Result<KeywordRule> {
        let update = RuleUpdate {
            expected_version: input.expected_version,
            phrase: input.phrase,
            language: maybe(input.language, Into::into),
            category: maybe(input.category, |code| code),
            weight: input.weight,
            active: input.active,
        };
        let rule_id = id::argument(&id, NodeType::KeywordRule);
        Ok(KeywordRule(
            keyword_rules::update(ctx.services()?, ctx.viewer(), rule_id, update).await?,
        ))
    }
}
