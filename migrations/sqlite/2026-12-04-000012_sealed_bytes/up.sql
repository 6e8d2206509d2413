-- Waiting responses keep their sealed answers as bytes, not hex: half the bytes written, and
-- zeroed by secure_delete, per response.
CREATE TABLE waiting_responses_bytes (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO waiting_responses_bytes (id, survey_id, sealed)
    SELECT id, survey_id, unhex(sealed) FROM waiting_responses;
DROP TABLE waiting_responses;
ALTER TABLE waiting_responses_bytes RENAME TO waiting_responses;
CREATE INDEX waiting_responses_by_survey ON waiting_responses (survey_id, id);
