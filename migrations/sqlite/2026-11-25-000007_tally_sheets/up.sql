-- Tallies move from one row per count to one row per survey and grouping (the whole survey,
-- or one breakdown question), holding every count of that grouping as JSON:
-- {"by_value": {"question_key": {"value": count}}}, with the pseudo-keys of the old layout
-- ('' / '' counts the group's responses, ' answered' those who answered a question). Folding
-- a batch of responses then rewrites a handful of rows instead of upserting thousands, so it
-- holds SQLite's single write lock for a moment only; a report reads one or two rows.
-- The counts are derived data: every stored response is marked untallied again and the
-- server's folding task rebuilds them (reports add untallied responses, so stay exact).
CREATE TABLE tally_sheets (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    by_question TEXT NOT NULL,
    counts TEXT NOT NULL,
    UNIQUE (survey_id, by_question)
);
DROP TABLE tallies;
INSERT INTO untallied (response_id, survey_id)
    SELECT id, survey_id FROM responses WHERE id NOT IN (SELECT response_id FROM untallied);
