DROP TABLE imports;
ALTER TABLE users DROP COLUMN invited_at;
ALTER TABLE profile_tags DROP COLUMN pending;
