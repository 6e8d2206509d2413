-- Tallies as one row per survey and grouping; see the SQLite migration for the layout.
CREATE TABLE tally_sheets (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    by_question TEXT NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (survey_id, by_question)
);
DROP TABLE tallies;
INSERT INTO untallied (response_id, survey_id)
    SELECT id, survey_id FROM responses WHERE id NOT IN (SELECT response_id FROM untallied);
