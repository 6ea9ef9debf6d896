//! The services' one source of "now". Production reads the system clock; tests use an adjustable
//! clock (the system time plus an offset they move forward) to reach deadlines without rewriting
//! rows. Every stored time is UTC truncated to microseconds, so both backends hold the same value.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDateTime, SubsecRound as _, TimeDelta, Utc};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds added to the system time; `None` for the plain system clock.
    offset_micros: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// The system clock plus an offset that [`Clock::advance`] moves: time still flows, and a test
    /// can jump past a deadline. Clones share the offset.
    pub fn adjustable() -> Self {
        Self {
            offset_micros: Some(Arc::new(AtomicI64::new(0))),
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        let now = Utc::now().naive_utc().trunc_subsecs(6);
        match &self.offset_micros {
            Some(offset) => now + TimeDelta::microseconds(offset.load(Ordering::Relaxed)),
            None => now,
        }
    }

    /// Moves an adjustable clock forward by `by`; returns false (and changes nothing) on the system
    /// clock.
    pub fn advance(&self, by: TimeDelta) -> bool {
        match (&self.offset_micros, by.num_microseconds()) {
            (Some(offset), Some(micros)) => {
                offset.fetch_add(micros, Ordering::Relaxed);
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
    fn an_adjustable_clock_moves_for_every_clone_and_the_system_clock_does_not() {
        let clock = Clock::adjustable();
        let shared = clock.clone();
        let before = clock.now();
        assert!(shared.advance(TimeDelta::hours(5)));
        assert!(clock.now() >= before + TimeDelta::hours(5));
        let system = Clock::system();
        assert!(!system.advance(TimeDelta::hours(5)));
        assert!(system.now() < before + TimeDelta::hours(1));
    }
}
