//! plenary-quotes' integration tests, linked as one binary (one link instead
//! of one per file; see `autotests = false` in Cargo.toml).

mod code;
mod common;
mod families;
mod fixtures;
mod properties;
mod robustness;
mod seed;
