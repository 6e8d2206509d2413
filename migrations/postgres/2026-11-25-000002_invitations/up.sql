-- People invited to a survey. Completion is a flag, never a time. An UPDATE writes a new
-- row version (often at the end of the table): see src/db/invitations.rs for how completions
-- are hidden among other rewrites, and the scheduler re-clusters tables by random id.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    -- The address in lower case, for de-duplication within a survey.
    email_key TEXT NOT NULL,
    name TEXT,
    invitee_group TEXT,
    sent BOOLEAN NOT NULL DEFAULT FALSE,
    completed BOOLEAN NOT NULL DEFAULT FALSE,
    opted_out BOOLEAN NOT NULL DEFAULT FALSE,
    undeliverable BOOLEAN NOT NULL DEFAULT FALSE,
    last_error TEXT,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    -- The day the next reminder is due (day precision only).
    next_reminder_on DATE,
    UNIQUE (survey_id, email_key)
);

-- Every link of an invitation: only the SHA-256 of the token is stored. wrapped_key is the
-- invitation's draft key sealed under a key derived from this token (NULL until first use).
CREATE TABLE invitation_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    invitation_id TEXT NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wrapped_key TEXT
);
CREATE INDEX invitation_tokens_by_invitation ON invitation_tokens (invitation_id);

-- An invited respondent's unfinished answers, encrypted under the invitation's draft key.
-- Deleted when the response is stored.
CREATE TABLE invitation_drafts (
    invitation_id TEXT PRIMARY KEY NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    sealed TEXT NOT NULL,
    updated_on DATE NOT NULL
);

-- Mail waiting to be sent, written in the same transaction as the change that causes it.
-- Bodies are cleared once the SMTP server has accepted the message.
CREATE TABLE outbox (
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
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
