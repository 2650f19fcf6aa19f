//! Number handling shared by every model: accept an integer written as a float.
//!
//! go-whatsapp decodes every JSON number as a `float64` and the official client parses with a
//! reviver, so a peer may well write `20000.0` where the protocol means the integer 20000. The
//! helpers here are `deserialize_with` functions that accept both forms as long as the value is an
//! exact integer in range; serialization stays the plain integer form.

use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};

/// The exact integer a JSON number stands for, if it is one.
pub(crate) fn int_of(n: &Number) -> Option<i128> {
    if let Some(u) = n.as_u64() {
        return Some(u.into());
    }
    if let Some(i) = n.as_i64() {
        return Some(i.into());
    }
    let f = n.as_f64()?;
    // 2^64 bounds every integer type we convert into; beyond it a float has no exact integer.
    let in_range = f.is_finite() && f.fract() == 0.0 && f.abs() < 18_446_744_073_709_551_616.0;
    in_range.then_some(f as i128)
}

/// The integer of type `T` held by a JSON value, if it is a number that fits.
pub(crate) fn int_value<T: TryFrom<i128>>(v: &Value) -> Option<T> {
    v.as_number().and_then(int_of).and_then(|i| T::try_from(i).ok())
}

fn convert<T: TryFrom<i128>, E: serde::de::Error>(n: &Number) -> Result<T, E> {
    int_of(n)
        .and_then(|i| T::try_from(i).ok())
        .ok_or_else(|| E::custom(format_args!("expected an integer in range, found {n}")))
}

/// `deserialize_with` for a required integer field.
pub(crate) fn int<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    convert(&Number::deserialize(d)?)
}

/// `deserialize_with` for an optional integer field (`null` reads as `None`).
pub(crate) fn opt_int<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    Option::<Number>::deserialize(d)?.map(|n| convert(&n)).transpose()
}

/// `deserialize_with` for an optional array of integers (`protoVersion`).
pub(crate) fn opt_int_vec<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    let Some(numbers) = Option::<Vec<Number>>::deserialize(d)? else {
        return Ok(None);
    };
    numbers.iter().map(convert).collect::<Result<Vec<T>, D::Error>>().map(Some)
}
