//! Sign-in throttling (product.md §9): attempts are counted per typed
//! e-mail address and per client address in a window; too many lock that
//! key for a while. The e-mail key is the typed address whether or not an
//! account has it, so a lock says nothing about whether one exists.
//!
//! An attempt is counted before it is judged, in one atomic statement
//! (`db::count_attempt`), and judged only if the count it got is within the
//! key's limit: concurrent attempts cannot all read the same old count, so
//! at most the limit are ever judged in a window.

use serde::{Deserialize, Serialize};

/// The window attempts are counted in, and how long a lock lasts.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// Failures per typed e-mail address within the window before it locks.
pub const MAX_ACCOUNT_FAILURES: i64 = 10;
/// Failures per client address within the window before it locks.
pub const MAX_ADDRESS_FAILURES: i64 = 50;

/// A key's count as the attempt just counted left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attempts {
    /// Attempts in the window that did not succeed, this one included
    /// (refused ones too; a success gives its own back).
    pub failures: i64,
    pub window_start: i64,
    /// Set when the count reaches the limit: no new window starts before it.
    pub locked_until: i64,
}

impl Attempts {
    /// Whether the attempt that got this count may be judged; `Err` holds
    /// the seconds to wait. The attempt that reaches `max` is still judged:
    /// it is the one that locks.
    pub fn admission(&self, now: i64, max: i64) -> Result<(), i64> {
        if self.failures <= max {
            Ok(())
        } else {
            Err((self.locked_until - now).max(1))
        }
    }
}

/// The minutes to tell a person to wait, rounded up.
pub fn wait_minutes(seconds: i64) -> i64 {
    (seconds + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_up_to_the_limit_are_judged_and_later_ones_wait_for_the_lock() {
        let now = 1_000;
        let counted = |failures| Attempts { failures, window_start: now - 60, locked_until: now + WINDOW_SECONDS };
        assert_eq!(counted(1).admission(now, MAX_ACCOUNT_FAILURES), Ok(()));
        assert_eq!(counted(MAX_ACCOUNT_FAILURES).admission(now, MAX_ACCOUNT_FAILURES), Ok(()));
        assert_eq!(counted(MAX_ACCOUNT_FAILURES + 1).admission(now, MAX_ACCOUNT_FAILURES), Err(WINDOW_SECONDS));
        assert_eq!(counted(40).admission(now + 61, MAX_ACCOUNT_FAILURES), Err(WINDOW_SECONDS - 61));
        assert_eq!(wait_minutes(WINDOW_SECONDS), 15);
        assert_eq!(wait_minutes(61), 2);
    }

    #[test]
    fn each_key_is_judged_by_its_own_limit() {
        let counted = Attempts { failures: MAX_ACCOUNT_FAILURES + 1, window_start: 0, locked_until: 0 };
        assert_eq!(counted.admission(10, MAX_ADDRESS_FAILURES), Ok(()));
        assert!(counted.admission(10, MAX_ACCOUNT_FAILURES).is_err());
    }

    #[test]
    fn a_refusal_never_says_to_wait_no_time() {
        let stale = Attempts { failures: 11, window_start: 0, locked_until: 500 };
        assert_eq!(stale.admission(500, MAX_ACCOUNT_FAILURES), Err(1));
    }
}
