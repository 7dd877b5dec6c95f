ALTER TABLE verification_codes DROP COLUMN language;
ALTER TABLE users DROP COLUMN preferred_language;
