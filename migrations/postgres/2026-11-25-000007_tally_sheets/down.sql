CREATE TABLE tallies (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    by_question TEXT NOT NULL,
    by_value TEXT NOT NULL,
    question_key TEXT NOT NULL,
    value TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (survey_id, by_question, by_value, question_key, value)
);
DROP TABLE tally_sheets;
INSERT INTO untallied (response_id, survey_id)
    SELECT id, survey_id FROM responses WHERE id NOT IN (SELECT response_id FROM untallied);
