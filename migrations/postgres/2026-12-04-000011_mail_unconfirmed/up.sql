-- A message handed to the SMTP server whose reply to the final "." never came is
-- 'unconfirmed' (maybe delivered): final, never sent again on its own.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'unconfirmed'));
