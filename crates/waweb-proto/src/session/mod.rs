//! (placeholder, filled in by the session work)
