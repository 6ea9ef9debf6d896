//! The portable table definitions shared by both backends (Text, Integer, BigInt, Bool, Timestamp only).
//! Must match `migrations/sqlite` and `migrations/postgres` column for column.

diesel::table! {
    platforms (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        response_hours -> Integer,
        urgent_response_hours -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    platform_hosts (host) {
        host -> Text,
        platform_id -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        code -> Text,
        label_id -> Text,
        label_en -> Text,
        legal_basis -> Text,
        severity -> Integer,
        position -> Integer,
        active -> Bool,
        urgent_track -> Bool,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        role -> Text,
        platform_id -> Nullable<BigInt>,
        umkm_nib -> Nullable<Text>,
        umkm_business_name -> Nullable<Text>,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        email_index -> Nullable<Text>,
        privacy_notice_version -> Nullable<Text>,
        privacy_accepted_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
        mail_consent_version -> Nullable<Text>,
        mail_language -> Nullable<Text>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_account_id -> Nullable<BigInt>,
        actor_role -> Nullable<Text>,
        action -> Text,
        subject_type -> Text,
        subject_id -> BigInt,
        case_id -> Nullable<BigInt>,
        case_status -> Nullable<Text>,
        details -> Nullable<Text>,
        actor_api_client_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        platform_id -> BigInt,
        category_id -> BigInt,
        target -> Text,
        target_kind -> Text,
        status -> Text,
        report_count -> Integer,
        umkm_report_count -> Integer,
        flags -> Text,
        priority -> Integer,
        assignee_id -> Nullable<BigInt>,
        version -> Integer,
        merged_into_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        escalated_to -> Nullable<Text>,
        takedown_due_at -> Nullable<Timestamp>,
        seller_id -> Nullable<BigInt>,
        seller_score -> Integer,
        relisted_from_id -> Nullable<BigInt>,
        rejection_reason -> Nullable<Text>,
        rejection_message -> Nullable<Text>,
        reply_due_at -> Nullable<Timestamp>,
        closed_for_no_reply -> Bool,
        reply_reminded -> Bool,
        flagger_boost -> Integer,
        source -> Text,
    }
}

diesel::table! {
    complaints (id) {
        id -> BigInt,
        tracking_code_hash -> Text,
        case_id -> BigInt,
        category_id -> BigInt,
        platform_id -> BigInt,
        listing_url -> Text,
        canonical_url -> Text,
        account_handle -> Nullable<Text>,
        description -> Text,
        province -> Nullable<Text>,
        city -> Nullable<Text>,
        anonymous -> Bool,
        reporter_account_id -> Nullable<BigInt>,
        reporter_umkm -> Bool,
        contact_email -> Nullable<Text>,
        flags -> Text,
        created_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
        personal_data_erased_at -> Nullable<Timestamp>,
        evidence_retained_at -> Nullable<Timestamp>,
        mail_consent_version -> Nullable<Text>,
        mail_language -> Nullable<Text>,
        organisation_id -> Nullable<BigInt>,
        flagger_boost -> Integer,
        source -> Text,
    }
}

diesel::table! {
    complaint_evidence (id) {
        id -> BigInt,
        complaint_id -> BigInt,
        url -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    keyword_rules (id) {
        id -> BigInt,
        phrase -> Text,
        active -> Bool,
        created_at -> Timestamp,
        language -> Nullable<Text>,
        category_id -> Nullable<BigInt>,
        weight -> Integer,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appeals (id) {
        id -> BigInt,
        case_id -> BigInt,
        complaint_id -> BigInt,
        body -> Text,
        rejected_by -> Nullable<BigInt>,
        filed_at -> Timestamp,
        decision -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    keyword_rule_versions (id) {
        id -> BigInt,
        rule_id -> BigInt,
        version -> Integer,
        change -> Text,
        phrase -> Text,
        language -> Nullable<Text>,
        category_id -> Nullable<BigInt>,
        weight -> Integer,
        active -> Bool,
        changed_by -> Nullable<BigInt>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (scope, idempotency_key) {
        scope -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        complaint_id -> BigInt,
        joined_existing_case -> Bool,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        tracking_code -> Nullable<Text>,
    }
}

diesel::table! {
    index_keys (name) {
        name -> Text,
        sealed_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    takedown_requests (id) {
        id -> BigInt,
        case_id -> BigInt,
        platform_id -> BigInt,
        legal_basis -> Text,
        urgency -> Text,
        note -> Nullable<Text>,
        status -> Text,
        issued_by -> BigInt,
        issued_at -> Timestamp,
        due_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        responded_at -> Nullable<Timestamp>,
        action -> Nullable<Text>,
        statement_of_reasons -> Nullable<Text>,
        acted_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        remind_at -> Nullable<Timestamp>,
        reminder_sent_at -> Nullable<Timestamp>,
        overdue_sent_at -> Nullable<Timestamp>,
        relisting_of_id -> Nullable<BigInt>,
        kind -> Text,
        order_number -> Nullable<Text>,
        order_date -> Nullable<Text>,
        order_article -> Nullable<Text>,
        paused_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        still_online_asked_at -> Nullable<Timestamp>,
        confirmed_at -> Nullable<Timestamp>,
        disputed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        case_id -> BigInt,
        complaint_id -> Nullable<BigInt>,
        author -> Text,
        author_account_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_limit_cells (bucket) {
        bucket -> Text,
        tat -> BigInt,
    }
}

diesel::table! {
    evidence_blobs (id) {
        id -> BigInt,
        sha256 -> Text,
        size -> BigInt,
        media_type -> Text,
        redacted_sha256 -> Nullable<Text>,
        redacted_size -> Nullable<BigInt>,
        created_at -> Timestamp,
        original_erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sellers (id) {
        id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    seller_identifiers (id) {
        id -> BigInt,
        case_id -> BigInt,
        complaint_id -> Nullable<BigInt>,
        platform_id -> BigInt,
        kind -> Text,
        value -> Text,
        source -> Text,
        added_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_files (id) {
        id -> BigInt,
        complaint_id -> BigInt,
        blob_id -> BigInt,
        file_name -> Text,
        uploader_account_id -> Nullable<BigInt>,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    seller_links (case_id, other_case_id) {
        case_id -> BigInt,
        other_case_id -> BigInt,
        decision -> Text,
        decided_by -> BigInt,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    takedown_identifiers (takedown_request_id, kind, value) {
        takedown_request_id -> BigInt,
        kind -> Text,
        value -> Text,
        attached -> Bool,
    }
}

diesel::joinable!(platform_hosts -> platforms (platform_id));
diesel::joinable!(accounts -> platforms (platform_id));
diesel::joinable!(takedown_requests -> cases (case_id));
diesel::joinable!(takedown_answers -> takedown_requests (takedown_request_id));

diesel::joinable!(complaints -> cases (case_id));
diesel::joinable!(complaint_evidence -> complaints (complaint_id));
diesel::joinable!(complaint_files -> complaints (complaint_id));
diesel::joinable!(complaint_files -> evidence_blobs (blob_id));

diesel::table! {
    api_clients (id) {
        id -> BigInt,
        client_id -> Text,
        platform_id -> BigInt,
        name -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_client_secrets (id) {
        id -> BigInt,
        api_client_id -> BigInt,
        secret_hash -> Text,
        hint -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> BigInt,
        platform_id -> BigInt,
        url -> Text,
        secret -> Text,
        description -> Nullable<Text>,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_messages (id) {
        id -> BigInt,
        message_id -> Text,
        platform_id -> BigInt,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_message_id -> BigInt,
        endpoint_id -> BigInt,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        at -> Timestamp,
        duration_ms -> Integer,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        response_excerpt -> Nullable<Text>,
    }
}

diesel::table! {
    /// Written and deleted by the readiness probe while writes fail for lack of space.
    write_probes (id) {
        id -> BigInt,
        payload -> Text,
    }
}

diesel::joinable!(api_client_secrets -> api_clients (api_client_id));
diesel::joinable!(webhook_deliveries -> webhook_messages (webhook_message_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(seller_identifiers -> cases (case_id));

diesel::table! {
    /// Per-day counters of the transparency report, kept by triggers (migration 000014): the
    /// takedown requests issued on `day` (whole days since 1970-01-01, UTC) per platform, and the
    /// re-listings among the cases opened that day.
    report_platform_days (day, platform_id) {
        day -> BigInt,
        platform_id -> BigInt,
        issued -> BigInt,
        acknowledged -> BigInt,
        answered -> BigInt,
        answered_on_time -> BigInt,
        acted_on_time -> BigInt,
        acted_late -> BigInt,
        removed -> BigInt,
        restricted -> BigInt,
        geo_blocked -> BigInt,
        declined -> BigInt,
        needs_more_info -> BigInt,
        relistings -> BigInt,
    }
}

diesel::table! {
    /// Per-day counters of the complaints and cases created on `day`, per category.
    report_category_days (day, category_id) {
        day -> BigInt,
        category_id -> BigInt,
        complaints -> BigInt,
        cases_opened -> BigInt,
        rejected -> BigInt,
        forwarded -> BigInt,
        resolved -> BigInt,
    }
}

diesel::table! {
    /// The unanswered requests issued on `day`, per platform, by the hour they are due in (whole
    /// hours since 1970-01-01, UTC): those due after the current hour are not yet due.
    report_unanswered_due (day, platform_id, due_hour) {
        day -> BigInt,
        platform_id -> BigInt,
        due_hour -> BigInt,
        requests -> BigInt,
    }
}

diesel::table! {
    /// Histogram of the answer times of the requests issued on `day`, per platform: the number of
    /// answers in each bucket and their sum in whole seconds.
    report_answer_times (day, platform_id, bucket) {
        day -> BigInt,
        platform_id -> BigInt,
        bucket -> Integer,
        answers -> BigInt,
        seconds -> BigInt,
    }
}

// The legal chain (migration 000023): recommendations to Komdigi, its sanctions, objections.
diesel::table! {
    recommendations (id) {
        id -> BigInt,
        letter_number -> Text,
        legal_basis -> Text,
        reasons -> Text,
        urgency -> Text,
        status -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_reasons -> Nullable<Text>,
    }
}

diesel::table! {
    recommendation_cases (recommendation_id, case_id) {
        recommendation_id -> BigInt,
        case_id -> BigInt,
        takedown_request_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    recommendation_evidence (recommendation_id, case_id, url) {
        recommendation_id -> BigInt,
        case_id -> BigInt,
        url -> Text,
    }
}

diesel::table! {
    sanctions (id) {
        id -> BigInt,
        platform_id -> BigInt,
        step -> Text,
        letter_number -> Text,
        letter_date -> Text,
        reasons -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    sanction_orders (sanction_id, takedown_request_id) {
        sanction_id -> BigInt,
        takedown_request_id -> BigInt,
    }
}

diesel::table! {
    objections (id) {
        id -> BigInt,
        takedown_request_id -> BigInt,
        reasons -> Text,
        filed_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_reasons -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chain (position) {
        position -> BigInt,
        event_id -> BigInt,
        sealed_at -> Timestamp,
        salt -> Text,
        private_sha256 -> Text,
        leaf_hash -> Text,
        chain_hash -> Text,
    }
}

diesel::table! {
    audit_chain_head (id) {
        id -> BigInt,
        position -> BigInt,
        chain_hash -> Text,
        max_event_id -> BigInt,
    }
}

diesel::table! {
    audit_heads (day) {
        day -> Text,
        first_position -> BigInt,
        tree_size -> BigInt,
        tree_root -> Text,
        previous_chain_hash -> Text,
        chain_hash -> Text,
        key_id -> Text,
        public_key -> Text,
        signature -> Text,
        signed_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        message_id -> Text,
        kind -> Text,
        case_id -> BigInt,
        complaint_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        language -> Text,
        payload -> Nullable<Text>,
        recipient_tag -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    audit_chain,
    audit_chain_head,
    audit_heads,
    mail_outbox,
    platforms,
    platform_hosts,
    categories,
    accounts,
    events,
    cases,
    complaints,
    complaint_evidence,
    keyword_rules,
    keyword_rule_versions,
    appeals,
    idempotency_keys,
    takedown_requests,
    messages,
    rate_limit_cells,
    api_clients,
    api_client_secrets,
    webhook_endpoints,
    webhook_messages,
    webhook_deliveries,
    webhook_attempts,
    evidence_blobs,
    complaint_files,
    sellers,
    seller_identifiers,
    seller_links,
    takedown_identifiers,
    report_platform_days,
    report_category_days,
    report_answer_times,
    report_unanswered_due,
    takedown_answers,
    recommendations,
    recommendation_cases,
    recommendation_evidence,
    sanctions,
    sanction_orders,
    objections,
    organisations,
    organisation_members,
    watchlist_entries,
);

diesel::table! {
    /// Trusted flaggers (migration 000039): an organisation and its bulk-intake limits.
    organisations (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        contact -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        max_batch_items -> Integer,
        batches_per_hour -> Integer,
        max_csv_bytes -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The member accounts of an organisation, each in at most one.
    organisation_members (account_id) {
        account_id -> BigInt,
        organisation_id -> BigInt,
        added_by -> Nullable<BigInt>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    /// The platforms' watchlist feed (migration 000041): one change per row, its id the version.
    watchlist_entries (id) {
        id -> BigInt,
        platform_id -> Nullable<BigInt>,
        kind -> Text,
        change -> Text,
        value -> Text,
        keyword_rule_id -> Nullable<BigInt>,
        weight -> Nullable<Integer>,
        seller_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    /// A platform's answer to a takedown request and its later changes (migration 000024).
    takedown_answers (id) {
        id -> BigInt,
        takedown_request_id -> BigInt,
        kind -> Text,
        decision -> Nullable<Text>,
        acted_on -> Nullable<Text>,
        ground -> Nullable<Text>,
        ground_reference -> Nullable<Text>,
        territory -> Nullable<Text>,
        suspended_until -> Nullable<Timestamp>,
        automated_detection -> Nullable<Bool>,
        automated_decision -> Nullable<Bool>,
        platform_reference -> Nullable<Text>,
        statement_of_reasons -> Text,
        effective_at -> Timestamp,
        recorded_at -> Timestamp,
    }
}
