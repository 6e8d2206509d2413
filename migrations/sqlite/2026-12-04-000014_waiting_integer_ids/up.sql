-- Waiting responses keyed by a random integer: a rowid table, so that finding a row compares
-- integers and never reads a sealed payload (in a WITHOUT ROWID table every key comparison
-- read the whole overflowing 4 KiB row). The ids are random, so the table's order is not the
-- order of arrival.
CREATE TABLE waiting_responses_by_number (
    id INTEGER PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed BLOB NOT NULL
);
INSERT INTO waiting_responses_by_number (id, survey_id, sealed)
    SELECT random(), survey_id, sealed FROM waiting_responses;
DROP TABLE waiting_responses;
ALTER TABLE waiting_responses_by_number RENAME TO waiting_responses;
CREATE INDEX waiting_responses_by_survey ON waiting_responses (survey_id, id);
