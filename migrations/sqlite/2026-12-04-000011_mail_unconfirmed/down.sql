-- Back to three statuses: a maybe-delivered message counts as sent (never sent again).
UPDATE outbox SET status = 'sent' WHERE status = 'unconfirmed';
CREATE TABLE outbox_next (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    invitation_id TEXT REFERENCES invitations (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    recipient_name TEXT,
    subject TEXT NOT NULL,
    body_text TEXT,
    body_html TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
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
