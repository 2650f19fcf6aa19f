//! Message tags (docs/PROTOCOL.md): the text before the first comma of every frame. A response
//! echoes its request's tag byte for byte, so a tag is opaque beyond being printable ASCII
//! without a comma.

use super::FrameError;

/// Checks that `tag` is non-empty printable ASCII (0x21..=0x7e) without `,`.
pub fn validate_tag(tag: &str) -> Result<(), FrameError> {
    validate_tag_bytes(tag.as_bytes())
}

pub(crate) fn validate_tag_bytes(tag: &[u8]) -> Result<(), FrameError> {
    if tag.is_empty() {
        return Err(FrameError::EmptyTag);
    }
    if tag.iter().all(|&b| b.is_ascii_graphic() && b != b',') {
        Ok(())
    } else {
        Err(FrameError::InvalidTag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_real_tag_form() {
        for tag in ["1588844230.--87", "371.--6", "s1", "preempt-1589472058-318", "goodbye", "0"] {
            assert_eq!(validate_tag(tag), Ok(()), "{tag}");
        }
    }

    #[test]
    fn rejects_empty_comma_space_and_non_ascii() {
        assert_eq!(validate_tag(""), Err(FrameError::EmptyTag));
        for tag in ["a,b", "a b", "é", "a\n", "\u{7f}"] {
            assert_eq!(validate_tag(tag), Err(FrameError::InvalidTag), "{tag:?}");
        }
    }
}
