CREATE TABLE surveys (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    -- The questionnaire as imported (TOML) and as resolved (JSON); revision counts imports.
    source TEXT NOT NULL,
    definition TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Anonymous by construction: a random id, the day only, no link to anyone.
-- WITHOUT ROWID keeps rows in random-id order, so storage order says nothing about
-- submission order.
-- The answers are one JSON object per response ({"question-key": value}, values as the
-- JSON API takes them): one row per response keeps writes cheap, and the tallies kept at
-- submission time serve the reports.
CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    submitted_on DATE NOT NULL,
    answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX responses_by_survey ON responses (survey_id, id);

-- Unfinished responses, keyed by a hash of the random id in the respondent's cookie.
CREATE TABLE drafts (
    id_hash TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    updated_on DATE NOT NULL
) WITHOUT ROWID;
CREATE INDEX drafts_by_age ON drafts (updated_on);
