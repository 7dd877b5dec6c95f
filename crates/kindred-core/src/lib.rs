//! kindred-core
