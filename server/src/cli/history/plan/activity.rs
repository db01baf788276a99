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

/// The day's sign-ins (each followed by its sign-out) and monitoring
/// reports, `budget` audit records' worth, at times spread over the day.
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
    while left > 0 {
        let at = day + Duration::seconds(rng.random_range(7 * 3600..19 * 3600));
        if left >= 2 && rng.random_bool(0.8) {
            let person = people.choose(&mut rng).cloned().unwrap_or_default();
            out.push((at, Activity::Session(person)));
            left -= 2;
        } else {
            let service = services.choose(&mut rng).cloned().unwrap_or_default();
            out.push((
                at,
                Activity::Health(service, rng.random_range(120.0..600.0)),
            ));
            left -= 1;
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
