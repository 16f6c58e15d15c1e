//! Sign-in throttling (product.md §9): failures are counted per typed
//! e-mail address and per client address in a sliding window; too many lock
//! that key for a while. The e-mail key is the typed address whether or not
//! an account has it, so a lock says nothing about whether one exists.

use serde::{Deserialize, Serialize};

/// The window failures are counted in, and how long a lock lasts.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// Failures per typed e-mail address within the window before it locks.
pub const MAX_ACCOUNT_FAILURES: i64 = 10;
/// Failures per client address within the window before it locks.
pub const MAX_ADDRESS_FAILURES: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attempts {
    pub failures: i64,
    pub window_start: i64,
    pub locked_until: i64,
}

impl Attempts {
    /// Whether a sign-in may be tried now; `Err` holds the seconds to wait.
    pub fn check(&self, now: i64) -> Result<(), i64> {
        if self.locked_until > now {
            Err(self.locked_until - now)
        } else {
            Ok(())
        }
    }

    /// The state after one more failure; `max` is the key's limit.
    pub fn after_failure(&self, now: i64, max: i64) -> Attempts {
        let (failures, window_start) = if now - self.window_start >= WINDOW_SECONDS {
            (1, now)
        } else {
            (self.failures + 1, self.window_start)
        };
        let locked_until = if failures >= max { now + WINDOW_SECONDS } else { self.locked_until };
        Attempts { failures, window_start, locked_until }
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
    fn the_tenth_failure_in_the_window_locks_for_the_window() {
        let mut attempts = Attempts::default();
        for i in 0..9 {
            attempts = attempts.after_failure(1_000 + i, MAX_ACCOUNT_FAILURES);
            assert_eq!(attempts.check(1_000 + i), Ok(()));
        }
        attempts = attempts.after_failure(1_010, MAX_ACCOUNT_FAILURES);
        assert_eq!(attempts.check(1_010), Err(WINDOW_SECONDS));
        assert_eq!(attempts.check(1_010 + WINDOW_SECONDS), Ok(()));
        assert_eq!(wait_minutes(WINDOW_SECONDS), 15);
        assert_eq!(wait_minutes(61), 2);
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let mut attempts = Attempts::default();
        for i in 0..9 {
            attempts = attempts.after_failure(1_000 + i, MAX_ACCOUNT_FAILURES);
        }
        attempts = attempts.after_failure(1_000 + WINDOW_SECONDS, MAX_ACCOUNT_FAILURES);
        assert_eq!(attempts.failures, 1);
        assert_eq!(attempts.check(1_000 + WINDOW_SECONDS), Ok(()));
    }
}
