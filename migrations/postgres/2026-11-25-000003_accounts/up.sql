-- The review team's accounts. Emails are stored lower-cased; the password only as an
-- argon2id hash; the TOTP secret encrypted when security.secret_key is set.
CREATE TABLE users (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    -- The last TOTP time step accepted, so a code cannot be used twice.
    totp_last_step BIGINT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One-time recovery codes, stored as hashes.
CREATE TABLE recovery_codes (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- Signed-in browsers, keyed by a hash of the random id in the cookie. `stage` is
-- 'password' between the password and the second factor, 'full' after both.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('password', 'full')),
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins, one row per failure, in buckets (a hash of the account or the client
-- address). Only recent rows matter; older ones are deleted as new ones arrive.
CREATE TABLE login_failures (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_by_bucket ON login_failures (bucket, failed_at);

-- Who did what and when. Never a password, code or token.
CREATE TABLE audit_log (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- API tokens for scripted downloads, stored as hashes.
CREATE TABLE api_tokens (
    id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
