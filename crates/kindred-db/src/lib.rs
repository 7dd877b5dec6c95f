//! kindred-db
