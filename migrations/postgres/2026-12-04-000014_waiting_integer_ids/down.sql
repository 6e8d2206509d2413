ALTER TABLE waiting_responses ALTER COLUMN id TYPE TEXT
    USING md5(id::text || random()::text);
