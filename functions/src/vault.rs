//! The Worker's vault: keys from the `VAULT_SECRET` secret.

use steward_domain::vault::{Vault, NONCE_LEN};
use crate::env::Env;

use crate::crypto::random_bytes;
use crate::error::{ApiError, ApiResult};

pub fn vault(env: &Env) -> ApiResult<Vault> {
    let secret = env
        .secret("VAULT_SECRET")
        .map_err(|_| ApiError::Internal("the VAULT_SECRET secret is not set".into()))?
        .to_string();
    Vault::new(&secret).map_err(|error| ApiError::Internal(error.to_string()))
}

pub fn nonce() -> ApiResult<[u8; NONCE_LEN]> {
    random_bytes()
}
