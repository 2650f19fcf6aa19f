//! (placeholder, filled in by the JSON message work)
