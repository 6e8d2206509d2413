-- Responses stored but not yet folded into the tallies. The response writer only marks them
-- here (one small row each), and a background task folds them in batches, so a submission
-- never pays for hundreds of tally updates. Reports add what is still here, so they are
-- always exact. Keyed by the random response id: storage order says nothing about arrival.
CREATE TABLE untallied (
    response_id TEXT PRIMARY KEY NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX untallied_by_survey ON untallied (survey_id, response_id);
