//! (placeholder, filled in by the frame work)
