//! The `kindred` package is the binary in `src/main.rs`; this library target
//! is intentionally empty. It exists so that the package's tests can enable
//! its `bench` feature through a dev-dependency on the package itself (cargo
//! ignores such a dependency on a package without a library target), which
//! makes `cargo test --workspace` build the binary with the `bench`
//! subcommands that `tests/cli.rs` runs. The production build (default
//! features) has neither the subcommands nor `kindred-testkit`.
