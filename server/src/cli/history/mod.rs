//! `server seed-history`: years of a plausible organisation's history,
//! written through the service layer (a valid audit chain, the same rows the
//! API writes), to measure Trainyard at the scale a team reaches.

mod plan;
mod run;

use crate::config::Settings;
use crate::startup::MIGRATOR;
use anyhow::Context;
use app::services::actor::Actor;
use sqlx::postgres::PgPoolOptions;
use std::time::Instant;

#[derive(Debug, PartialEq, Eq)]
pub struct HistoryOptions {
    pub years: u32,
    pub services: usize,
    pub seed: u64,
    /// How many audit records the history should hold, about.
    pub audit_records: usize,
}

impl HistoryOptions {
    pub fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut options = Self {
            years: 5,
            services: 100,
            seed: 1,
            audit_records: 1_000_000,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .with_context(|| format!("{flag} needs a value; {USAGE}"))?;
            let number = || {
                value
                    .replace('_', "")
                    .parse::<u64>()
                    .with_context(|| format!("{flag} {value:?} is not a whole number"))
            };
            match flag.as_str() {
                "--years" => options.years = u32::try_from(number()?)?,
                "--services" => options.services = usize::try_from(number()?)?,
                "--seed" => options.seed = number()?,
                "--audit-records" => options.audit_records = usize::try_from(number()?)?,
                other => anyhow::bail!("unknown option {other:?}; {USAGE}"),
            }
        }
        anyhow::ensure!((1..=20).contains(&options.years), "--years must be 1 to 20");
        anyhow::ensure!(
            (1..=1000).contains(&options.services),
            "--services must be 1 to 1000"
        );
        Ok(options)
    }
}

pub const USAGE: &str =
    "usage: server seed-history [--years 5] [--services 100] [--seed N] [--audit-records 1000000]";

/// Trains and people acting at once.
const WORKERS: usize = 8;

pub async fn seed_history(settings: &Settings, options: &HistoryOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    // A bulk load: each transaction still commits whole, with its audit
    // record, but does not wait for its own flush to disk. Its queries are
    // planned per call like the server's (a generic plan of the gate-matrix
    // read costs ~8x once a history has grown).
    let connect =
        crate::startup::connect_options(settings)?.options([("synchronous_commit", "off")]);
    let pool = PgPoolOptions::new()
        .max_connections(WORKERS as u32 + 2)
        .connect_with(connect)
        .await
        .context("connecting to the database named by DATABASE_URL")?;
    MIGRATOR.run(&pool).await?;
    let store = crate::evidence_store::open(&settings.evidence)?;
    let now = chrono::Utc::now();
    // The demo's tracks and people; the history runs over them.
    app::services::demo::load_if_empty(&pool, &store, now).await?;
    let plan = plan::plan(options.years, options.services, options.seed, now);
    let actor = Actor::new("seed-history");
    app::services::service_catalog::register_services(&pool, &actor, &plan.services, plan.start)
        .await?;
    let from_trains: usize = plan.trains.iter().map(plan::audit_records_of).sum();
    let fill = options.audit_records.saturating_sub(from_trains);
    println!(
        "seed-history: {} services, {} trains from {} to {}, about {} audit records",
        plan.services.len(),
        plan.trains.len(),
        plan.start.format("%Y-%m-%d"),
        plan.end.format("%Y-%m-%d"),
        from_trains + fill
    );
    let mut last_year = 0;
    let played = run::play(
        &pool,
        &store,
        plan,
        options.seed,
        fill,
        WORKERS,
        |day, played| {
            use chrono::Datelike;
            if day.year() != last_year {
                last_year = day.year();
                println!(
                    "  {} … {} train steps, {} sign-ins, {} health reports so far ({:.0} s)",
                    day.format("%Y-%m"),
                    played.steps,
                    played.sessions,
                    played.health_reports,
                    started.elapsed().as_secs_f64()
                );
            }
        },
    )
    .await?;
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_record")
        .fetch_one(&pool)
        .await?;
    println!(
        "seed-history: {} trains, {} train steps, {} sign-ins, {} health reports; {records} audit records in {:.0} s",
        played.trains,
        played.steps,
        played.sessions,
        played.health_reports,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
