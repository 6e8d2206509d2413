CREATE TABLE waiting_responses_by_text (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO waiting_responses_by_text (id, survey_id, sealed)
    SELECT lower(hex(randomblob(16))), survey_id, sealed FROM waiting_responses;
DROP TABLE waiting_responses;
ALTER TABLE waiting_responses_by_text RENAME TO waiting_responses;
CREATE INDEX waiting_responses_by_survey ON waiting_responses (survey_id, id);
