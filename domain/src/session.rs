//! Session tokens: 256 random bits handed to the browser in a cookie; only
//! their SHA-256 digest is stored.

use sha2::{Digest, Sha256};

pub const TOKEN_BYTES: usize = 32;
/// The `__Host-` prefix makes the browser accept the cookie only when it is
/// `Secure`, has `Path=/` and no `Domain`, so that no sibling subdomain can
/// set or shadow it.
pub const COOKIE_NAME: &str = "__Host-steward_session";
/// Sessions last eight hours: a working day.
pub const TTL_SECONDS: i64 = 8 * 60 * 60;

/// The token as it travels in the cookie (hex).
pub fn encode_token(random: &[u8; TOKEN_BYTES]) -> String {
    hex::encode(random)
}

/// What is stored for a token: a database leak yields no usable cookie.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that hands a new session to the browser.
pub fn set_cookie(token: &str) -> String {
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={TTL_SECONDS}")
}

/// The `Set-Cookie` value that makes the browser forget its session.
pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// Finds the session token in a `Cookie` request header.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|value| value.len() == TOKEN_BYTES * 2 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_locked_down() {
        for cookie in [set_cookie("ab"), clear_cookie()] {
            assert!(cookie.starts_with("__Host-"), "{cookie} lacks the __Host- prefix");
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
                assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
            }
            assert!(!cookie.to_ascii_lowercase().contains("domain="), "a __Host- cookie must not name a domain: {cookie}");
        }
    }

    #[test]
    fn the_token_is_found_among_other_cookies_and_malformed_ones_are_ignored() {
        let token = encode_token(&[0xab; TOKEN_BYTES]);
        let header = format!("theme=dark; {COOKIE_NAME}={token}; lang=da");
        assert_eq!(token_from_cookie_header(&header), Some(token.as_str()));
        assert_eq!(token_from_cookie_header("__Host-steward_session=short"), None);
        // The unprefixed name (before the prefix) is no longer this cookie.
        assert_eq!(token_from_cookie_header(&format!("steward_session={token}")), None);
        assert_eq!(token_from_cookie_header("other=1"), None);
    }

    #[test]
    fn the_digest_is_stable_and_differs_from_the_token() {
        let token = encode_token(&[1; TOKEN_BYTES]);
        assert_eq!(token_digest(&token), token_digest(&token));
        assert_ne!(token_digest(&token), token);
        assert_eq!(token_digest(&token).len(), 64);
    }
}
