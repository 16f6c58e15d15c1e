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

