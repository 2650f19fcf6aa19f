//! The standard traits of [`NodeStr`]: it derefs, converts, compares, orders, hashes, prints and
//! (de)serializes exactly like a `str`.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use super::{inline, NodeStr, Repr};

impl Default for NodeStr {
    fn default() -> Self {
        NodeStr::EMPTY
    }
}

impl Deref for NodeStr {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for NodeStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for NodeStr {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<str> for NodeStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for NodeStr {
    #[inline]
    fn from(s: &str) -> Self {
        inline(s.as_bytes()).unwrap_or_else(|| NodeStr(Repr::Heap(s.into())))
    }
}

impl From<&String> for NodeStr {
    fn from(s: &String) -> Self {
        NodeStr::from(s.as_str())
    }
}

impl From<&NodeStr> for NodeStr {
    fn from(s: &NodeStr) -> Self {
        s.clone()
    }
}

impl From<String> for NodeStr {
    fn from(s: String) -> Self {
        inline(s.as_bytes()).unwrap_or_else(|| NodeStr(Repr::Heap(s.into_boxed_str())))
    }
}

impl From<Box<str>> for NodeStr {
    fn from(s: Box<str>) -> Self {
        inline(s.as_bytes()).unwrap_or(NodeStr(Repr::Heap(s)))
    }
}

impl From<Cow<'_, str>> for NodeStr {
    fn from(s: Cow<'_, str>) -> Self {
        match s {
            Cow::Borrowed(s) => NodeStr::from(s),
            Cow::Owned(s) => NodeStr::from(s),
        }
    }
}

impl From<NodeStr> for String {
    fn from(s: NodeStr) -> Self {
        match s.0 {
            Repr::Heap(s) => s.into_string(),
            _ => s.as_str().to_owned(),
        }
    }
}

impl PartialEq for NodeStr {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Token(a), Repr::Token(b)) => a == b,
            _ => self.as_bytes() == other.as_bytes(),
        }
    }
}

impl Eq for NodeStr {}

impl PartialOrd for NodeStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Byte order, which is `str`'s order.
impl Ord for NodeStr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

/// Hashes as the `&str` does, so maps keyed by `NodeStr` can be searched with a `&str`.
impl Hash for NodeStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

macro_rules! eq_with {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for NodeStr {
            #[inline]
            fn eq(&self, other: &$t) -> bool {
                self.as_bytes() == AsRef::<[u8]>::as_ref(other)
            }
        }
        impl PartialEq<NodeStr> for $t {
            #[inline]
            fn eq(&self, other: &NodeStr) -> bool {
                other == self
            }
        }
    )*};
}
eq_with!(str, &str, String);

impl fmt::Display for NodeStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for NodeStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Serialized as a plain string.
impl serde::Serialize for NodeStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserialized from a plain string.
impl<'de> serde::Deserialize<'de> for NodeStr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Cow::<'de, str>::deserialize(deserializer).map(NodeStr::from)
    }
}
