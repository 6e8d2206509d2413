ALTER TABLE waiting_responses ALTER COLUMN sealed TYPE TEXT USING encode(sealed, 'hex');
