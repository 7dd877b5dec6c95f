//! The web app's form protection: the server secret its CSRF tokens are
//! derived from (an HMAC key in `app_secrets`, made on first use). Sessions
//! themselves are the same `auth_tokens` rows as API tokens (see
//! `accounts::login`), so logout, a password change or reset and erasure
//! revoke them too.

use kindred_db::DbConnection;
use rand::RngCore;

use crate::error::{ServiceError, ServiceResult};

const FORM_KEY: &str = "web_form_hmac_key";

/// The 256-bit key that signs the web app's form tokens, created on first use.
pub fn form_key(conn: &mut DbConnection) -> ServiceResult<Vec<u8>> {
    let hex_key = kindred_db::secrets::get_or_create(conn, FORM_KEY, || {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    })?;
    hex::decode(hex_key).map_err(|e| ServiceError::Internal(format!("form key: {e}")))
}
