//! When a delivery that failed is tried again: the Standard Webhooks
//! schedule by default (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
//! 14 h, 20 h, 24 h), with jitter so that a receiver coming back is not hit
//! by every sender at once, and a receiver's `Retry-After` honoured. What
//! counts as failed depends on the transport (see [`verdict`]).

use super::format::Format;
use std::time::Duration;

pub const DEFAULT_SCHEDULE: &str = "0s,5s,5m,30m,2h,5h,10h,14h,20h,24h";

/// The longest `Retry-After` Trainyard waits for before trying again.
const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The delay before each attempt: the first is the delay before attempt 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrySchedule(Vec<Duration>);

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextAttempt {
    After(Duration),
    GiveUp,
}

impl RetrySchedule {
    /// `0s,5s,5m,…`: one delay per attempt, in order.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let delays = raw
            .split(',')
            .map(|d| parse_delay(d.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        if delays.is_empty() {
            return Err("name at least one delay".to_owned());
        }
        Ok(Self(delays))
    }

    pub fn attempts(&self) -> usize {
        self.0.len()
    }

    /// After `attempts` failed attempts: wait, or give up. `retry_after` is
    /// what the receiver asked for (on 429 and 503 only); `jitter` in
    /// [0, 1) spreads the wait by up to a tenth either way.
    pub fn after_failure(
        &self,
        attempts: usize,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> NextAttempt {
        let Some(delay) = self.0.get(attempts) else {
            return NextAttempt::GiveUp;
        };
        let spread = delay.mul_f64(0.9 + 0.2 * jitter.clamp(0.0, 1.0));
        match retry_after {
            Some(asked) => NextAttempt::After(asked.min(LONGEST_RETRY_AFTER).max(spread)),
            None => NextAttempt::After(spread),
        }
    }
}

/// What an attempt's answer says about the delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// HTTP 410 Gone: the receiver is no more; its subscription is turned off.
    Gone,
    /// An SMTP 5xx reply: the relay refuses the message for good, and RFC
    /// 5321 asks that it not be sent again as it is.
    Refused,
    /// Any other answer, or none: tried again on the schedule.
    Failed,
}

/// What `status` (an HTTP status, or an SMTP reply code for `email`) says,
/// `None` when nothing answered.
pub fn verdict(format: Format, status: Option<u16>) -> Verdict {
    match (format, status) {
        (_, Some(200..=299)) => Verdict::Delivered,
        (Format::Email, Some(500..=599)) => Verdict::Refused,
        (Format::Standard | Format::Slack, Some(410)) => Verdict::Gone,
        _ => Verdict::Failed,
    }
}

impl Default for RetrySchedule {
    fn default() -> Self {
        Self::parse(DEFAULT_SCHEDULE).expect("the default schedule parses")
    }
}

/// `250ms`, `0s`, `5s`, `5m`, `2h`, `1d`.
pub fn parse_delay(raw: &str) -> Result<Duration, String> {
    let err = || format!("{raw:?} is not a delay (a number followed by ms, s, m, h or d)");
    let digits = raw.chars().take_while(char::is_ascii_digit).count();
    let (number, unit) = raw.split_at(digits);
    let n: u64 = number.parse().map_err(|_| err())?;
    let millis = match unit {
        "ms" => n,
        "s" => n * 1000,
        "m" => n * 60_000,
        "h" => n * 3_600_000,
        "d" => n * 86_400_000,
        _ => return Err(err()),
    };
    Ok(Duration::from_millis(millis))
}

/// A `Retry-After` header's seconds (the HTTP-date form is read by the
/// caller, which knows the time).
pub fn retry_after_seconds(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_standard_webhooks_schedule() {
        let s = RetrySchedule::default();
        assert_eq!(s.attempts(), 10);
        assert_eq!(
            s.after_failure(0, None, 0.5),
            NextAttempt::After(Duration::ZERO)
        );
        assert_eq!(
            s.after_failure(1, None, 0.5),
            NextAttempt::After(Duration::from_secs(5))
        );
        assert_eq!(
            s.after_failure(9, None, 0.5),
            NextAttempt::After(Duration::from_secs(24 * 3600))
        );
        assert_eq!(s.after_failure(10, None, 0.5), NextAttempt::GiveUp);
    }

    #[test]
    fn jitter_spreads_by_a_tenth_and_retry_after_is_a_floor() {
        let s = RetrySchedule::parse("0s,10s").unwrap();
        assert_eq!(
            s.after_failure(1, None, 0.0),
            NextAttempt::After(Duration::from_secs(9))
        );
        assert_eq!(
            s.after_failure(1, None, 0.999_999),
            NextAttempt::After(Duration::from_secs(10).mul_f64(0.9 + 0.2 * 0.999_999))
        );
        let asked = Some(Duration::from_secs(120));
        assert_eq!(
            s.after_failure(1, asked, 0.5),
            NextAttempt::After(Duration::from_secs(120))
        );
        let forever = Some(Duration::from_secs(10 * 86_400));
        assert_eq!(
            s.after_failure(1, forever, 0.5),
            NextAttempt::After(LONGEST_RETRY_AFTER)
        );
    }

    #[test]
    fn an_answer_is_judged_by_its_transport() {
        for format in [Format::Standard, Format::Slack] {
            assert_eq!(verdict(format, Some(204)), Verdict::Delivered);
            assert_eq!(verdict(format, Some(410)), Verdict::Gone);
            assert_eq!(
                verdict(format, Some(500)),
                Verdict::Failed,
                "HTTP 5xx is retried"
            );
            assert_eq!(verdict(format, None), Verdict::Failed);
        }
        assert_eq!(verdict(Format::Email, Some(250)), Verdict::Delivered);
        assert_eq!(verdict(Format::Email, Some(451)), Verdict::Failed);
        assert_eq!(
            verdict(Format::Email, Some(410)),
            Verdict::Failed,
            "no Gone in SMTP"
        );
        assert_eq!(verdict(Format::Email, Some(550)), Verdict::Refused);
        assert_eq!(verdict(Format::Email, None), Verdict::Failed);
    }

    #[test]
    fn delays_read_every_unit_and_refuse_the_rest() {
        assert_eq!(parse_delay("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_delay("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_delay("5").is_err());
        assert!(parse_delay("-1s").is_err());
        assert!(RetrySchedule::parse("0s,,5s").is_err());
        assert_eq!(retry_after_seconds(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(retry_after_seconds("soon"), None);
    }
}
