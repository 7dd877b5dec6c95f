//! kindred-mail
