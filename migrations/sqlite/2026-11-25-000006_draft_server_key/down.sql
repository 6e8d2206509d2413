ALTER TABLE invitation_drafts DROP COLUMN server_sealed_key;
