//! The rolling horizon as the scheduler keeps it: every track with a
//! cadence has its next trains planned, with the tag of its naming in the
//! version line, the on-call of its rotation, every active service as a
//! participant and its gate template. One slot, one train: the scheduler's
//! lock lets one instance act, and a unique index on (track, slot) says so
//! too.

use crate::domain::calendar::cadence::Cadence;
use crate::domain::calendar::horizon::{
    next_tag, replan, wanted_slots, LineTrain, Occupant, Replan,
};
use crate::domain::calendar::planning::Planning;
use crate::domain::change::Change;
use crate::domain::release_naming::Naming;
use crate::domain::{TrackName, TrainState, TrainTag};
use crate::error::{AppError, ResultExt};
use crate::models::train::{NewTrain, ParticipantInput};
use crate::services::actor::Actor;
use crate::services::calendar::{stored_naming, stored_planning};
use crate::services::changes;
use crate::services::trains::create_train_in;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;

/// A track with a cadence, as planning reads it.
struct PlannedTrack {
    track_id: i64,
    name: TrackName,
    cadence: Cadence,
    freeze_offset: Duration,
    naming: Naming,
    planning: Planning,
}

/// What one track lacks at a moment.
pub(crate) struct TrackReplan {
    track: PlannedTrack,
    replan: Replan,
}

/// What planning ahead did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Planned {
    pub planned: Vec<String>,
    pub withdrawn: Vec<String>,
}

async fn planned_tracks(conn: &mut PgConnection) -> Result<Vec<PlannedTrack>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT track_id, name, cadence_rrule AS "rule!", naming, planning,
                  (extract(epoch FROM freeze_offset))::bigint AS "freeze_seconds!"
           FROM track WHERE archived_at IS NULL AND cadence_rrule IS NOT NULL
           ORDER BY position, name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PlannedTrack {
                track_id: r.track_id,
                name: TrackName::parse(&r.name).or_internal("a stored track name")?,
                cadence: Cadence::parse(Some(&r.rule)).or_internal("a stored cadence")?,
                freeze_offset: Duration::seconds(r.freeze_seconds),
                naming: stored_naming(r.naming)?,
                planning: stored_planning(r.planning)?,
            })
        })
        .collect()
}

/// What every track lacks at `now`, read without locks: planning ahead
/// takes the audit chain's lock only when this is not empty.
pub(crate) async fn replans(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<TrackReplan>, AppError> {
    let tracks = planned_tracks(conn).await?;
    let ids: Vec<i64> = tracks.iter().map(|t| t.track_id).collect();
    // The trains holding slots whose freeze point is still ahead.
    let held = sqlx::query!(
        r#"SELECT t.train_id, t.track_id AS "track_id!", t.slot AS "slot!",
                  (t.replannable AND t.status = 'open' AND t.state = 'planning') AS "replannable!"
           FROM train t JOIN track k USING (track_id)
           WHERE t.track_id = ANY($1) AND t.slot > $2::timestamptz + k.freeze_offset"#,
        &ids,
        now
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for track in tracks {
        let occupants: Vec<Occupant> = held
            .iter()
            .filter(|h| h.track_id == track.track_id)
            .map(|h| Occupant {
                train_id: h.train_id,
                slot: h.slot,
                replannable: h.replannable,
            })
            .collect();
        let wanted = wanted_slots(
            &track.cadence,
            track.planning.horizon,
            track.freeze_offset,
            now,
        );
        let replan = replan(&wanted, &occupants);
        if !replan.is_empty() {
            out.push(TrackReplan { track, replan });
        }
    }
    Ok(out)
}

/// Plans what every track lacks at `now`, in the caller's transaction,
/// which holds the audit chain's lock (and, for the scheduler, its own).
pub(crate) async fn plan_ahead(
    conn: &mut PgConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Planned, AppError> {
    let replans = replans(conn, now).await?;
    let mut done = Planned::default();
    if replans.is_empty() {
        return Ok(done);
    }
    for r in &replans {
        done.withdrawn
            .extend(withdraw(conn, actor, &r.replan.withdraw, now).await?);
    }
    let mut history = line_history(conn).await?;
    let services =
        sqlx::query_scalar!("SELECT name FROM service WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    // Every track's new slots in time order, so that each train sees the
    // version line the earlier ones (of any track) left.
    let mut adds: Vec<(DateTime<Utc>, usize)> = replans
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.replan.add.iter().map(move |slot| (*slot, i)))
        .collect();
    adds.sort();
    let mut turns: HashMap<i64, i64> = HashMap::new();
    for (slot, i) in adds {
        let track = &replans[i].track;
        let turn = match turns.get(&track.track_id) {
            Some(turn) => *turn,
            None => sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM train WHERE track_id = $1 AND slot IS NOT NULL"#,
                track.track_id
            )
            .fetch_one(&mut *conn)
            .await?,
        };
        let tag = next_tag(
            &history,
            &track.name,
            &track.naming.tag,
            slot,
            &track.planning.first_version,
        );
        let name = plan_one(conn, actor, track, slot, &tag, turn, &services, now).await?;
        history.push(LineTrain {
            at: slot,
            tag,
            bump: track.naming.next_version,
        });
        turns.insert(track.track_id, turn + 1);
        done.planned.push(name);
    }
    Ok(done)
}

/// The name of a planned train: its tag, or, when a train elsewhere took
/// that name, the tag with the track and then with the slot's time.
async fn free_name(
    conn: &mut PgConnection,
    tag: &TrainTag,
    track: &PlannedTrack,
    slot: DateTime<Utc>,
) -> Result<String, AppError> {
    let names = [
        tag.to_string(),
        format!("{tag}-{}", track.name),
        format!("{tag}-{}-{}", track.name, slot.format("%Y%m%d%H%M")),
    ];
    let taken = sqlx::query_scalar!("SELECT name FROM train WHERE name = ANY($1)", &names)
        .fetch_all(&mut *conn)
        .await?;
    let last = names[2].clone();
    Ok(names
        .into_iter()
        .find(|n| !taken.contains(n))
        .unwrap_or(last))
}

/// Plans the train of `track`'s `slot` tagged `tag`, with the `turn`-th
/// on-call of its rotation and its participants among the active
/// `services`; returns its name.
#[allow(clippy::too_many_arguments)]
async fn plan_one(
    conn: &mut PgConnection,
    actor: &Actor,
    track: &PlannedTrack,
    slot: DateTime<Utc>,
    tag: &TrainTag,
    turn: i64,
    services: &[String],
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let name = free_name(conn, tag, track, slot).await?;
    let participants: Vec<ParticipantInput> = services
        .iter()
        .filter(|s| track.planning.releases(s))
        .cloned()
        .map(ParticipantInput::Name)
        .collect();
    let train = NewTrain {
        name: name.clone(),
        target_version: Some(tag.version().to_string()),
        participants,
        dependencies: Vec::new(),
        gates: None,
        captain: None,
        track: Some(track.name.to_string()),
        tag: Some(tag.to_string()),
        planned_start: Some(slot),
        on_call: track
            .planning
            .on_call_for(usize::try_from(turn).unwrap_or(0)),
    };
    create_train_in(conn, actor, train, now).await?;
    sqlx::query!(
        "UPDATE train SET slot = planned_start, replannable = true WHERE name = $1",
        name
    )
    .execute(&mut *conn)
    .await?;
    Ok(name)
}

/// Deletes untouched planned trains a new cadence no longer has, each
/// with its `train.delete` record.
async fn withdraw(
    conn: &mut PgConnection,
    actor: &Actor,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let gone = sqlx::query_scalar!(
        "DELETE FROM train WHERE train_id = ANY($1) AND replannable AND status = 'open'
                AND state = 'planning'
         RETURNING name",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    for name in &gone {
        let change = Change::TrainDeleted {
            train: name.clone(),
            state: TrainState::Planning,
        };
        changes::record(conn, actor, change, now).await?;
    }
    Ok(gone)
}

/// Every tagged train of a track, as the version line reads it.
async fn line_history(conn: &mut PgConnection) -> Result<Vec<LineTrain>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.tag AS "tag!", coalesce(t.slot, t.planned_start, t.created_at) AS "at!",
                  k.name AS track, k.naming
           FROM train t JOIN track k USING (track_id)
           WHERE t.tag IS NOT NULL"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut namings: HashMap<String, Naming> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let bump = match namings.get(&r.track) {
            Some(n) => n.next_version,
            None => {
                let n = stored_naming(r.naming)?;
                let bump = n.next_version;
                namings.insert(r.track.clone(), n);
                bump
            }
        };
        let Ok(tag) = crate::domain::TrainTag::parse(&r.tag) else {
            continue;
        };
        out.push(LineTrain {
            at: r.at,
            tag,
            bump,
        });
    }
    Ok(out)
}
