//! (placeholder, filled in by the binary codec work)
