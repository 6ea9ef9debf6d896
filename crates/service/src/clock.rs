//! The services' one source of "now". Production reads the system clock; tests use a manual clock
//! that stands still until they move it, so they reach deadlines without rewriting rows and
//! measure durations exactly. Every time is UTC truncated to microseconds, so both backends store
//! the same value.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime, SubsecRound as _, TimeDelta, Utc};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds since the Unix epoch of a manual clock; `None` for the system clock.
    manual_micros: Option<Arc<AtomicI64>>,
}

fn system_now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that stands at the current time and moves only by [`Clock::advance`]. Clones share
    /// it.
    pub fn manual() -> Self {
        Self {
            manual_micros: Some(Arc::new(AtomicI64::new(
                system_now().and_utc().timestamp_micros(),
            ))),
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        match &self.manual_micros {
            Some(micros) => DateTime::from_timestamp_micros(micros.load(Ordering::SeqCst))
                .map_or_else(system_now, |at| at.naive_utc()),
            None => system_now(),
        }
    }

    /// Moves a manual clock forward by `by`; returns false (and changes nothing) on the system
    /// clock.
    pub fn advance(&self, by: TimeDelta) -> bool {
        match (&self.manual_micros, by.num_microseconds()) {
            (Some(micros), Some(by)) => {
                micros.fetch_add(by, Ordering::SeqCst);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_for_every_clone() {
        let clock = Clock::manual();
        let shared = clock.clone();
        let start = clock.now();
        assert_eq!(clock.now(), start);
        assert!(shared.advance(TimeDelta::hours(5)));
        assert_eq!(clock.now(), start + TimeDelta::hours(5));
        let system = Clock::system();
        assert!(!system.advance(TimeDelta::hours(5)));
        assert!(system.now() < start + TimeDelta::hours(1));
    }
}
