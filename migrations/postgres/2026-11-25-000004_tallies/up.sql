-- Counts kept up to date as responses are stored; see the SQLite migration for the layout.
CREATE TABLE tallies (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    by_question TEXT NOT NULL,
    by_value TEXT NOT NULL,
    question_key TEXT NOT NULL,
    value TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (survey_id, by_question, by_value, question_key, value)
);
