DROP TABLE password_reset_codes;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE verification_codes DROP COLUMN sets_password;
