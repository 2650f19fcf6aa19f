//! Profile pictures: the one picture of each account, as its phone set it.

/// An account's profile picture: a JPEG and its thumbnail, with the version tag and the secret
/// that name this upload in its URL (a new upload gets new ones, so an old URL stops working).
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    /// The version tag, a decimal number: each upload's is above the previous one's (see
    /// [`AccountStore::set_picture`](super::AccountStore::set_picture)).
    pub tag: String,
    /// The unguessable part of the URL: 32 hex digits (128 random bits) that the server drew
    /// for this upload. The URL needs no token, so this is what keeps it private.
    pub secret: String,
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
            .field("secret", &"<redacted>")
            .field("image_bytes", &self.image.len())
            .field("preview_bytes", &self.preview.len())
            .finish()
    }
}

/// What names a picture in its URL (`/pp/<owner>/<tag>-<secret>`), read without the images.
#[derive(Clone, PartialEq, Eq)]
pub struct PictureKey {
    /// [`Picture::tag`].
    pub tag: String,
    /// [`Picture::secret`].
    pub secret: String,
}

impl std::fmt::Debug for PictureKey {
    // The secret is all that keeps the URL private: never in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PictureKey").field("tag", &self.tag).field("secret", &"<redacted>").finish()
    }
}
