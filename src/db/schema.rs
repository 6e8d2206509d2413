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
    }
}

diesel::table! {
    answers (response_id, question_key, value) {
        response_id -> Text,
        survey_id -> Integer,
        question_key -> Text,
        value -> Text,
        number -> Nullable<Double>,
    }
}

diesel::table! {
    text_answers (response_id, question_key) {
        response_id -> Text,
        survey_id -> Integer,
        question_key -> Text,
        body -> Text,
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
diesel::joinable!(answers -> responses (response_id));
diesel::joinable!(text_answers -> responses (response_id));
diesel::joinable!(drafts -> surveys (survey_id));

diesel::allow_tables_to_appear_in_same_query!(
    surveys,
    responses,
    answers,
    text_answers,
    drafts,
    tallies
);

diesel::table! {
    tallies (survey_id, by_question, by_value, question_key, value) {
        survey_id -> Integer,
        by_question -> Text,
        by_value -> Text,
        question_key -> Text,
        value -> Text,
        count -> BigInt,
    }
}

diesel::joinable!(tallies -> surveys (survey_id));
