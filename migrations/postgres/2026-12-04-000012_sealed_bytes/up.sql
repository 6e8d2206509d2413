-- Waiting responses keep their sealed answers as bytes, not hex: half the bytes written per
-- response.
ALTER TABLE waiting_responses ALTER COLUMN sealed TYPE BYTEA USING decode(sealed, 'hex');
