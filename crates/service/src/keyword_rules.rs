//! Keyword rules through the API: staff read the rules and their change log; an ADMIN adds,
//! changes, retires and restores them. Every change writes a new version of the rule (kept in
//! `keyword_rule_versions`) and an audit event, installs the new rule set in this process at once
//! (other replicas within `reference_data::REFRESH_INTERVAL`), and re-ranks the open cases it
//! concerns: a case's priority counts what its flags weigh under the current rules, so a weight
//! changed or a rule retired moves the cases it flagged. A new rule flags complaints from the next
//! one on; it does not re-read the texts of complaints already filed.

use std::sync::Arc;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::{SellerStanding, case_priority, flag_set};
use crate::error::{ServiceError, ServiceResult};
use crate::reference_data::ReferenceData;
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::keyword_rule::KeywordRuleForm;
pub use laporlapak_db::models::keyword_rule::{KeywordRule, KeywordRuleVersion};
use laporlapak_domain::AuditAction;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::keywords::{self, MAX_WEIGHT, RuleChange, RuleLanguage};

/// A rule with the category it is limited to.
#[derive(Debug, Clone)]
pub struct RuleView {
    pub rule: KeywordRule,
    pub category: Option<Arc<Category>>,
}

/// One version of a rule with the category it was limited to.
#[derive(Debug, Clone)]
pub struct VersionView {
    pub version: KeywordRuleVersion,
    pub category: Option<Arc<Category>>,
}

/// The category of a rule's row, from the reference data (a row names a known category).
fn category_of(services: &Services, id: Option<i64>) -> Option<Arc<Category>> {
    id.and_then(|id| services.reference.get().category(id).cloned())
}

/// A rule to add: every field but the phrase has a default.
pub struct NewRule {
    pub phrase: String,
    pub language: Option<RuleLanguage>,
    /// A category code; none: every category.
    pub category: Option<String>,
    /// 1 when omitted.
    pub weight: Option<i32>,
}

/// A change to a rule: what is omitted stays as it is.
pub struct RuleUpdate {
    /// The version the caller read: a change made since by someone else answers CONFLICT.
    pub expected_version: Option<i32>,
    pub phrase: Option<String>,
    /// `Some(None)` clears the language.
    pub language: Option<Option<RuleLanguage>>,
    /// `Some(None)`: every category again.
    pub category: Option<Option<String>>,
    pub weight: Option<i32>,
    /// false retires the rule, true restores a retired one.
    pub active: Option<bool>,
}

/// Every rule, active and retired, in rule order, with the rule set's version. Staff only.
pub async fn list(services: &Services, viewer: &Viewer) -> ServiceResult<(Vec<RuleView>, i64)> {
    viewer.require_staff()?;
    let (rules, version) = services
        .db
        .run(|conn| -> ServiceResult<_> {
            Ok((KeywordRule::list(conn)?, KeywordRule::set_version(conn)?))
        })
        .await?;
    let rules = rules
        .into_iter()
        .map(|rule| RuleView {
            category: category_of(services, rule.category_id),
            rule,
        })
        .collect();
    Ok((rules, version))
}

/// One rule by id, for `node(id:)`: staff see every rule, anyone else none.
pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<RuleView>> {
    if viewer.staff().is_none() {
        return Ok(None);
    }
    let rule = services
        .db
        .run(move |conn| -> ServiceResult<_> { Ok(KeywordRule::find(conn, id)?) })
        .await?;
    Ok(rule.map(|rule| RuleView {
        category: category_of(services, rule.category_id),
        rule,
    }))
}

/// Up to `limit` changes of the rule set, newest first, older than change `before`, and how many
/// changes there are in all. Staff only.
pub async fn changes(
    services: &Services,
    viewer: &Viewer,
    before: Option<i64>,
    limit: i64,
) -> ServiceResult<(Vec<VersionView>, i64)> {
    viewer.require_staff()?;
    let (page, total) = services
        .db
        .run(move |conn| -> ServiceResult<_> {
            Ok((
                KeywordRuleVersion::page(conn, before, limit)?,
                KeywordRule::set_version(conn)?,
            ))
        })
        .await?;
    let page = page
        .into_iter()
        .map(|version| VersionView {
            category: category_of(services, version.category_id),
            version,
        })
        .collect();
    Ok((page, total))
}

/// Adds a rule. ADMIN only.
pub async fn add(services: &Services, viewer: &Viewer, rule: NewRule) -> ServiceResult<RuleView> {
    viewer.admin()?;
    let phrase = phrase(&rule.phrase)?;
    let weight = weight(rule.weight.unwrap_or(1))?;
    let category_id = category(services, rule.category.as_deref())?;
    let viewer = viewer.clone();
    let (id, fresh) = services
        .write(move |conn, now| {
            if KeywordRule::find_by_phrase(conn, &phrase)?.is_some() {
                return Err(ServiceError::bad_input(
                    "input.phrase",
                    Msg::KeywordPhraseTaken,
                ));
            }
            let form = KeywordRuleForm {
                phrase: &phrase,
                language: rule.language,
                category_id,
                weight,
                active: true,
            };
            let id = KeywordRule::insert(conn, &form, now).map_err(|error| {
                if laporlapak_db::is_unique_violation(&error) {
                    ServiceError::bad_input("input.phrase", Msg::KeywordPhraseTaken)
                } else {
                    error.into()
                }
            })?;
            let change = Change {
                id,
                version: 1,
                kind: RuleChange::Added,
                form,
                earlier_phrase: None,
            };
            Ok((id, change.write(conn, now, &viewer)?))
        })
        .await?;
    installed(services, fresh, id).await
}

/// Changes, retires or restores a rule. ADMIN only.
pub async fn update(
    services: &Services,
    viewer: &Viewer,
    id: i64,
    update: RuleUpdate,
) -> ServiceResult<RuleView> {
    viewer.admin()?;
    let new_phrase = update.phrase.as_deref().map(phrase).transpose()?;
    let new_weight = update.weight.map(weight).transpose()?;
    let new_category = match &update.category {
        Some(code) => Some(category(services, code.as_deref())?),
        None => None,
    };
    let viewer = viewer.clone();
    let fresh = services
        .write(move |conn, now| {
            let current = KeywordRule::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            if update
                .expected_version
                .is_some_and(|expected| expected != current.version)
            {
                return Err(ServiceError::conflict(Msg::KeywordRuleChangedMeanwhile));
            }
            let phrase = new_phrase.unwrap_or_else(|| current.phrase.clone());
            if phrase != current.phrase && KeywordRule::find_by_phrase(conn, &phrase)?.is_some() {
                return Err(ServiceError::bad_input(
                    "input.phrase",
                    Msg::KeywordPhraseTaken,
                ));
            }
            let form = KeywordRuleForm {
                phrase: &phrase,
                language: update.language.unwrap_or(current.language),
                category_id: new_category.unwrap_or(current.category_id),
                weight: new_weight.unwrap_or(current.weight),
                active: update.active.unwrap_or(current.active),
            };
            let unchanged = form.phrase == current.phrase
                && form.language == current.language
                && form.category_id == current.category_id
                && form.weight == current.weight
                && form.active == current.active;
            if unchanged {
                return Err(ServiceError::bad_input("input", Msg::NothingToChange));
            }
            let kind = match (current.active, form.active) {
                (true, false) => RuleChange::Retired,
                (false, true) => RuleChange::Restored,
                _ => RuleChange::Changed,
            };
            let version = current.version + 1;
            if !KeywordRule::update(conn, id, version, &form, now).map_err(|error| {
                if laporlapak_db::is_unique_violation(&error) {
                    ServiceError::bad_input("input.phrase", Msg::KeywordPhraseTaken)
                } else {
                    ServiceError::from(error)
                }
            })? {
                return Err(ServiceError::conflict(Msg::KeywordRuleChangedMeanwhile));
            }
            let change = Change {
                id,
                version,
                kind,
                form,
                earlier_phrase: Some(&current.phrase),
            };
            change.write(conn, now, &viewer)
        })
        .await?;
    installed(services, fresh, id).await
}

/// One change about to be written: the rule's new values and version.
struct Change<'a> {
    id: i64,
    version: i32,
    kind: RuleChange,
    form: KeywordRuleForm<'a>,
    /// The phrase before the change, when it existed.
    earlier_phrase: Option<&'a str>,
}

impl Change<'_> {
    /// Records the version and the audit event, re-ranks the open cases flagged by the rule's old
    /// or new phrase, and returns the rule set as it now is (read inside the transaction, so the
    /// copy installed is exactly what committed).
    fn write(
        &self,
        conn: &mut DbConnection,
        now: chrono::NaiveDateTime,
        viewer: &Viewer,
    ) -> ServiceResult<ReferenceData> {
        KeywordRule::record_version(
            conn,
            self.id,
            self.version,
            self.kind,
            &self.form,
            viewer.account_id(),
            now,
        )?;
        let details = format!(
            "{} v{} weight={} active={}",
            self.kind.as_str().to_lowercase(),
            self.version,
            self.form.weight,
            self.form.active
        );
        audit::record(
            conn,
            now,
            Actor::Viewer(viewer),
            NewEvent::new(
                AuditAction::KeywordRuleChanged,
                Subject::KeywordRule(self.id),
            )
            .details(&details),
        )?;
        crate::watchlist::rule_changed(
            conn,
            self.id,
            self.form.phrase,
            self.form.weight,
            self.kind,
            now,
        )?;
        let fresh = ReferenceData::read(conn)?;
        let mut phrases = vec![self.form.phrase];
        phrases.extend(
            self.earlier_phrase
                .filter(|earlier| *earlier != self.form.phrase),
        );
        rerank(conn, &fresh, &phrases)?;
        Ok(fresh)
    }
}

/// Sets the priority of every open case flagged with one of `phrases` to what its flags weigh
/// under the rules of `reference`.
fn rerank(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    phrases: &[&str],
) -> ServiceResult<()> {
    for phrase in phrases {
        for case in Case::non_final_flagged(conn, phrase)? {
            let flags = flag_set(std::iter::once(case.flags.as_str()));
            if !flags.contains(phrase) {
                continue; // a longer phrase that contains this one
            }
            let severity = reference
                .category(case.category_id)
                .map_or(1, |category| category.severity);
            let priority = case_priority(
                case.report_count,
                case.umkm_report_count,
                severity,
                reference.flag_weight(&flags),
                SellerStanding::of(&case),
            );
            if priority != case.priority {
                Case::set_priority(conn, case.id, priority)?;
            }
        }
    }
    Ok(())
}

/// Installs the rule set a change committed and returns the changed rule.
async fn installed(services: &Services, fresh: ReferenceData, id: i64) -> ServiceResult<RuleView> {
    services.reference.replace(fresh);
    let rule = services
        .db
        .run(move |conn| KeywordRule::find(conn, id)?.ok_or(ServiceError::NotFound))
        .await?;
    Ok(RuleView {
        category: category_of(services, rule.category_id),
        rule,
    })
}

fn phrase(raw: &str) -> ServiceResult<String> {
    keywords::normal_phrase(raw)
        .ok_or_else(|| ServiceError::bad_input("input.phrase", Msg::InvalidKeywordPhrase))
}

fn weight(value: i32) -> ServiceResult<i32> {
    if (1..=MAX_WEIGHT).contains(&value) {
        Ok(value)
    } else {
        Err(ServiceError::bad_input(
            "input.weight",
            Msg::OutOfRange {
                min: 1,
                max: i64::from(MAX_WEIGHT),
            },
        ))
    }
}

/// The id of the category with this code (active or not); none for none.
fn category(services: &Services, code: Option<&str>) -> ServiceResult<Option<i64>> {
    let Some(code) = code else {
        return Ok(None);
    };
    services
        .reference
        .get()
        .category_by_code(code)
        .map(|category| Some(category.id))
        .ok_or_else(|| ServiceError::bad_input("input.category", Msg::UnknownCategory))
}
