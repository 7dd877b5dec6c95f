//! kindred-testkit
