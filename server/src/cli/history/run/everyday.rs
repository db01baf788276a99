//! The everyday activity between trains: people signing in and out, and
//! monitoring reporting a service's latency.

use super::super::plan::{Activity, CAPTAINS};
use super::Cast;
use app::domain::access::{RoleMap, UnmappedUsers};
use app::services::actor::Actor;
use app::services::health::{report_health, HealthReport, SampleInput};
use app::services::sign_in;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

pub(super) async fn act(
    pool: &PgPool,
    cast: &Cast,
    at: DateTime<Utc>,
    activity: Activity,
) -> anyhow::Result<()> {
    match activity {
        Activity::Session(person) => {
            let roles = if CAPTAINS.contains(&person.as_str()) {
                "captain"
            } else {
                "viewer"
            };
            let visitor = sign_in::unmapped_person(&person, Some(person.clone()))
                .from_origin(Some("10.0.0.7".into()), Some("Mozilla/5.0".into()));
            let granted = sign_in::admit(
                pool,
                visitor,
                &[roles.to_owned()],
                &RoleMap::default(),
                UnmappedUsers::Viewer,
                at,
            )
            .await?;
            let user = Actor::user(&person, Some(person.clone()), granted);
            sign_in::sign_out(pool, &user, at + Duration::hours(6)).await?;
        }
        Activity::Health(service, p95) => {
            let report = HealthReport {
                environment: "prod".into(),
                samples: vec![SampleInput {
                    at: Some(at),
                    metric: "p95_latency_ms".into(),
                    value: p95,
                }],
            };
            report_health(pool, &cast.monitoring, &service, report, at).await?;
        }
    }
    Ok(())
}
