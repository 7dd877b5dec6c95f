DROP TABLE safety_identities;
