//! What a sender shows of an image before it is downloaded: its dimensions and a small JPEG
//! (`jpegThumbnail`). Decoding is bounded (image size and memory), and a file the decoder does
//! not understand is still sent, only without these.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, ImageReader, Limits};

/// Longest edge of the thumbnail, pixels.
const THUMB_EDGE: u32 = 72;
/// JPEG quality of the thumbnail.
const THUMB_QUALITY: u8 = 60;
/// Largest image decoded for a thumbnail: edges and decoder memory.
const MAX_EDGE: u32 = 16_384;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// An image's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// Width and height, pixels.
    pub dimensions: (u32, u32),
    /// The MIME type of its format.
    pub mimetype: &'static str,
    /// A JPEG of at most 72 pixels on its longest edge; `None` if it could not be made.
    pub thumbnail: Option<Vec<u8>>,
}

/// Dimensions, type and thumbnail of an image file; `None` if it is not an image the decoder
/// reads.
pub fn inspect(data: &[u8]) -> Option<ImageInfo> {
    let mut reader = ImageReader::new(Cursor::new(data)).with_guessed_format().ok()?;
    let format = reader.format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_EDGE);
    limits.max_image_height = Some(MAX_EDGE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = match reader.decode() {
        Ok(i) => i,
        Err(e) => {
            tracing::debug!(error = %e, "cannot decode the image for its thumbnail");
            return None;
        }
    };
    let mut thumbnail = Vec::new();
    let small = image.thumbnail(THUMB_EDGE, THUMB_EDGE).to_rgb8();
    let encoded = JpegEncoder::new_with_quality(&mut thumbnail, THUMB_QUALITY).encode_image(&small);
    Some(ImageInfo {
        dimensions: (image.width(), image.height()),
        mimetype: mimetype_of(format),
        thumbnail: encoded.ok().map(|()| thumbnail),
    })
}

fn mimetype_of(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "image/png",
        ImageFormat::Gif => "image/gif",
        ImageFormat::WebP => "image/webp",
        _ => "image/jpeg",
    }
}

#[cfg(test)]
mod tests {
    use super::inspect;
    use image::{ImageFormat, Rgb, RgbImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img =
            RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 7]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn an_image_gets_its_dimensions_and_a_small_jpeg() {
        let info = inspect(&png(300, 150)).unwrap();
        assert_eq!(info.dimensions, (300, 150));
        assert_eq!(info.mimetype, "image/png");
        let thumb = info.thumbnail.unwrap();
        assert_eq!(&thumb[..3], &[0xff, 0xd8, 0xff], "a JPEG");
        let back = image::load_from_memory(&thumb).unwrap();
        assert_eq!((back.width(), back.height()), (72, 36));
    }

    #[test]
    fn other_bytes_are_not_an_image() {
        assert_eq!(inspect(b"%PDF-1.4 not an image"), None);
        let mut truncated = png(40, 40);
        truncated.truncate(60);
        assert_eq!(inspect(&truncated), None);
    }
}
