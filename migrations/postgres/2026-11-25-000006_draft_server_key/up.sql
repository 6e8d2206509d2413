-- The invitation's draft key sealed under a key derived from security.secret_key, so that a
-- link minted later (by a reminder) can open a draft started through an earlier link. NULL
-- when the server has no secret key: then only the invitation's used links open the draft.
ALTER TABLE invitation_drafts ADD COLUMN server_sealed_key TEXT;
