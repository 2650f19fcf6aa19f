//! `["Conn",{…}]`: the connection info the server pushes after a QR scan (with `secret`), after a
//! login (new tokens, no `secret`) and later as partial updates (`pushname`, `battery`, …).
//!
//! Every known field is optional because update frames carry only what changed; members this
//! crate does not know are kept in [`Conn::extra`] and written back unchanged.
//!
//! go-whatsapp panics on a handshake `Conn` that lacks any of `battery`, `platform`, `connected`,
//! `pushname`, `wid`, `lc`, `lg`, `plugged`, `tos` or a `phone` string, so a server should fill
//! all of them (see [`Conn::missing_for_go_whatsapp`]).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fields::redact_opt;
use super::lenient;

/// Body of a `Conn` push. Field order is the real server's, so serialization reproduces it.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conn {
    /// The current ref, `"1@…"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
    /// Own JID, `"<cc><number>@c.us"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wid: Option<String>,
    /// Always `true` in practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected: Option<bool>,
    /// `false` after a QR scan, `true` after a login. On the wire a **string** `"true"`/`"false"`.
    #[serde(default, with = "string_bool", skip_serializing_if = "Option::is_none")]
    pub is_response: Option<bool>,
    /// `WAToken2`: sent back in `admin login` and `admin challenge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_token: Option<String>,
    /// Used only for the HTTP logout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_token: Option<String>,
    /// `WAToken1`: sent back in `admin login`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// Country code, e.g. `"FR"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc: Option<String>,
    /// Language, e.g. `"fr"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lg: Option<String>,
    /// Comma-separated locales, e.g. `"fr-FR,en-GB"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locales: Option<String>,
    /// 24-hour clock on the phone.
    #[serde(default, rename = "is24h", skip_serializing_if = "Option::is_none")]
    pub is_24h: Option<bool>,
    /// base64 of the 144-byte key bundle; only on a new pairing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// `[0, 17]`: protocol version `[major, minor]`.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub proto_version: Option<Vec<u32>>,
    /// Binary sub-protocol (token dictionary) version, 11 today.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub bin_version: Option<u32>,
    /// Phone battery percentage.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub battery: Option<u32>,
    /// Phone charging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugged: Option<bool>,
    /// `android`, `iphone`, `smba`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Feature flags, e.g. `{"URL":true,"FLAGS":"<b64>"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Map<String, Value>>,
    /// Details about the phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// The user's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushname: Option<String>,
    /// Terms-of-service state (0).
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub tos: Option<u32>,
    /// Business terms-of-service state.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub smb_tos: Option<u32>,
    /// Members this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `Conn.phone`: seven strings describing the phone, plus anything else it carried.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// WhatsApp version on the phone, e.g. `"2.20.140"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_version: Option<String>,
    /// Mobile country code, e.g. `"208"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcc: Option<String>,
    /// Mobile network code, e.g. `"015"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mnc: Option<String>,
    /// OS version, e.g. `"10"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// Device maker, e.g. `"Xiaomi"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_manufacturer: Option<String>,
    /// Device model, e.g. `"sagit"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_model: Option<String>,
    /// OS build string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_build_number: Option<String>,
    /// Members this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Phone {
    /// A phone object with all seven strings set.
    pub fn new(
        wa_version: &str,
        mcc: &str,
        mnc: &str,
        os_version: &str,
        device_manufacturer: &str,
        device_model: &str,
        os_build_number: &str,
    ) -> Self {
        Phone {
            wa_version: Some(wa_version.to_owned()),
            mcc: Some(mcc.to_owned()),
            mnc: Some(mnc.to_owned()),
            os_version: Some(os_version.to_owned()),
            device_manufacturer: Some(device_manufacturer.to_owned()),
            device_model: Some(device_model.to_owned()),
            os_build_number: Some(os_build_number.to_owned()),
            extra: Map::new(),
        }
    }

    fn all_set(&self) -> bool {
        [
            &self.wa_version,
            &self.mcc,
            &self.mnc,
            &self.os_version,
            &self.device_manufacturer,
            &self.device_model,
            &self.os_build_number,
        ]
        .iter()
        .all(|f| f.is_some())
    }
}

impl Conn {
    /// Names of the fields go-whatsapp requires (it panics without them) that are absent here.
    pub fn missing_for_go_whatsapp(&self) -> Vec<&'static str> {
        let present = [
            ("battery", self.battery.is_some()),
            ("platform", self.platform.is_some()),
            ("connected", self.connected.is_some()),
            ("pushname", self.pushname.is_some()),
            ("wid", self.wid.is_some()),
            ("lc", self.lc.is_some()),
            ("lg", self.lg.is_some()),
            ("plugged", self.plugged.is_some()),
            ("tos", self.tos.is_some()),
            ("phone", self.phone.as_ref().is_some_and(Phone::all_set)),
        ];
        present.iter().filter(|(_, ok)| !ok).map(|(name, _)| *name).collect()
    }
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conn")
            .field("ref", &self.r#ref)
            .field("wid", &self.wid)
            .field("connected", &self.connected)
            .field("is_response", &self.is_response)
            .field("server_token", &redact_opt(&self.server_token))
            .field("browser_token", &redact_opt(&self.browser_token))
            .field("client_token", &redact_opt(&self.client_token))
            .field("lc", &self.lc)
            .field("lg", &self.lg)
            .field("locales", &self.locales)
            .field("is_24h", &self.is_24h)
            .field("secret", &redact_opt(&self.secret))
            .field("proto_version", &self.proto_version)
            .field("bin_version", &self.bin_version)
            .field("battery", &self.battery)
            .field("plugged", &self.plugged)
            .field("platform", &self.platform)
            .field("features", &self.features)
            .field("phone", &self.phone)
            .field("pushname", &self.pushname)
            .field("tos", &self.tos)
            .field("smb_tos", &self.smb_tos)
            .field("extra", &self.extra)
            .finish()
    }
}

/// `isResponse` travels as the string `"true"`/`"false"`; a bare boolean is accepted too.
mod string_bool {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value;

    pub(super) fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(true) => s.serialize_str("true"),
            Some(false) => s.serialize_str("false"),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(Value::String(s)) if s == "true" => Ok(Some(true)),
            Some(Value::String(s)) if s == "false" => Ok(Some(false)),
            Some(other) => Err(D::Error::custom(format_args!(
                "isResponse should be \"true\" or \"false\", found {other}"
            ))),
        }
    }
}
