//! Known-answer vectors of the protocol's cryptography and frame layout (hex unless noted).
//!
//! A1: go-whatsapp's HKDF tests. B1–B6: vectors derived with fixed keys and checked
//! byte-for-byte against Baileys 3.5.3 (pairing secret, challenge, logout token, encrypted
//! frames, media keys).

/// A1.1 — HKDF-Expand only (the input is the PRK), SHA-256, empty info, L = 80.
pub mod a1_expand {
    pub const PRK: &str = "eafbae887dca08533dee4075cdccc72531279682ba23f90216c691f682756303";
    pub const OKM: &str = "33690529b4abe933246f9f39776553f3453d715bd1f2edc98099ac361c89a5157fb0ad2981d755206dcb18199b84dc7a96a25c7c980a624b78120d82790e804ede69151cd9fdaf8e19dac912c2cb4659";
}

/// A1.2 — full HKDF with the zero salt, L = 112.
pub mod a1_full {
    pub const IKM: &str = "Hallo ich bin Marcel";
    pub const INFO: &str = "WhatsApp Image Keys";
    pub const OKM: &str = "3f6db75cb3fea1c51102d7477d9623a10ec8a0740bf9e1f8c8a2159254dfbfdaba17f7fbd301a3e6434f51c12d5f58dc2079ac51052b5467510acd83452720c46caa39c0dbcda7a745b2e472bbe9d6ea4eff08b589a22e1b7313bdd9dfb942ed257f4b29f90132b5d3ebcde3fadc09d8";
    pub const OKM_B64: &str = "P223XLP+ocURAtdHfZYjoQ7IoHQL+eH4yKIVklTfv9q6F/f70wGj5kNPUcEtX1jcIHmsUQUrVGdRCs2DRScgxGyqOcDbzaenRbLkcrvp1upO/wi1iaIuG3MTvdnfuULtJX9LKfkBMrXT683j+twJ2A==";
}

/// B1 — the pairing handshake.
pub mod b1 {
    pub const CLIENT_PRIVATE: &str =
        "0002030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f60";
    pub const CLIENT_PUBLIC: &str =
        "07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c";
    pub const CLIENT_PUBLIC_B64: &str = "B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=";
    pub const SERVER_PRIVATE: &str =
        "2022232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40";
    pub const SERVER_PUBLIC: &str =
        "5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b";
    pub const ENC_KEY: &str = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    pub const MAC_KEY: &str = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    pub const SHARED: &str = "a84dc7c3c8f058b1b2dc4cd1e9b5dc0a7987f88b6a9564cde3391fc421159e77";
    pub const EXPANDED: &str = "0f77e74c4faf2feee58fc2c41be0d0f32d5bd32150bdb548ffa65beb2b1ca573c13c6a5b1acb83e763b006c42b9039ed08704947f10550737b2ba6a046f721ab655ede81c37614e89f5b1d7482baa144";
    pub const CIPHERTEXT: &str = "685e9207c64025976d2b7ecdc56920f9a117268c9bc8ab41f1cbcb6adde7ad1b7907893b3b1c9c23683cfeec3142d5becf1a64e32b0f78d0af97a0c53e07d16525d8fbfd2556e01d1ee62761b5569653";
    pub const HMAC: &str = "3dc6a73a73f978fbba9f8e21171756ccaf169c6dbcca40811e5e13462d5fbecf";
    pub const SECRET: &str = "5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b3dc6a73a73f978fbba9f8e21171756ccaf169c6dbcca40811e5e13462d5fbecf685e9207c64025976d2b7ecdc56920f9a117268c9bc8ab41f1cbcb6adde7ad1b7907893b3b1c9c23683cfeec3142d5becf1a64e32b0f78d0af97a0c53e07d16525d8fbfd2556e01d1ee62761b5569653";
    pub const SECRET_B64: &str = "WGmv9FBUlzLLqu1eXfmzCm2jHLDldCutWtShp2jxpns9xqc6c/l4+7qfjiEXF1bMrxacbbzKQIEeXhNGLV++z2hekgfGQCWXbSt+zcVpIPmhFyaMm8irQfHLy2rd560beQeJOzscnCNoPP7sMULVvs8aZOMrD3jQr5egxT4H0WUl2Pv9JVbgHR7mJ2G1VpZT";
}

/// B2 — login challenge and logout token, with the B1 session keys.
pub mod b2 {
    pub const CHALLENGE_B64: &str = "0NHS09TV1tfY2drb3N3e3+Dh4uPk5ebn6Onq6+zt7u8=";
    pub const ANSWER_B64: &str = "DUxiRU6vIu/GMzcSl4yJ/626aAoD2yHDH9Cdq7GkAWw=";
    pub const LOGOUT_TOKEN_B64: &str = "Elhf8smchHXvmFHr6q+kzLg1J/RBZRjOJPyavCf1pYc=";
}

/// B4 — encrypted frames in both directions, with the B1 session keys.
pub mod b4 {
    /// Server → client.
    pub const SERVER_TAG: &str = "preempt-1234";
    pub const SERVER_PLAINTEXT: &str = "f80209f801f8070f60fc023231315a6920";
    pub const SERVER_IV: &str = "101112131415161718191a1b1c1d1e1f";
    pub const SERVER_CIPHERTEXT: &str =
        "f6a9dccc2efbef3b214e239ce2cb3d18bd8d5150ab6bfed18a0754dd2711700a";
    pub const SERVER_HMAC: &str =
        "0e3a696ba810d96258cf98e0aa24cd6420b84ed9c7b4134f0b3a215ecbb8710d";
    pub const SERVER_FRAME: &str = "707265656d70742d313233342c0e3a696ba810d96258cf98e0aa24cd6420b84ed9c7b4134f0b3a215ecbb8710d101112131415161718191a1b1c1d1e1ff6a9dccc2efbef3b214e239ce2cb3d18bd8d5150ab6bfed18a0754dd2711700a";

    /// Client → server: metric 8 (PRESENCE), flags 0xa0.
    pub const CLIENT_TAG: &str = "1588844230.--1";
    pub const CLIENT_METRIC: u8 = 8;
    pub const CLIENT_FLAGS: u8 = 0xa0;
    pub const CLIENT_PLAINTEXT: &str = "f806095b526bfc0131f801f803415b0e";
    pub const CLIENT_IV: &str = "303132333435363738393a3b3c3d3e3f";
    pub const CLIENT_CIPHERTEXT: &str =
        "9fdf0c647b56917ca6ec1e3189cf94ea88e0259fc50616486ffa8e8939ce9a46";
    pub const CLIENT_HMAC: &str =
        "b9400dee8622eb16a573101312f531b7b010c6bb09caa2c7b214c64a41abdd32";
    pub const CLIENT_FRAME: &str = "313538383834343233302e2d2d312c08a0b9400dee8622eb16a573101312f531b7b010c6bb09caa2c7b214c64a41abdd32303132333435363738393a3b3c3d3e3f9fdf0c647b56917ca6ec1e3189cf94ea88e0259fc50616486ffa8e8939ce9a46";
}

/// B6 — media key expansion and an encrypted image.
pub mod b6 {
    pub const MEDIA_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    pub const IMAGE: &str = "aa6a127218397cbd2383e4ccf7176a79008c9aea9b7c5d81eb56b3f530f87d42dcc92d27b11ad6b5bd66f0560d0d8c4691d09ffec108833c1699574c52657923fb6e3e161d9698bc6b3a05fbc508a5154d4981725e9eb39838fcff2130508f1360cbb319f99cef163d57ab7c050a667e";
    pub const VIDEO: &str = "f1dee5782cc4e2e7b07233b1e25de59b8564567ee06fa7006edab56a13c2b0a1431beb8efe698efad0f258e65feb5395259ad46118adcf3cd134ae881831c6865db31a8fa0bbce7bc3bcb9fcf369fcda9a63d5eb49eb03827d842400a27dbfb62efc9ebeb6f62b45df4575de4a871856";
    pub const AUDIO: &str = "13f8935709c20e2e8b0680f81b0dd5fba61016c0347747b75bb8a8f6d7bcdb863ac5eb702662755054fe77db27b7c1c09ec93580944b6656b0babacf55026028ff6c68bb134a4fd082c12b5463a3bb79bc7558b5a1ef874ee6a5155a282db3560dc25fcf6b910762a2d75fcbe6b13749";
    pub const DOCUMENT: &str = "25e9d370804de0bb33ea5db79453db66b75c2bed8e162ad63dd02b6b9fbda46b8ad2692e99ed0f877d0ab48a86fff79094a393dafdca1265c99e197425de98f15f7d87d34714ea901f7eefc29c99e5acf826177ac4aaf590f67e927133b8a7f102a9fa5c2a88d62587699f581b2e9b76";

    pub const FILE: &str = "hello media";
    pub const ENC: &str = "7f9bef39ef1650caa4aba10652270c99";
    pub const MAC10: &str = "60575dfb7ec0f89ab88f";
    pub const BLOB: &str = "7f9bef39ef1650caa4aba10652270c9960575dfb7ec0f89ab88f";
    pub const FILE_SHA256: &str =
        "d28d2954ff97ac68052c4beff8c84ad0960d1408540fc486256cdd7cd68dd1fe";
    pub const FILE_ENC_SHA256: &str =
        "de874ad67c12271286a9e2afae8be0d1a85b91c2438c5679aa4609b86d292cd3";
    pub const FILE_ENC_SHA256_B64URL: &str = "3odK1nwSJxKGqeKvrovg0ahbkcJDjFZ5qkYJuG0pLNM";
}

/// Hex string to bytes.
pub fn bytes(hex_str: &str) -> Vec<u8> {
    hex::decode(hex_str).unwrap()
}

/// Hex string to a fixed-size array.
pub fn array<const N: usize>(hex_str: &str) -> [u8; N] {
    bytes(hex_str).try_into().unwrap()
}

/// The B1 session keys.
pub fn b1_keys() -> waweb_proto::crypto::SessionKeys {
    waweb_proto::crypto::SessionKeys { enc_key: array(b1::ENC_KEY), mac_key: array(b1::MAC_KEY) }
}

/// The B1 client key pair.
pub fn b1_client() -> waweb_proto::crypto::KeyPair {
    waweb_proto::crypto::KeyPair::from_private_bytes(array(b1::CLIENT_PRIVATE))
}
