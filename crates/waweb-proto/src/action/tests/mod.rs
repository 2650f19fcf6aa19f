//! The action families' tests: known answers, and round trips.

mod known_answers;
mod round_trips;
