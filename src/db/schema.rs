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
        details -> Nullable<Text>,
    }
}

diesel::joinable!(platform_hosts -> platforms (platform_id));
diesel::joinable!(accounts -> platforms (platform_id));

diesel::allow_tables_to_appear_in_same_query!(
    platforms,
    platform_hosts,
    categories,
    accounts,
    events
);
