-- Sealed responses waiting for release; see the SQLite migration.
CREATE TABLE waiting_responses (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed TEXT NOT NULL
);
CREATE INDEX waiting_responses_by_survey ON waiting_responses (survey_id, id);

CREATE TABLE submission_days (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    submissions INTEGER NOT NULL,
    PRIMARY KEY (survey_id, day)
);
INSERT INTO submission_days (survey_id, day, submissions)
    SELECT survey_id, submitted_on, COUNT(*) FROM responses GROUP BY survey_id, submitted_on;

CREATE TABLE key_check (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    check_value TEXT NOT NULL
);
