//! Profile pictures: the one picture of each account, as its phone set it.

/// An account's profile picture: a JPEG and its thumbnail, with the version tag that names this
/// upload in its URL (a new upload gets a new tag, so an old URL stops working).
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    /// The version tag, a decimal number: each upload's is above the previous one's (see
    /// [`Store::set_picture`](super::Store::set_picture)).
    pub tag: String,
    /// The JPEG (the official client sends 640×640).
    pub image: Vec<u8>,
    /// The thumbnail JPEG (96×96).
    pub preview: Vec<u8>,
}

impl std::fmt::Debug for Picture {
    // Image bytes say nothing useful in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("tag", &self.tag)
            .field("image_bytes", &self.image.len())
            .field("preview_bytes", &self.preview.len())
            .finish()
    }
}
