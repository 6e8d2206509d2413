CREATE TABLE surveys (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    source TEXT NOT NULL,
    definition TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Anonymous by construction: a random id, the day only, no link to anyone.
-- The answers are one JSON object per response ({"question-key": value}, values as the
-- JSON API takes them): one row per response keeps writes cheap, and the tallies kept at
-- submission time serve the reports.
CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    submitted_on DATE NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX responses_by_survey ON responses (survey_id, id);

CREATE TABLE drafts (
    id_hash TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    updated_on DATE NOT NULL
);
CREATE INDEX drafts_by_age ON drafts (updated_on);
