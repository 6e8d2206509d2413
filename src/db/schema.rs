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

diesel::table! {
    invitations (id) {
        id -> Text,
        survey_id -> Integer,
        email -> Text,
        email_key -> Text,
        name -> Nullable<Text>,
        invitee_group -> Nullable<Text>,
        sent -> Bool,
        completed -> Bool,
        opted_out -> Bool,
        undeliverable -> Bool,
        last_error -> Nullable<Text>,
        reminders_sent -> Integer,
        next_reminder_on -> Nullable<Date>,
    }
}

diesel::table! {
    invitation_tokens (token_hash) {
        token_hash -> Text,
        invitation_id -> Text,
        survey_id -> Integer,
        wrapped_key -> Nullable<Text>,
    }
}

diesel::table! {
    invitation_drafts (invitation_id) {
        invitation_id -> Text,
        survey_id -> Integer,
        sealed -> Text,
        updated_on -> Date,
        server_sealed_key -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        invitation_id -> Nullable<Text>,
        recipient -> Text,
        recipient_name -> Nullable<Text>,
        subject -> Text,
        body_text -> Nullable<Text>,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(invitations -> surveys (survey_id));
diesel::joinable!(invitation_tokens -> invitations (invitation_id));
diesel::joinable!(invitation_drafts -> invitations (invitation_id));
diesel::joinable!(outbox -> invitations (invitation_id));

diesel::table! {
    tally_sheets (survey_id, by_question) {
        survey_id -> Integer,
        by_question -> Text,
        counts -> Text,
    }
}

diesel::joinable!(tally_sheets -> surveys (survey_id));

diesel::table! {
    untallied (response_id) {
        response_id -> Text,
        survey_id -> Integer,
    }
}

diesel::joinable!(untallied -> responses (response_id));

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
    invitations,
    invitation_tokens,
    invitation_drafts,
    outbox,
    tally_sheets,
    untallied,
);

diesel::table! {
    waiting_responses (id) {
        id -> BigInt,
        survey_id -> Integer,
        sealed -> Binary,
    }
}

diesel::table! {
    submission_days (survey_id, day) {
        survey_id -> Integer,
        day -> Date,
        submissions -> Integer,
    }
}

diesel::table! {
    key_check (id) {
        id -> Integer,
        check_value -> Text,
    }
}

diesel::joinable!(waiting_responses -> surveys (survey_id));
diesel::joinable!(submission_days -> surveys (survey_id));
diesel::allow_tables_to_appear_in_same_query!(waiting_responses, surveys);

diesel::table! {
    idempotency_keys (key_hash) {
        key_hash -> Text,
        survey_id -> Integer,
        fingerprint -> Text,
    }
}
