DROP INDEX check_ins_needs_support;
ALTER TABLE check_ins DROP COLUMN handled_by;
ALTER TABLE check_ins DROP COLUMN handled_at;
ALTER TABLE reports DROP COLUMN handled_by;
ALTER TABLE reports DROP COLUMN handled_at;
