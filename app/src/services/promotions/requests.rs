//! Stored promotion requests and approvals, read back as the domain's.

use super::context::{SoakHistory, TrainContext};
use super::policy::Policies;
use crate::domain::promotion::{
    evaluate, Approval, BreakGlass, Environment, EnvironmentPolicy, Evaluation, Fingerprint,
    PromotionFacts, PromotionRequest, Rejection, RequestState,
};
use crate::error::{AppError, ResultExt};
use crate::models::promotion::{ApprovalView, RequestView};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::{BTreeMap, HashMap};

pub(crate) struct Stored {
    pub id: i64,
    pub request: PromotionRequest,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    pub break_glass: Option<BreakGlass>,
    pub approvals: Vec<(Approval, Option<String>)>,
}

pub(crate) fn fingerprint_json(f: &Fingerprint) -> serde_json::Value {
    serde_json::Value::Object(
        f.pairs()
            .map(|(s, v)| (s.to_owned(), serde_json::Value::String(v.to_owned())))
            .collect(),
    )
}

fn fingerprint_from(value: serde_json::Value) -> Result<Fingerprint, AppError> {
    let pairs: BTreeMap<String, String> =
        serde_json::from_value(value).or_internal("stored promotion data does not parse")?;
    Fingerprint::new(pairs).or_internal("stored promotion data does not parse")
}

/// A train's requests, newest first; `lock` locks the open ones' rows.
pub(crate) async fn load_requests(
    conn: &mut PgConnection,
    train_id: i64,
    lock: bool,
) -> Result<Vec<Stored>, AppError> {
    if lock {
        sqlx::query!(
            "SELECT promotion_request_id FROM promotion_request WHERE train_id = $1 AND state = 'open' FOR UPDATE",
            train_id
        )
        .fetch_all(&mut *conn)
        .await?;
    }
    Ok(load_requests_of(conn, &[train_id], Which::Latest(i64::MAX))
        .await?
        .remove(&train_id)
        .unwrap_or_default())
}

/// Which requests of each train to read.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Which {
    /// The open ones (at most one per environment).
    Open,
    /// The newest `n` of each train.
    Latest(i64),
}

/// The requests of every train in `ids`, newest first per train, with their
/// approvals: two queries, however many trains and requests.
pub(crate) async fn load_requests_of(
    conn: &mut PgConnection,
    ids: &[i64],
    which: Which,
) -> Result<HashMap<i64, Vec<Stored>>, AppError> {
    let (open_only, per_train) = match which {
        Which::Open => (true, i64::MAX),
        Which::Latest(n) => (false, n),
    };
    let rows = sqlx::query!(
        r#"SELECT train_id AS "train_id!", promotion_request_id AS "promotion_request_id!",
                  environment AS "environment!", requested_by AS "requested_by!", note AS "note!",
                  requested_at AS "requested_at!", fingerprint AS "fingerprint!", state AS "state!",
                  decided_by, decided_at, decision_comment, break_glass_by, break_glass_reason
           FROM (SELECT r.*, row_number() OVER (PARTITION BY r.train_id
                                                ORDER BY r.requested_at DESC, r.promotion_request_id DESC) AS n
                 FROM promotion_request r
                 WHERE r.train_id = ANY($1) AND (NOT $2 OR r.state = 'open')) ranked
           WHERE n <= $3
           ORDER BY train_id, requested_at DESC, promotion_request_id DESC"#,
        ids,
        open_only,
        per_train
    )
    .fetch_all(&mut *conn)
    .await?;
    let request_ids: Vec<i64> = rows.iter().map(|r| r.promotion_request_id).collect();
    let mut approvals = load_approvals_of(conn, &request_ids).await?;
    let mut out: HashMap<i64, Vec<Stored>> = HashMap::new();
    for r in rows {
        let state =
            RequestState::parse(&r.state).or_internal("stored promotion data does not parse")?;
        let rejection = (state == RequestState::Rejected).then(|| Rejection {
            by: r.decided_by.clone().unwrap_or_default(),
            at: r.decided_at.unwrap_or(r.requested_at),
            comment: r.decision_comment.clone().unwrap_or_default(),
        });
        out.entry(r.train_id).or_default().push(Stored {
            id: r.promotion_request_id,
            request: PromotionRequest {
                environment: Environment::parse(&r.environment)
                    .or_internal("stored promotion data does not parse")?,
                requester: r.requested_by,
                note: r.note,
                requested_at: r.requested_at,
                fingerprint: fingerprint_from(r.fingerprint)?,
                state,
                rejection,
            },
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            decision_comment: r.decision_comment,
            break_glass: match (r.break_glass_by, r.break_glass_reason) {
                (Some(by), Some(reason)) => Some(BreakGlass { by, reason }),
                _ => None,
            },
            approvals: approvals
                .remove(&r.promotion_request_id)
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

async fn load_approvals_of(
    conn: &mut PgConnection,
    request_ids: &[i64],
) -> Result<HashMap<i64, Vec<(Approval, Option<String>)>>, AppError> {
    if request_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query!(
        "SELECT promotion_request_id, approver, approver_name, comment, approved_at, fingerprint, as_approver,
                owner_of
         FROM approval
         WHERE promotion_request_id = ANY($1) ORDER BY promotion_request_id, approved_at, approval_id",
        request_ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: HashMap<i64, Vec<(Approval, Option<String>)>> = HashMap::new();
    for a in rows {
        out.entry(a.promotion_request_id).or_default().push((
            Approval {
                approver: a.approver,
                at: a.approved_at,
                comment: a.comment,
                fingerprint: fingerprint_from(a.fingerprint)?,
                as_approver: a.as_approver,
                owner_of: a.owner_of,
            },
            a.approver_name,
        ));
    }
    Ok(out)
}

/// What judging a request needs besides its train: every policy and the
/// trains' soak history, loaded once for all the trains being judged.
pub(crate) struct Judge {
    pub policies: Policies,
    pub history: SoakHistory,
}

impl Judge {
    pub async fn load(conn: &mut PgConnection, ids: &[i64]) -> Result<Self, AppError> {
        Ok(Self {
            policies: Policies::load(conn).await?,
            history: SoakHistory::load(conn, ids).await?,
        })
    }

    /// The facts and the verdict of `stored` at `now`, under its target's policy.
    pub fn judge(
        &self,
        ctx: &TrainContext,
        stored: &Stored,
        now: DateTime<Utc>,
    ) -> (EnvironmentPolicy, PromotionFacts, Evaluation) {
        let policy = match ctx.direct {
            Some(approvals) => self
                .policies
                .of(&stored.request.environment)
                .for_direct_lane(approvals),
            None => self.policies.of(&stored.request.environment),
        };
        let soak = ctx
            .source_of(&stored.request.environment)
            .and_then(|source| self.history.facts(ctx, source));
        let facts = PromotionFacts {
            request: stored.request.clone(),
            approvals: stored.approvals.iter().map(|(a, _)| a.clone()).collect(),
            current_fingerprint: ctx.fingerprint.clone(),
            captain: ctx.captain().map(str::to_owned),
            track: ctx.track.clone(),
            failing_gates: ctx.failing_gates.clone(),
            missing_evidence: ctx.missing_evidence.clone(),
            soak,
            active_freezes: ctx.freezes.clone(),
            direct_lane: ctx.direct_lane(),
            break_glass: stored.break_glass.clone(),
            owners: ctx
                .status
                .participants
                .iter()
                .map(|p| (p.service.clone(), p.owners.clone()))
                .collect(),
        };
        let evaluation = evaluate(&policy, &facts, now);
        (policy, facts, evaluation)
    }
}

/// The request as the panel and the API show it.
pub(crate) fn view(
    ctx: &TrainContext,
    stored: &Stored,
    policy: EnvironmentPolicy,
    evaluation: Evaluation,
) -> RequestView {
    let name_of = |who: &str| {
        stored
            .approvals
            .iter()
            .find(|(a, _)| a.approver == who)
            .and_then(|(_, n)| n.clone())
    };
    let mut approvals: Vec<ApprovalView> = evaluation
        .counted
        .iter()
        .map(|a| (a, "counted", None))
        .chain(
            evaluation
                .dismissed
                .iter()
                .map(|s| (&s.approval, "dismissed", Some(s.reason.clone()))),
        )
        .chain(
            evaluation
                .ignored
                .iter()
                .map(|s| (&s.approval, "ignored", Some(s.reason.clone()))),
        )
        .map(|(a, status, why)| ApprovalView {
            approver: a.approver.clone(),
            approver_name: name_of(&a.approver),
            at: a.at,
            comment: a.comment.clone(),
            status: status.to_owned(),
            why,
        })
        .collect();
    approvals.sort_by_key(|a| a.at);
    RequestView {
        id: stored.id,
        train: ctx.status.name.clone(),
        environment: stored.request.environment.to_string(),
        requested_by: stored.request.requester.clone(),
        note: stored.request.note.clone(),
        requested_at: stored.request.requested_at,
        state: stored.request.state,
        decided_by: stored.decided_by.clone(),
        decided_at: stored.decided_at,
        decision_comment: stored.decision_comment.clone(),
        break_glass_by: stored.break_glass.as_ref().map(|b| b.by.clone()),
        break_glass_reason: stored.break_glass.as_ref().map(|b| b.reason.clone()),
        approvals,
        evaluation,
        policy,
    }
}
