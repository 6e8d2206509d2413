-- Back to three statuses: a maybe-delivered message counts as sent (never sent again).
UPDATE outbox SET status = 'sent' WHERE status = 'unconfirmed';
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'failed'));
