DROP TABLE drafts;
DROP TABLE text_answers;
DROP TABLE answers;
DROP TABLE responses;
DROP TABLE surveys;
