DROP TABLE outbox; DROP TABLE profile_tags; DROP TABLE profiles; DROP TABLE tags; DROP TABLE auth_tokens; DROP TABLE verification_codes; DROP TABLE user_roles; DROP TABLE users;
