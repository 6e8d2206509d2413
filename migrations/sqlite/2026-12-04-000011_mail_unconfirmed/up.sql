-- A message handed to the SMTP server whose reply to the final "." never came is
-- 'unconfirmed' (maybe delivered): final, never sent again on its own. SQLite cannot change
-- a CHECK constraint in place, so the table is rebuilt as it was, with the new status allowed.
CREATE TABLE outbox_next (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    invitation_id TEXT REFERENCES invitations (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    recipient_name TEXT,
    subject TEXT NOT NULL,
    body_text TEXT,
    body_html TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'unconfirmed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    locked_by TEXT,
    locked_until TIMESTAMP
) WITHOUT ROWID;
INSERT INTO outbox_next (id, kind, invitation_id, recipient, recipient_name, subject, body_text,
    body_html, status, attempts, next_attempt_at, last_error, locked_by, locked_until)
SELECT id, kind, invitation_id, recipient, recipient_name, subject, body_text, body_html,
    status, attempts, next_attempt_at, last_error, locked_by, locked_until
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
