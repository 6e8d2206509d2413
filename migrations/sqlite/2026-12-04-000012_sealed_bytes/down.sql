CREATE TABLE waiting_responses_hex (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO waiting_responses_hex (id, survey_id, sealed)
    SELECT id, survey_id, lower(hex(sealed)) FROM waiting_responses;
DROP TABLE waiting_responses;
ALTER TABLE waiting_responses_hex RENAME TO waiting_responses;
CREATE INDEX waiting_responses_by_survey ON waiting_responses (survey_id, id);
