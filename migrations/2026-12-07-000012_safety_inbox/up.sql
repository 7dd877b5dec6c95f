-- The coordinators' safety inbox: reports and check-ins that asked for
-- support can be marked handled (and reopened). `handled_by` points at the
-- coordinator who handled it; erasing that coordinator keeps the users row
-- as the anonymous tombstone, so the reference stays valid and shows
-- "Deleted user". A report's `status` follows: 'resolved' while handled.
ALTER TABLE reports ADD COLUMN handled_at TIMESTAMP;
ALTER TABLE reports ADD COLUMN handled_by TEXT REFERENCES users(id);
ALTER TABLE check_ins ADD COLUMN handled_at TIMESTAMP;
ALTER TABLE check_ins ADD COLUMN handled_by TEXT REFERENCES users(id);
CREATE INDEX check_ins_needs_support ON check_ins(needs_support, id);
