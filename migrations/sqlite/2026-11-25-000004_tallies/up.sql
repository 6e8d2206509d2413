-- Counts kept up to date as responses are stored, so results never scan the answers.
-- by_question/by_value name the group ('' and '' for the whole survey; by_value '' for
-- "not answered" within a breakdown). question_key '' with value '' counts the group's
-- responses; value ' answered' counts those who answered question_key (option values never
-- start with a space); other values count one option, or one distinct number.
CREATE TABLE tallies (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    by_question TEXT NOT NULL,
    by_value TEXT NOT NULL,
    question_key TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (survey_id, by_question, by_value, question_key, value)
) WITHOUT ROWID;
