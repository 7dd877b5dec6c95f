-- The worker holding an outbox row's lease, so an outcome is recorded only by
-- the lease's owner (the same rule as jobs.locked_by).
ALTER TABLE outbox ADD COLUMN locked_by TEXT;
