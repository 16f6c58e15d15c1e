//! The Worker's vault: the current key from the `VAULT_SECRET` secret, and
//! earlier keys, during a rotation, from `VAULT_SECRET_PREVIOUS`.

use steward_domain::vault::{Vault, NONCE_LEN};
use crate::env::Env;

use crate::crypto::random_bytes;
use crate::error::{ApiError, ApiResult};

pub fn vault(env: &Env) -> ApiResult<Vault> {
    let current = env
        .secret("VAULT_SECRET")
        .map_err(|_| ApiError::Internal("the VAULT_SECRET secret is not set".into()))?
        .to_string();
    // Unset outside a rotation.
    let previous = env.secret("VAULT_SECRET_PREVIOUS").map(|secret| secret.to_string()).unwrap_or_default();
    Vault::with_previous(&current, &previous).map_err(|error| ApiError::Internal(error.to_string()))
}

pub fn nonce() -> ApiResult<[u8; NONCE_LEN]> {
    random_bytes()
}
