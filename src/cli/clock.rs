//! What templates read from outside their inputs: the time `Time.now` answers, and the
//! random draws no template seeded (`rand`, `shuffle`, `SecureRandom`). Both are the
//! system's by default, as the director renders; `--now` or `SOURCE_DATE_EPOCH` (the
//! reproducible-builds convention) fix the time and `--random-seed` the draws, so the same
//! inputs render the same bytes.

use clap::Args;

use crate::template::{Clock, Entropy, Timestamp};

#[derive(Args, Debug, Clone)]
pub(super) struct ClockArgs {
    /// The time `Time.now` answers in templates, as RFC 3339 (2024-05-01T12:00:00Z)
    /// [default: $SOURCE_DATE_EPOCH if set, else the current time]
    #[arg(long, value_name = "RFC3339", value_parser = Timestamp::parse_rfc3339)]
    now: Option<Timestamp>,
    /// The seed of random draws a template did not seed itself (`rand`, `shuffle`,
    /// `SecureRandom`), for output that repeats; tokens drawn from it are not secret
    /// [default: the system's random source, as the director]
    #[arg(long, value_name = "N")]
    random_seed: Option<u64>,
}

/// `SOURCE_DATE_EPOCH` that is not a count of seconds.
#[derive(Debug, thiserror::Error)]
#[error("SOURCE_DATE_EPOCH={0:?} is not a number of seconds since 1970-01-01 UTC: set it to one (date +%s) or unset it")]
pub(super) struct EpochError(String);

impl ClockArgs {
    pub(super) fn clock(&self) -> Result<Clock, EpochError> {
        clock_from(self.now, std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
    }

    pub(super) fn entropy(&self) -> Entropy {
        self.random_seed.map_or(Entropy::System, Entropy::Seed)
    }
}

fn clock_from(now: Option<Timestamp>, epoch: Option<&str>) -> Result<Clock, EpochError> {
    if let Some(t) = now {
        return Ok(Clock::Fixed(t));
    }
    match epoch {
        // the convention: an empty value counts as unset
        None | Some("") => Ok(Clock::System),
        Some(s) => s
            .trim()
            .parse::<i64>()
            .map(|secs| Clock::Fixed(Timestamp { secs, nanos: 0 }))
            .map_err(|_| EpochError(s.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_wins_over_the_environment_which_wins_over_the_clock() {
        let t = Timestamp::parse_rfc3339("2024-05-01T12:00:00Z").unwrap();
        assert_eq!(clock_from(Some(t), Some("5")).unwrap(), Clock::Fixed(t));
        assert_eq!(
            clock_from(None, Some("1714564800")).unwrap(),
            Clock::Fixed(Timestamp {
                secs: 1714564800,
                nanos: 0
            })
        );
        assert_eq!(t.secs, 1714564800);
        assert_eq!(clock_from(None, Some("")).unwrap(), Clock::System);
        assert_eq!(clock_from(None, None).unwrap(), Clock::System);
        assert!(clock_from(None, Some("yesterday"))
            .unwrap_err()
            .to_string()
            .contains("SOURCE_DATE_EPOCH=\"yesterday\""));
    }
}
