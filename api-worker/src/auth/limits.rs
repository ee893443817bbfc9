//! How sign-in attempts are limited, as pure rules (tested natively): each
//! attempt is counted *before* the password is checked, so guesses sent in
//! parallel cannot all pass; past a free allowance each attempt must wait a
//! delay that doubles, up to a ceiling, instead of a lockout that anyone
//! could set off against a colleague by typing their address. A quiet hour
//! forgets the tally. The counting itself is atomic in a Durable Object
//! (`auth::limiter`).

use serde::{Deserialize, Serialize};

/// What a key (an address, or a client) may do before the delay starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    /// Attempts without any delay.
    pub free: u32,
    /// The longest delay between two attempts.
    pub max_delay_seconds: u64,
}

/// One address: five tries, then 1, 2, 4, … seconds between tries, at most 15 minutes.
pub const PER_ADDRESS: Allowance = Allowance { free: 5, max_delay_seconds: 15 * 60 };
/// One client (network address), whichever accounts it tries: a wider allowance,
/// as an office shares one address, released by each successful sign-in.
pub const PER_CLIENT: Allowance = Allowance { free: 30, max_delay_seconds: 15 * 60 };
/// A tally left alone this long starts again from nothing.
pub const FORGET_AFTER_MS: f64 = 60.0 * 60.0 * 1000.0;

impl Allowance {
    /// The wait after the last attempt before another, with `attempts` counted.
    pub fn delay_ms(self, attempts: u32) -> f64 {
        if attempts < self.free {
            return 0.0;
        }
        let doublings = (attempts - self.free).min(30);
        (2f64.powi(doublings as i32) * 1000.0).min(self.max_delay_seconds as f64 * 1000.0)
    }
}

/// The attempts counted for one key and when the last was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub attempts: u32,
    pub last_ms: f64,
}

impl Tally {
    /// Counts an attempt at `now_ms` if it may be made; otherwise the seconds to wait.
    pub fn attempt(self, now_ms: f64, allowance: Allowance) -> Result<Tally, u64> {
        let tally = if now_ms - self.last_ms > FORGET_AFTER_MS { Tally::default() } else { self };
        let wait_ms = tally.last_ms + allowance.delay_ms(tally.attempts) - now_ms;
        if tally.attempts > 0 && wait_ms > 0.0 {
            return Err(((wait_ms / 1000.0).ceil() as u64).max(1));
        }
        Ok(Tally { attempts: tally.attempts + 1, last_ms: now_ms })
    }

    /// An attempt that proved nothing against this key is given back: a
    /// client's successful sign-in, or an attempt its address refused.
    pub fn given_back(self) -> Tally {
        Tally { attempts: self.attempts.saturating_sub(1), ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_free_attempts_pass_at_once_and_the_next_waits() {
        let mut t = Tally::default();
        for _ in 0..PER_ADDRESS.free {
            t = t.attempt(1000.0, PER_ADDRESS).expect("free");
        }
        assert_eq!(t.attempts, 5);
        assert_eq!(t.attempt(1000.0, PER_ADDRESS), Err(1), "the sixth waits a second");
        assert!(t.attempt(2000.0, PER_ADDRESS).is_ok(), "after the second has passed it may try");
    }

    #[test]
    fn thirty_guesses_at_the_same_instant_let_only_the_free_ones_through() {
        let mut t = Tally::default();
        let passed = (0..30).filter(|_| match t.attempt(0.0, PER_ADDRESS) {
            Ok(next) => {
                t = next;
                true
            }
            Err(_) => false,
        });
        assert_eq!(passed.count(), 5);
    }

    #[test]
    fn the_delay_doubles_to_its_ceiling_and_never_locks_out() {
        let delays: Vec<f64> = (5..20).map(|n| PER_ADDRESS.delay_ms(n) / 1000.0).collect();
        assert_eq!(&delays[..5], &[1.0, 2.0, 4.0, 8.0, 16.0]);
        assert_eq!(*delays.last().unwrap(), 900.0, "at most 15 minutes");
        let t = Tally { attempts: 1000, last_ms: 0.0 };
        assert!(t.attempt(900_001.0, PER_ADDRESS).is_ok(), "the owner of the address can always try again after the ceiling");
    }

    #[test]
    fn a_quiet_hour_forgets_and_an_attempt_can_be_given_back() {
        let t = Tally { attempts: 12, last_ms: 0.0 };
        assert_eq!(t.attempt(FORGET_AFTER_MS + 1.0, PER_ADDRESS).map(|t| t.attempts), Ok(1));
        assert_eq!(t.given_back().attempts, 11);
        assert_eq!(Tally::default().given_back().attempts, 0);
    }
}
