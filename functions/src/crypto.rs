//! Randomness from the platform's CSPRNG (`crypto.getRandomValues`).

use wasm_bindgen::JsCast;

use crate::error::{ApiError, ApiResult};

pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|value| value.dyn_into::<web_sys::Crypto>().ok())
        .ok_or_else(|| ApiError::Internal("crypto is not available".into()))?;
    let mut bytes = [0u8; N];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| ApiError::Internal("getRandomValues failed".into()))?;
    Ok(bytes)
}


/// A random (version 4) UUID.
pub fn new_uuid() -> ApiResult<String> {
    let mut bytes: [u8; 16] = random_bytes()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex_string(&bytes);
    Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
