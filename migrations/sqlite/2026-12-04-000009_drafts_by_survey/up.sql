-- Open-link drafts are counted per survey before a new one is stored.
CREATE INDEX drafts_by_survey ON drafts (survey_id);
