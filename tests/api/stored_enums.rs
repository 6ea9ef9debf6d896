//! Every variant of every stored vocabulary (statuses, roles, urgencies, actions, authorities,
//! audit actions…) is written through its real column and read back equal, on both backends: the
//! migrations' CHECK constraints, the text spellings and the diesel mappings agree. And a row
//! holding a spelling no variant has is an error when read, never a silent default.

use chrono::TimeDelta;
use diesel::RunQueryDsl as _;
use laporlapak::vault::Field;

use crate::helpers::{Backend, TestApp};
use laporlapak::db::DbConnection;
use laporlapak::db::models::account::{Account, AccountInsertForm};
use laporlapak::db::models::case::{Case, CaseInsertForm};
use laporlapak::db::models::event::{Event, EventInsertForm};
use laporlapak::db::models::message::{Message, MessageInsertForm};
use laporlapak::db::models::objection::Objection;
use laporlapak::db::models::platform::Platform;
use laporlapak::db::models::recommendation::{Recommendation, RecommendationInsertForm};
use laporlapak::db::models::sanction::{Sanction, SanctionInsertForm};
use laporlapak::db::models::seller::{
    SellerIdentifier, SellerIdentifierInsertForm, SellerLink, TakedownIdentifier,
};
use laporlapak::db::models::takedown_answer::TakedownAnswer;
use laporlapak::db::models::takedown_request::{TakedownRequest, TakedownRequestInsertForm};
use laporlapak::db::schema::seller_links;
use laporlapak::domain::seller::{IdentifierKind, IdentifierSource, LinkDecision};
use laporlapak::domain::{
    ActedOn, ActorRole, AnswerKind, AuditAction, Authority, CaseStatus, DecisionGround,
    MessageAuthor, ObjectionStatus, RecommendationStatus, Role, SanctionStep, SubjectKind,
    TakedownAction, TakedownDecision, TakedownKind, TakedownStatus, TargetKind, Urgency,
};
use laporlapak::error::ServiceError;

crate::on_both_backends!(
    every_variant_round_trips_through_its_column,
    an_unknown_spelling_in_a_row_is_an_error,
);

/// A new case in `status`, of `kind`; returns its id.
fn case(
    conn: &mut DbConnection,
    platform_id: i64,
    target: &str,
    kind: TargetKind,
    status: CaseStatus,
) -> i64 {
    let now = chrono::Utc::now().naive_utc();
    Case::insert(
        conn,
        &CaseInsertForm {
            flagger_boost: 0,
            source: laporlapak::domain::ReportSource::Public,
            platform_id,
            category_id: 1,
            target,
            target_kind: kind,
            status,
            report_count: 0,
            umkm_report_count: 0,
            flags: "",
            priority: 0,
            created_at: now,
            updated_at: now,
            relisted_from_id: None,
        },
    )
    .unwrap()
}

async fn every_variant_round_trips_through_its_column(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let now = app.now();
    let vault = app.services.vault.clone();
    app.services
        .db
        .run(move |conn| {
            let sealed = |field, text: &str| vault.seal(field, text).unwrap();
            let platform_id = Platform::find_by_slug(conn, "instagram")?.unwrap().id;

            for (index, &role) in Role::ALL.iter().enumerate() {
                let email = format!("role{index}@example.id");
                let id = Account::insert(
                    conn,
                    &AccountInsertForm {
                        email: &sealed(Field::Email, &email),
                        email_index: &vault.email_index(&email),
                        password_hash: "-",
                        display_name: &sealed(Field::DisplayName, "Round trip"),
                        role,
                        platform_id: (role == Role::Platform).then_some(platform_id),
                        umkm_nib: None,
                        umkm_business_name: None,
                        privacy_notice_version: None,
                        privacy_accepted_at: None,
                        created_at: now,
                    },
                )?;
                assert_eq!(Account::find(conn, id)?.unwrap().role, role);
            }

            let mut cases = Vec::new();
            for (index, &status) in CaseStatus::ALL.iter().enumerate() {
                for &kind in TargetKind::ALL {
                    let target = format!("https://instagram.com/p/{index}{kind}");
                    let id = case(conn, platform_id, &target, kind, status);
                    let stored = Case::find(conn, id)?.unwrap();
                    assert_eq!((stored.status, stored.target_kind), (status, kind));
                    cases.push(id);
                }
            }
            for (&authority, &id) in Authority::ALL.iter().zip(&cases) {
                Case::set_escalated_to(conn, id, authority)?;
                assert_eq!(Case::find(conn, id)?.unwrap().escalated_to, Some(authority));
            }

            let reviewer =
                Account::find_by_email_index(conn, &vault.email_indexes("role1@example.id"))?
                    .unwrap()
                    .id;
            let mut requests = Vec::new();
            let mut kinds = TakedownKind::ALL.iter().cycle();
            for &urgency in Urgency::ALL {
                for &status in TakedownStatus::ALL {
                    let kind = *kinds.next().unwrap();
                    let id = TakedownRequest::insert(
                        conn,
                        &TakedownRequestInsertForm {
                            case_id: cases[0],
                            platform_id,
                            legal_basis: "Permendag 18/2021",
                            urgency,
                            note: None,
                            status,
                            issued_by: reviewer,
                            issued_at: now,
                            due_at: now + TimeDelta::hours(4),
                            updated_at: now,
                            remind_at: None,
                            relisting_of_id: None,
                            kind,
                            order_number: None,
                            order_date: None,
                            order_article: None,
                        },
                    )?;
                    let stored = TakedownRequest::find(conn, id)?.unwrap();
                    assert_eq!(
                        (stored.urgency, stored.status, stored.kind),
                        (urgency, status, kind)
                    );
                    if status != TakedownStatus::Answered {
                        requests.push(id);
                    }
                }
            }
            for (&action, &id) in TakedownAction::ALL.iter().zip(&requests) {
                assert!(TakedownRequest::answer(
                    conn, id, action, "reasons", now, now
                )?);
                assert_eq!(
                    TakedownRequest::find(conn, id)?.unwrap().action,
                    Some(action)
                );
            }

            // The answer history (migration 000024): every decision, what it acted on, its
            // ground, and every kind of entry.
            let mut answered = Vec::new();
            for (index, &decision) in TakedownDecision::ALL.iter().enumerate() {
                let id = TakedownRequest::insert(
                    conn,
                    &TakedownRequestInsertForm {
                        case_id: cases[0],
                        platform_id,
                        legal_basis: "Permendag 18/2021",
                        urgency: Urgency::Normal,
                        note: None,
                        status: TakedownStatus::Pending,
                        issued_by: reviewer,
                        issued_at: now,
                        due_at: now + TimeDelta::hours(4),
                        updated_at: now,
                        remind_at: None,
                        relisting_of_id: None,
                        kind: TakedownKind::Notice,
                        order_number: None,
                        order_date: None,
                        order_article: None,
                    },
                )?;
                let entry = TakedownAnswer {
                    id: 0,
                    takedown_request_id: id,
                    kind: AnswerKind::Answer,
                    decision: Some(decision),
                    acted_on: Some(ActedOn::ALL[index % ActedOn::ALL.len()]),
                    ground: Some(DecisionGround::ALL[index % DecisionGround::ALL.len()]),
                    ground_reference: Some("Pasal 2".to_owned()),
                    territory: Some("ID".to_owned()),
                    suspended_until: Some(now),
                    automated_detection: Some(true),
                    automated_decision: Some(false),
                    platform_reference: Some("ref".to_owned()),
                    statement_of_reasons: "reasons".to_owned(),
                    effective_at: now,
                    recorded_at: now,
                };
                TakedownAnswer::insert(conn, &entry)?;
                let stored = TakedownAnswer::for_request(conn, id)?;
                assert_eq!(
                    (
                        stored[0].kind,
                        stored[0].decision,
                        stored[0].acted_on,
                        stored[0].ground
                    ),
                    (entry.kind, entry.decision, entry.acted_on, entry.ground)
                );
                answered.push(id);
            }
            for (&kind, &id) in AnswerKind::ALL.iter().skip(1).zip(&answered) {
                TakedownAnswer::insert(
                    conn,
                    &TakedownAnswer {
                        id: 0,
                        takedown_request_id: id,
                        kind,
                        decision: None,
                        acted_on: None,
                        ground: None,
                        ground_reference: None,
                        territory: None,
                        suspended_until: None,
                        automated_detection: None,
                        automated_decision: None,
                        platform_reference: None,
                        statement_of_reasons: "reasons".to_owned(),
                        effective_at: now,
                        recorded_at: now,
                    },
                )?;
                let kinds: Vec<AnswerKind> = TakedownAnswer::for_request(conn, id)?
                    .into_iter()
                    .map(|entry| entry.kind)
                    .collect();
                assert_eq!(kinds, [AnswerKind::Answer, kind]);
            }

            // The legal chain's vocabularies (migration 000023).
            for &status in RecommendationStatus::ALL {
                let id = Recommendation::insert(
                    conn,
                    &RecommendationInsertForm {
                        letter_number: "B-1",
                        legal_basis: "Permenkominfo 5/2020",
                        reasons: "reasons",
                        urgency: Urgency::Normal,
                        status,
                        created_by: reviewer,
                        created_at: now,
                    },
                )?;
                assert_eq!(Recommendation::find(conn, id)?.unwrap().status, status);
            }
            for &step in SanctionStep::ALL {
                let id = Sanction::insert(
                    conn,
                    &SanctionInsertForm {
                        platform_id,
                        step,
                        letter_number: "SP-1",
                        letter_date: "2026-01-01",
                        reasons: "reasons",
                        recorded_by: reviewer,
                        recorded_at: now,
                    },
                    &requests[..1],
                )?;
                assert_eq!(Sanction::find(conn, id)?.unwrap().step, step);
            }
            for &status in ObjectionStatus::ALL {
                let id = Objection::insert(conn, requests[0], "reasons", now)?;
                if status != ObjectionStatus::Pending {
                    assert!(Objection::decide(conn, id, status, reviewer, "why", now)?);
                }
                assert_eq!(Objection::find(conn, id)?.unwrap().status, status);
            }

            for &author in MessageAuthor::ALL {
                Message::insert(
                    conn,
                    &MessageInsertForm {
                        case_id: cases[1],
                        complaint_id: None,
                        author,
                        author_account_id: None,
                        body: &sealed(Field::MessageBody, "round trip"),
                        created_at: now,
                    },
                )?;
            }
            let authors: Vec<MessageAuthor> = Message::for_complaint(conn, cases[1], 0)?
                .into_iter()
                .map(|message| message.author)
                .collect();
            assert_eq!(authors, MessageAuthor::ALL);

            // Seller identifiers: every kind with every source, then every kind on a takedown
            // request, and every decision on a link.
            let mut forms = Vec::new();
            let values: Vec<String> = (0..IdentifierKind::ALL.len() * IdentifierSource::ALL.len())
                .map(|n| format!("value {n}"))
                .collect();
            let pairs = IdentifierKind::ALL.iter().flat_map(|&kind| {
                IdentifierSource::ALL
                    .iter()
                    .map(move |&source| (kind, source))
            });
            for ((kind, source), value) in pairs.clone().zip(&values) {
                forms.push(SellerIdentifierInsertForm {
                    case_id: cases[3],
                    complaint_id: None,
                    platform_id,
                    kind,
                    value,
                    source,
                    added_by: None,
                    created_at: now,
                });
            }
            SellerIdentifier::insert_many(conn, &forms)?;
            let read: Vec<(IdentifierKind, IdentifierSource)> =
                SellerIdentifier::for_cases(conn, &[cases[3]])?
                    .into_iter()
                    .map(|row| (row.kind, row.source))
                    .collect();
            assert_eq!(read, pairs.collect::<Vec<_>>());
            let sent: Vec<TakedownIdentifier> = IdentifierKind::ALL
                .iter()
                .map(|&kind| TakedownIdentifier {
                    takedown_request_id: requests[0],
                    kind,
                    value: format!("{kind}"),
                    attached: kind == IdentifierKind::BankAccount,
                })
                .collect();
            TakedownIdentifier::insert_many(conn, &sent)?;
            let mut read: Vec<IdentifierKind> = TakedownIdentifier::for_request(conn, requests[0])?
                .into_iter()
                .map(|row| row.kind)
                .collect();
            read.sort_by_key(|kind| kind.as_str());
            let mut all = IdentifierKind::ALL.to_vec();
            all.sort_by_key(|kind| kind.as_str());
            assert_eq!(read, all);
            for (&decision, &other) in LinkDecision::ALL.iter().zip(&cases[5..]) {
                SellerLink::decide(conn, cases[4], other, decision, reviewer, now)?;
            }
            let decided: Vec<(LinkDecision, i64)> = diesel::QueryDsl::select(
                seller_links::table,
                (seller_links::decision, seller_links::other_case_id),
            )
            .load(conn)?;
            let expected: Vec<(LinkDecision, i64)> = LinkDecision::ALL
                .iter()
                .copied()
                .zip(cases[5..].iter().copied())
                .collect();
            assert_eq!(decided, expected);

            let kinds = SubjectKind::ALL.iter().cycle();
            let roles = ActorRole::ALL.iter().cycle();
            let statuses = CaseStatus::ALL.iter().cycle();
            let written: Vec<(AuditAction, SubjectKind, ActorRole, CaseStatus)> = AuditAction::ALL
                .iter()
                .zip(kinds)
                .zip(roles.zip(statuses))
                .map(|((&action, &kind), (&role, &status))| (action, kind, role, status))
                .collect();
            for &(action, subject_type, actor_role, case_status) in &written {
                Event::append(
                    conn,
                    &EventInsertForm {
                        at: now,
                        actor_account_id: None,
                        actor_role: Some(actor_role),
                        action,
                        subject_type,
                        subject_id: 1,
                        case_id: Some(cases[2]),
                        case_status: Some(case_status),
                        details: None,
                        actor_api_client_id: None,
                    },
                )?;
            }
            let read: Vec<(AuditAction, SubjectKind, ActorRole, CaseStatus)> =
                Case::events(conn, cases[2])?
                    .into_iter()
                    .map(|e| {
                        (
                            e.action,
                            e.subject_type,
                            e.actor_role.unwrap(),
                            e.case_status.unwrap(),
                        )
                    })
                    .collect();
            assert_eq!(read, written);
            assert!(written.len() >= SubjectKind::ALL.len().max(ActorRole::ALL.len()));
            Ok::<_, ServiceError>(())
        })
        .await
        .unwrap();
}

async fn an_unknown_spelling_in_a_row_is_an_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let now = app.now();
    let outcome = app
        .services
        .db
        .run(move |conn| {
            let platform_id = Platform::find_by_slug(conn, "instagram")?.unwrap().id;
            let case_id = case(
                conn,
                platform_id,
                "https://instagram.com/p/unknown",
                TargetKind::Listing,
                CaseStatus::Open,
            );
            // The audit trail has no CHECK on its action (it is append-only, never migrated), so a
            // spelling no code knows can be written by hand.
            diesel::sql_query(format!(
                "INSERT INTO events (at, action, subject_type, subject_id, case_id) \
                 VALUES ('{now}', 'case.vanished', 'case', {case_id}, {case_id})"
            ))
            .execute(conn)?;
            Ok::<_, ServiceError>(Case::events(conn, case_id).map(|events| events.len()))
        })
        .await
        .unwrap();
    let error = outcome.expect_err("an unknown action is not read as some default");
    let mut chain = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        chain.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    assert!(
        chain.contains("\"case.vanished\" is not a known AuditAction"),
        "the error names the value: {chain}"
    );
}
