//! Login rate limit per username: after [`MAX_FAILURES`] failed logins within
//! [`WINDOW_MS`], further attempts are refused until the oldest failure leaves
//! the window. Failures are kept in the database so every instance counts them.

/// Failed logins allowed within the window.
pub const MAX_FAILURES: usize = 5;
/// The window, 15 minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Whether another attempt may be made, given the failure times within the
/// window (oldest first). `Err` carries the seconds to wait (Retry-After).
pub fn check(failures: &[i64], now_ms: i64) -> Result<(), u64> {
    check_with(failures, now_ms, MAX_FAILURES)
}

/// [`check`] with another number of failures allowed in the window.
pub fn check_with(failures: &[i64], now_ms: i64, max_failures: usize) -> Result<(), u64> {
    if failures.len() < max_failures.max(1) {
        return Ok(());
    }
    // The attempt is allowed again when enough failures have aged out.
    let blocking = failures[failures.len() - max_failures.max(1)];
    let wait_ms = (blocking + WINDOW_MS - now_ms).max(1);
    Err(u64::try_from(wait_ms.div_euclid(1000) + i64::from(wait_ms % 1000 != 0)).unwrap_or(1).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_waits_for_the_oldest_failure_to_expire() {
        let now = 1_000_000_000;
        assert_eq!(check(&[now - 10, now - 5, now - 4, now - 3], now), Ok(()));
        let failures = [now - 60_000, now - 5, now - 4, now - 3, now - 2];
        assert_eq!(check(&failures, now), Err(u64::try_from((WINDOW_MS - 60_000) / 1000).unwrap_or(0)));
    }
}
