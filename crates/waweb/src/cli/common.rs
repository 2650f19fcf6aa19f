//! Flags shared by the client subcommands (placeholder until the client issue lands).
