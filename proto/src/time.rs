//! Time as the session sees it: a point given by the driver, never read from a clock.

use core::ops::{Add, Sub};
use core::time::Duration;

/// A point in time: how long after an epoch of the driver's choosing (its start, a firmware
/// tick counter's zero). The session only compares and adds, so any monotonic source works,
/// including the virtual time of a test.
///
/// Kept as nanoseconds in a `u64` (585 years), so comparing and adding are single instructions on
/// the receive path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Instant {
    /// The epoch.
    pub const ZERO: Instant = Instant(0);

    /// The point `since_epoch` after the epoch.
    pub fn from_epoch(since_epoch: Duration) -> Instant {
        Instant(nanos(since_epoch))
    }

    /// Milliseconds after the epoch (for firmware tick counters).
    pub const fn from_millis(ms: u64) -> Instant {
        Instant(ms.saturating_mul(1_000_000))
    }

    /// How long after the epoch.
    pub const fn since_epoch(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// Whole milliseconds after the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0 / 1_000_000
    }

    /// `self - earlier`, or zero when `earlier` is later.
    pub fn saturating_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    /// Saturates instead of overflowing: a timeout of `Duration::MAX` means "never".
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(nanos(d)))
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, earlier: Instant) -> Duration {
        self.saturating_since(earlier)
    }
}
