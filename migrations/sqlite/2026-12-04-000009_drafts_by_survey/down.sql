DROP INDEX drafts_by_survey;
