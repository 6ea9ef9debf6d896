//! Organisations as trusted flaggers. An ADMIN registers an organisation (an UMKM association, a
//! brand owner, a consumer group), adds and removes its member accounts (citizen accounts, each in
//! at most one organisation) and suspends, restores or revokes its status — every change audited.
//!
//! A member's named report (not anonymous) to an ACTIVE organisation carries the organisation and
//! the boost its record earns (`domain::organisation::flagger_boost`: the share of its decided
//! reports that led to a takedown request, smoothed, at most 20 points of priority). A member sees
//! the outcomes of every report filed for its organisation — the organisation's reports only,
//! never the other reports of the same cases, never another organisation's. A SUSPENDED or
//! REVOKED organisation's members report as ordinary citizens and may not submit in bulk.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::{Citizen, Viewer};
use laporlapak_db::DbConnection;
use laporlapak_db::models::account::Account;
use laporlapak_db::models::category::Category;
pub use laporlapak_db::models::organisation::{Member, Organisation, OrganisationReport};
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::organisation::{FlaggerRecord, flagger_boost};
use laporlapak_domain::{AuditAction, OrganisationKind, OrganisationStatus, Role, text};

/// An organisation as the API shows it, with its record.
#[derive(Debug, Clone)]
pub struct OrganisationView {
    pub organisation: Organisation,
    pub record: FlaggerRecord,
    /// What its record adds to its members' reports now (0 unless ACTIVE).
    pub boost: i32,
    /// Its members; only for an ADMIN (empty for anyone else).
    pub members: Vec<Member>,
}

/// The organisation a report is filed for, and the boost it carries.
#[derive(Debug, Clone)]
pub(crate) struct Flagger {
    pub organisation: Organisation,
    pub boost: i32,
}

/// The ACTIVE organisation `citizen` is a member of, with its boost now; `None` for anyone else.
/// One statement for a citizen who is no member, three for a member.
pub(crate) fn flagger_of(
    conn: &mut DbConnection,
    citizen: Citizen,
) -> ServiceResult<Option<Flagger>> {
    let Some(organisation) = Organisation::of_member(conn, citizen.account_id())? else {
        return Ok(None);
    };
    if organisation.status != OrganisationStatus::Active {
        return Ok(None);
    }
    let record = Organisation::record(conn, organisation.id)?;
    Ok(Some(Flagger {
        organisation,
        boost: i32::try_from(flagger_boost(record)).unwrap_or(0),
    }))
}

fn view(
    conn: &mut DbConnection,
    organisation: Organisation,
    with_members: bool,
) -> ServiceResult<OrganisationView> {
    let record = Organisation::record(conn, organisation.id)?;
    let boost = if organisation.status == OrganisationStatus::Active {
        i32::try_from(flagger_boost(record)).unwrap_or(0)
    } else {
        0
    };
    let members = if with_members {
        Organisation::members(conn, organisation.id)?
    } else {
        Vec::new()
    };
    Ok(OrganisationView {
        organisation,
        record,
        boost,
        members,
    })
}

/// A new organisation: every field required.
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub contact: String,
}

/// Registers an organisation as a trusted flagger (ACTIVE). ADMIN only.
pub async fn create(
    services: &Services,
    viewer: &Viewer,
    input: NewOrganisation,
) -> ServiceResult<OrganisationView> {
    viewer.admin()?;
    let name = text::single_line(&input.name, 2, 200)
        .map_err(|reason| ServiceError::bad_input("input.name", reason))?;
    let contact = text::single_line(&input.contact, 3, 300)
        .map_err(|reason| ServiceError::bad_input("input.contact", reason))?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            if Organisation::name_taken(conn, &name)? {
                return Err(ServiceError::bad_input(
                    "input.name",
                    Msg::OrganisationNameTaken,
                ));
            }
            let id =
                Organisation::insert(conn, &name, input.kind, &contact, now).map_err(|error| {
                    if laporlapak_db::is_unique_violation(&error) {
                        ServiceError::bad_input("input.name", Msg::OrganisationNameTaken)
                    } else {
                        error.into()
                    }
                })?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::OrganisationCreated, Subject::Organisation(id))
                    .details(&format!("{name} ({})", input.kind)),
            )?;
            let organisation = Organisation::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            view(conn, organisation, true)
        })
        .await
}

/// Adds a citizen account to an organisation. ADMIN only; BAD_USER_INPUT on `accountId` for an
/// account that is not a citizen's, CONFLICT when it is a member of an organisation already.
pub async fn add_member(
    services: &Services,
    viewer: &Viewer,
    organisation_id: i64,
    account_id: i64,
) -> ServiceResult<OrganisationView> {
    let admin = viewer.admin()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let organisation =
                Organisation::find(conn, organisation_id)?.ok_or(ServiceError::NotFound)?;
            let account = Account::find(conn, account_id)?
                .filter(|account| account.erased_at.is_none())
                .ok_or_else(|| ServiceError::bad_input("accountId", Msg::NotACitizenAccount))?;
            if account.role != Role::Citizen {
                return Err(ServiceError::bad_input(
                    "accountId",
                    Msg::NotACitizenAccount,
                ));
            }
            if Organisation::of_member(conn, account_id)?.is_some() {
                return Err(ServiceError::conflict(Msg::AlreadyInOrganisation));
            }
            Organisation::add_member(conn, organisation_id, account_id, admin.account_id(), now)
                .map_err(|error| {
                    if laporlapak_db::is_unique_violation(&error) {
                        ServiceError::conflict(Msg::AlreadyInOrganisation)
                    } else {
                        error.into()
                    }
                })?;
            member_event(
                conn,
                now,
                &viewer,
                AuditAction::OrganisationMemberAdded,
                organisation_id,
                account_id,
            )?;
            view(conn, organisation, true)
        })
        .await
}

/// Removes a member account from an organisation; its earlier reports keep the organisation.
/// ADMIN only; NOT_FOUND when the account is no member of it.
pub async fn remove_member(
    services: &Services,
    viewer: &Viewer,
    organisation_id: i64,
    account_id: i64,
) -> ServiceResult<OrganisationView> {
    viewer.admin()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let organisation =
                Organisation::find(conn, organisation_id)?.ok_or(ServiceError::NotFound)?;
            if !Organisation::remove_member(conn, organisation_id, account_id)? {
                return Err(ServiceError::NotFound);
            }
            member_event(
                conn,
                now,
                &viewer,
                AuditAction::OrganisationMemberRemoved,
                organisation_id,
                account_id,
            )?;
            view(conn, organisation, true)
        })
        .await
}

fn member_event(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    viewer: &Viewer,
    action: AuditAction,
    organisation_id: i64,
    account_id: i64,
) -> ServiceResult<()> {
    audit::record(
        conn,
        now,
        Actor::Viewer(viewer),
        NewEvent::new(action, Subject::Organisation(organisation_id))
            .details(&format!("account {account_id}")),
    )?;
    Ok(())
}

/// Suspends (SUSPENDED), restores (ACTIVE) or revokes (REVOKED, final) an organisation's status,
/// with a reason. ADMIN only; CONFLICT for a revoked organisation.
pub async fn set_status(
    services: &Services,
    viewer: &Viewer,
    organisation_id: i64,
    status: OrganisationStatus,
    reason: String,
) -> ServiceResult<OrganisationView> {
    viewer.admin()?;
    let reason = text::single_line(&reason, 3, 1_000)
        .map_err(|reason| ServiceError::bad_input("reason", reason))?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let organisation =
                Organisation::find(conn, organisation_id)?.ok_or(ServiceError::NotFound)?;
            if organisation.status == OrganisationStatus::Revoked {
                return Err(ServiceError::conflict(Msg::OrganisationRevoked));
            }
            Organisation::set_status(conn, organisation_id, status, &reason, now)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::OrganisationStatusChanged,
                    Subject::Organisation(organisation_id),
                )
                .details(&format!("{} → {status}: {reason}", organisation.status)),
            )?;
            let organisation =
                Organisation::find(conn, organisation_id)?.ok_or(ServiceError::NotFound)?;
            view(conn, organisation, true)
        })
        .await
}

/// Every organisation with its record (and members). ADMIN and REVIEWER.
pub async fn list(services: &Services, viewer: &Viewer) -> ServiceResult<Vec<OrganisationView>> {
    viewer.require_staff()?;
    let with_members = viewer.admin().is_ok();
    services
        .db
        .run(move |conn| {
            Organisation::list(conn)?
                .into_iter()
                .map(|organisation| view(conn, organisation, with_members))
                .collect()
        })
        .await
}

/// The organisation the signed-in citizen is a member of (whatever its status); `None` for a
/// citizen who is no member. CITIZEN only.
pub async fn mine(services: &Services, viewer: &Viewer) -> ServiceResult<Option<OrganisationView>> {
    let citizen = viewer.citizen()?;
    services
        .db
        .run(
            move |conn| match Organisation::of_member(conn, citizen.account_id())? {
                Some(organisation) => Ok(Some(view(conn, organisation, false)?)),
                None => Ok(None),
            },
        )
        .await
}

/// A report filed for an organisation as its members see it: what was reported, by which member,
/// and the outcome so far (its case's status) — nothing of the case's other reports.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: OrganisationReport,
    pub category: Option<Arc<Category>>,
    pub platform: Option<Arc<PlatformWithHosts>>,
}

/// A page of the reports filed for the member's organisation, newest first, with their cases'
/// status, and how many there are in all. CITIZEN only; FORBIDDEN for a citizen who is no member.
pub async fn reports(
    services: &Services,
    viewer: &Viewer,
    before_id: Option<i64>,
    first: i64,
) -> ServiceResult<(Vec<ReportView>, bool, i64)> {
    let citizen = viewer.citizen()?;
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let organisation = Organisation::of_member(conn, citizen.account_id())?
                .ok_or(ServiceError::Forbidden)?;
            let (mut page, total) =
                Organisation::reports(conn, organisation.id, before_id, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            let category_ids: Vec<i64> = page.iter().map(|r| r.category_id).collect();
            let platform_ids: Vec<i64> = page.iter().map(|r| r.platform_id).collect();
            let reference = cache.covering(conn, &platform_ids, &category_ids)?;
            let page = page
                .into_iter()
                .map(|report| ReportView {
                    category: reference.category(report.category_id).cloned(),
                    platform: reference.platform(report.platform_id).cloned(),
                    report,
                })
                .collect();
            Ok((page, has_more, total))
        })
        .await
}
