//! kindred-jobs
