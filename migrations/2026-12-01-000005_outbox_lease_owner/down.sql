ALTER TABLE outbox DROP COLUMN locked_by;
