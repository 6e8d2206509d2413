DROP TABLE api_tokens;
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE users;
