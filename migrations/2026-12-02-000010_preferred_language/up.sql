-- The language a person reads Kindred in ('en' or 'es'): set at sign-up
-- (the web page's language, or `language` in the API's register body),
-- changed by the web app's language switcher and `PUT /me/language`, and
-- used for every email to them. Not personal enough to keep after erasure:
-- the tombstone goes back to 'en'.
ALTER TABLE users ADD COLUMN preferred_language TEXT NOT NULL DEFAULT 'en';
-- A registration's language travels with its code, like its name and
-- password, and reaches the account only when the code is used (an
-- unverified account is never changed by a registration alone).
ALTER TABLE verification_codes ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
