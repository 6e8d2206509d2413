-- Invited drafts open through the server's seal of their key: the copies of each key sealed
-- under a link token are no longer written, and those kept from before are forgotten, except
-- for a draft that has no server seal (started on a server without a key), whose only copies
-- they are.
UPDATE invitation_tokens SET wrapped_key = NULL
WHERE invitation_id NOT IN (
    SELECT invitation_id FROM invitation_drafts WHERE server_sealed_key IS NULL
);
