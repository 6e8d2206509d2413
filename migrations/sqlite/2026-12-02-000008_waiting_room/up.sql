-- Submitted responses wait here, sealed under a key derived from the server's secret key,
-- until a release moves them into `responses` in a batch of at least the survey's minimum
-- group size (see src/release/). A row holds a random id, the survey and the sealed,
-- padded answers: nothing that refers to an invitation, and no time.
CREATE TABLE waiting_responses (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX waiting_responses_by_survey ON waiting_responses (survey_id, id);

-- Submissions per survey and day, counted as they arrive (the admin page's "responses per
-- day"), so that released responses need no date finer than their batch.
CREATE TABLE submission_days (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    submissions INTEGER NOT NULL,
    PRIMARY KEY (survey_id, day)
) WITHOUT ROWID;
INSERT INTO submission_days (survey_id, day, submissions)
    SELECT survey_id, submitted_on, COUNT(*) FROM responses GROUP BY survey_id, submitted_on;

-- A check value of the server's secret key (an HMAC of a fixed label), so that a server
-- started with another key refuses to start while sealed responses wait.
CREATE TABLE key_check (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    check_value TEXT NOT NULL
);
