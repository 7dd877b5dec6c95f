//! kindred-api
