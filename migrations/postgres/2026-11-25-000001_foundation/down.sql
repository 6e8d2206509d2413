DROP TABLE drafts;
DROP TABLE responses;
DROP TABLE surveys;
