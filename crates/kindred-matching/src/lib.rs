//! kindred-matching
