-- Idempotency keys of JSON submissions (`Idempotency-Key` on POST …/responses), so that a
-- client's retry is answered with the first result instead of storing the response twice.
-- A row holds only keyed hashes (HMAC under keys derived from the server's secret key): the
-- key's hash, scoped to the survey and invitation, is the primary key (WITHOUT ROWID, so rows
-- sit in the order of that random-looking hash, never in arrival order), and the fingerprint
-- of the answers the key was first used with. Nothing refers to a response or an invitation,
-- and there is no time. Written in the transaction that seals the response into the waiting
-- room; deleted when the survey closes and its waiting room is released.
CREATE TABLE idempotency_keys (
    key_hash TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_survey ON idempotency_keys (survey_id, key_hash);
