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

diesel::allow_tables_to_appear_in_same_query!(surveys, responses, drafts);
