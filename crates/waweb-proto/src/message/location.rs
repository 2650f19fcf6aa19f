//! Location messages: a fixed place and live-location updates.

use super::content::ContextInfo;

/// A place (field 5 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct LocationMessage {
    /// Latitude, degrees.
    #[prost(double, optional, tag = "1")]
    pub degrees_latitude: Option<f64>,
    /// Longitude, degrees.
    #[prost(double, optional, tag = "2")]
    pub degrees_longitude: Option<f64>,
    /// Name of the place.
    #[prost(string, optional, tag = "3")]
    pub name: Option<String>,
    /// Street address.
    #[prost(string, optional, tag = "4")]
    pub address: Option<String>,
    /// Web page of the place.
    #[prost(string, optional, tag = "5")]
    pub url: Option<String>,
    /// Part of a live location.
    #[prost(bool, optional, tag = "6")]
    pub is_live: Option<bool>,
    /// Accuracy, metres.
    #[prost(uint32, optional, tag = "7")]
    pub accuracy_in_meters: Option<u32>,
    /// Speed, metres per second.
    #[prost(float, optional, tag = "8")]
    pub speed_in_mps: Option<f32>,
    /// Heading, degrees clockwise from magnetic north.
    #[prost(uint32, optional, tag = "9")]
    pub degrees_clockwise_from_magnetic_north: Option<u32>,
    /// Free comment.
    #[prost(string, optional, tag = "11")]
    pub comment: Option<String>,
    /// Inline JPEG map preview.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
}

/// A live-location update (field 18 of `Message`; field 30 of `WebMessageInfo` when final).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct LiveLocationMessage {
    /// Latitude, degrees.
    #[prost(double, optional, tag = "1")]
    pub degrees_latitude: Option<f64>,
    /// Longitude, degrees.
    #[prost(double, optional, tag = "2")]
    pub degrees_longitude: Option<f64>,
    /// Accuracy, metres.
    #[prost(uint32, optional, tag = "3")]
    pub accuracy_in_meters: Option<u32>,
    /// Speed, metres per second.
    #[prost(float, optional, tag = "4")]
    pub speed_in_mps: Option<f32>,
    /// Heading, degrees clockwise from magnetic north.
    #[prost(uint32, optional, tag = "5")]
    pub degrees_clockwise_from_magnetic_north: Option<u32>,
    /// Caption text.
    #[prost(string, optional, tag = "6")]
    pub caption: Option<String>,
    /// Update counter.
    #[prost(int64, optional, tag = "7")]
    pub sequence_number: Option<i64>,
    /// Seconds since the live location started.
    #[prost(uint32, optional, tag = "8")]
    pub time_offset: Option<u32>,
    /// Inline JPEG map preview.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
}
