// Written to match migrations/{sqlite,postgres}; both backends share these definitions.

diesel::table! {
    surveys (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        status -> Text,
        source -> Text,
        definition -> Text,
        revision -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    responses (id) {
        id -> Text,
        survey_id -> Integer,
        submitted_on -> Date,
        answers -> Text,
    }
}

diesel::table! {
    drafts (id_hash) {
        id_hash -> Text,
        survey_id -> Integer,
        answers -> Text,
        updated_on -> Date,
    }
}

diesel::joinable!(responses -> surveys (survey_id));
diesel::joinable!(drafts -> surveys (survey_id));

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        totp_secret -> Nullable<Text>,
        totp_confirmed -> Bool,
        totp_last_step -> Nullable<BigInt>,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Integer,
        user_id -> Integer,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Integer,
        stage -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Integer,
        bucket -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        detail -> Text,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    surveys,
    responses,
    drafts,
    users,
    recovery_codes,
    sessions,
    login_failures,
    audit_log,
    api_tokens,
);
