-- Waiting responses keyed by a random integer, as on SQLite (one schema for both backends).
ALTER TABLE waiting_responses ALTER COLUMN id TYPE BIGINT
    USING ('x' || substr(md5(id || random()::text), 1, 16))::bit(64)::bigint;
