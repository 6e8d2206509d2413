-- Idempotency keys of JSON submissions; see the SQLite migration.
CREATE TABLE idempotency_keys (
    key_hash TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL
);
CREATE INDEX idempotency_keys_by_survey ON idempotency_keys (survey_id, key_hash);
