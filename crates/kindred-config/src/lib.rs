//! kindred-config
