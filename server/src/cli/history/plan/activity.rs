//! The day-to-day activity between trains (sign-ins, monitoring) that
//! fills the audit trail.

use super::CAPTAINS;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

/// People of the organisation who sign in over the years.
pub fn people() -> Vec<String> {
    let mut people: Vec<String> = CAPTAINS.iter().map(|s| (*s).to_owned()).collect();
    people.extend(["ana", "ben", "bea", "olivia", "val", "adam"].map(str::to_owned));
    people.extend((1..=31).map(|i| format!("engineer{i:02}")));
    people
}

/// The day's sign-ins (each followed by its sign-out: two audit records),
/// `budget` audit records' worth, and about one monitoring report for every
/// four of them (a report writes samples, not audit records), at times
/// spread over the day.
pub fn daily_activity(
    seed: u64,
    day: DateTime<Utc>,
    budget: usize,
    people: &[String],
    services: &[String],
) -> Vec<(DateTime<Utc>, Activity)> {
    let mut rng = StdRng::seed_from_u64(seed ^ (day.timestamp() as u64).rotate_left(17));
    let mut out = Vec::with_capacity(budget);
    let mut left = budget;
    let at = |rng: &mut StdRng| day + Duration::seconds(rng.random_range(7 * 3600..19 * 3600));
    while left >= 2 {
        let when = at(&mut rng);
        let person = people.choose(&mut rng).cloned().unwrap_or_default();
        out.push((when, Activity::Session(person)));
        left -= 2;
        if rng.random_bool(0.25) {
            let when = at(&mut rng);
            let service = services.choose(&mut rng).cloned().unwrap_or_default();
            let p95 = rng.random_range(120.0..600.0);
            out.push((when, Activity::Health(service, p95)));
        }
    }
    out.shuffle(&mut rng);
    out.sort_by_key(|(at, _)| *at);
    out
}

#[derive(Clone, Debug)]
pub enum Activity {
    /// A person signs in and, a few hours later, out.
    Session(String),
    /// Monitoring reports a service's p95 latency in prod.
    Health(String, f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(activity: &[(DateTime<Utc>, Activity)]) -> usize {
        activity
            .iter()
            .map(|(_, a)| match a {
                Activity::Session(_) => 2,
                Activity::Health(..) => 0,
            })
            .sum()
    }

    #[test]
    fn a_days_activity_writes_its_budget_of_audit_records_with_monitoring_on_top() {
        let day = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let services = vec!["curve".to_owned(), "ledger".to_owned()];
        let activity = daily_activity(1, day, 101, &people(), &services);
        assert_eq!(records(&activity), 100, "an odd record is left over");
        assert!(activity
            .iter()
            .any(|(_, a)| matches!(a, Activity::Health(..))));
        assert!(
            activity.windows(2).all(|w| w[0].0 <= w[1].0),
            "in time order"
        );
        let again = daily_activity(1, day, 101, &people(), &services);
        assert_eq!(
            format!("{activity:?}"),
            format!("{again:?}"),
            "deterministic"
        );
    }
}
