DROP TABLE key_check;
DROP TABLE submission_days;
DROP TABLE waiting_responses;
