//! The `waweb` command line.
fn main() {}
