//! The entries a change appends to train timelines.

use super::{
    ArtifactLine, CalendarEvent, Change, Edit, EvidenceEvent, FromTo, PromotionEvent,
    TimelineEntry, TimelineEvent as E, TrainRef,
};

impl Change {
    /// What this change adds to train timelines, in order (most changes add
    /// one entry to their train's; a rollback adds one per service, a
    /// cadence one per train it moved; people and settings add none).
    pub fn timeline(&self) -> Vec<TimelineEntry> {
        let reason = self.reason().map(str::to_owned);
        let one = |train: &TrainRef, event: E| {
            vec![TimelineEntry {
                train_id: train.id,
                event,
                states: None,
                reason: reason.clone(),
            }]
        };
        match self {
            Self::TrainCreated {
                train,
                participants,
                gates,
                ..
            } => one(
                train,
                E::Created {
                    participants: participants.clone(),
                    gates: gates.len(),
                },
            ),
            Self::TrainTransitioned { train, states, .. } => vec![TimelineEntry {
                train_id: train.id,
                event: E::Transition { steps: None },
                states: Some(states.clone()),
                reason,
            }],
            Self::TrainRolledBack {
                train,
                states,
                environment,
                steps,
                ..
            } => {
                let mut entries: Vec<TimelineEntry> = steps
                    .iter()
                    .map(|step| TimelineEntry {
                        train_id: train.id,
                        event: E::Rollback {
                            step: step.clone(),
                            environment: environment.clone(),
                        },
                        states: None,
                        reason: reason.clone(),
                    })
                    .collect();
                if let Some(states) = states {
                    entries.push(TimelineEntry {
                        train_id: train.id,
                        event: E::Transition {
                            steps: Some(steps.clone()),
                        },
                        states: Some(states.clone()),
                        reason,
                    });
                }
                entries
            }
            Self::TrainEdited { train, after, .. } => one(
                train,
                E::Edited(Edit::Train {
                    captain: after.captain.clone(),
                    target_version: after.target_version.clone(),
                }),
            ),
            Self::TrainGatesSet { train, after, .. } => one(
                train,
                E::Edited(Edit::Gates {
                    gates: after.clone(),
                }),
            ),
            Self::ParticipantVersionSet {
                train,
                participant,
                version,
            } => one(
                train,
                E::Edited(Edit::Participant {
                    participant: participant.clone(),
                    target_version: version.clone(),
                }),
            ),
            Self::GateResultsRecorded { train, results } => one(
                train,
                E::GateResults {
                    results: results.clone(),
                },
            ),
            Self::HealthBreached {
                train,
                service,
                environment,
                breaches,
                outcome,
                ..
            } => one(
                train,
                E::Health {
                    service: service.clone(),
                    environment: environment.clone(),
                    breaches: breaches.clone(),
                    outcome: *outcome,
                },
            ),
            Self::ServiceStatusReported {
                service,
                status,
                version,
                trains,
                ..
            } => trains
                .iter()
                .map(|train| TimelineEntry {
                    train_id: train.id,
                    event: E::Participant {
                        service: service.clone(),
                        status: *status,
                        version: version.clone(),
                    },
                    states: None,
                    reason: None,
                })
                .collect(),
            Self::OnCallAssigned { train, on_call } => one(
                train,
                E::Calendar(CalendarEvent::OnCall {
                    on_call: on_call.clone(),
                }),
            ),
            Self::TrainMoved {
                train,
                moved,
                postponed,
                ..
            } => one(
                train,
                E::Calendar(CalendarEvent::Moved {
                    moved: moved.clone(),
                    cadence: None,
                    postponed: postponed.clone(),
                }),
            ),
            Self::TrainCut {
                train,
                release_id,
                branch,
                tag,
                versions,
            } => one(
                train,
                E::Calendar(CalendarEvent::Cut {
                    release_branch: branch.clone(),
                    release_id: release_id.clone(),
                    tag: tag.clone(),
                    versions: versions.clone(),
                }),
            ),
            Self::HotfixRolledForward {
                hotfix,
                into,
                versions,
            } => [hotfix, into]
                .into_iter()
                .map(|train| TimelineEntry {
                    train_id: train.id,
                    event: E::Calendar(CalendarEvent::RolledForward {
                        hotfix: hotfix.name.clone(),
                        into: into.name.clone(),
                        versions: versions.clone(),
                    }),
                    states: None,
                    reason: None,
                })
                .collect(),
            Self::TrainTagged {
                train,
                tag,
                general_availability,
                versions,
                ..
            } => one(
                train,
                E::Calendar(CalendarEvent::Tagged {
                    tagged: tag.clone(),
                    general_availability: *general_availability,
                    versions: versions.clone(),
                }),
            ),
            Self::PromotionWaiting { .. }
            | Self::TrainUpcoming { .. }
            | Self::ChangesReported { .. } => self.announcement_entries(),
            Self::Notes { .. } => self.notes_entries(),
            Self::Deployment { .. } => self.deployment_entries(),
            Self::Incident { .. } => self.incident_entries(),
            Self::TrainSkipped { train, by_rule, .. } => one(
                train,
                E::Calendar(CalendarEvent::Skipped {
                    calendar_status: FromTo {
                        from: "open".to_owned(),
                        to: "skipped".to_owned(),
                    },
                    by_rule: *by_rule,
                }),
            ),
            Self::HotfixRecorded {
                train,
                track,
                ran_at,
                on_call,
                ..
            } => one(
                train,
                E::Calendar(CalendarEvent::HotfixRecorded {
                    recorded_after_the_fact: true,
                    track: track.clone(),
                    tag: train.name.clone(),
                    ran_at: *ran_at,
                    on_call: on_call.clone(),
                }),
            ),
            Self::CadenceChanged { after, moved, .. } => moved
                .iter()
                .map(|(train, m)| TimelineEntry {
                    train_id: train.id,
                    event: E::Calendar(CalendarEvent::Moved {
                        moved: m.clone(),
                        cadence: Some(after.cadence.clone()),
                        postponed: None,
                    }),
                    states: None,
                    reason: Some("the track's cadence changed".to_owned()),
                })
                .collect(),
            Self::PromotionRequested {
                train,
                environment,
                request,
                versions,
                ..
            } => one(
                train,
                E::Promotion(PromotionEvent::Requested {
                    requested: environment.clone(),
                    request: *request,
                    versions: versions.clone(),
                }),
            ),
            Self::PromotionApproved {
                train,
                environment,
                request,
                ..
            } => one(
                train,
                E::Promotion(PromotionEvent::Approved {
                    approved: environment.clone(),
                    request: *request,
                }),
            ),
            Self::PromotionRejected {
                train,
                environment,
                request,
                ..
            } => one(
                train,
                E::Promotion(PromotionEvent::Rejected {
                    rejected: environment.clone(),
                    request: *request,
                }),
            ),
            Self::PromotionCancelled {
                train,
                environment,
                request,
            } => one(
                train,
                E::Promotion(PromotionEvent::Cancelled {
                    cancelled: environment.clone(),
                    request: *request,
                }),
            ),
            Self::GlassBroken {
                train,
                environment,
                request,
                ..
            } => one(
                train,
                E::Promotion(PromotionEvent::GlassBroken {
                    break_glass: environment.clone(),
                    request: *request,
                }),
            ),
            Self::Promoted {
                train,
                environment,
                request,
                versions,
                break_glass,
                ..
            } => one(
                train,
                E::Promotion(PromotionEvent::Promoted {
                    promoted: environment.clone(),
                    request: *request,
                    versions: versions.clone(),
                    break_glass: break_glass.clone(),
                }),
            ),
            Self::PromotionSettled {
                train,
                environment,
                deployed,
                detail,
            } => one(
                train,
                E::Promotion(PromotionEvent::Settled {
                    settled: environment.clone(),
                    deployed: *deployed,
                    detail: detail.clone(),
                }),
            ),
            Self::RollbackSettled {
                train,
                environment,
                outcome,
                detail,
            } => one(
                train,
                E::RollbackSettled {
                    outcome: *outcome,
                    environment: environment.clone(),
                    detail: detail.clone(),
                },
            ),
            Self::EvidenceUploaded {
                train,
                artifact,
                replaced,
            } => one(train, E::Evidence(uploaded(artifact, replaced.is_some()))),
            Self::EvidenceRemoved { train, artifact } => {
                one(train, E::Evidence(EvidenceEvent::Removed(artifact.clone())))
            }
            Self::EvidenceSealed {
                train,
                manifest_sha256,
                artifacts,
                total_size,
                ..
            } => one(
                train,
                E::Evidence(EvidenceEvent::Sealed {
                    artifacts: *artifacts,
                    total_size: *total_size,
                    manifest_sha256: manifest_sha256.clone(),
                }),
            ),
            Self::TrainDeleted { .. }
            | Self::ServiceRegistered { .. }
            | Self::ServiceUpdated { .. }
            | Self::TrackCreated { .. }
            | Self::TrackUpdated { .. }
            | Self::TrackArchived { .. }
            | Self::ServiceRetired { .. }
            | Self::FreezeSaved { .. }
            | Self::FreezeDeleted { .. }
            | Self::RotationUpdated { .. }
            | Self::GateTemplateSaved { .. }
            | Self::GateTemplateDeleted { .. }
            | Self::EnvironmentCreated { .. }
            | Self::EnvironmentUpdated { .. }
            | Self::EnvironmentDeleted { .. }
            | Self::PolicyUpdated { .. }
            | Self::PolicyImported { .. }
            | Self::EvidenceRefused { .. }
            | Self::Session { .. }
            | Self::Token { .. }
            | Self::ReleaseNoteCategoriesSet { .. }
            | Self::Webhook { .. } => Vec::new(),
        }
    }
}

fn uploaded(artifact: &ArtifactLine, replaced: bool) -> EvidenceEvent {
    if replaced {
        EvidenceEvent::Replaced(artifact.clone())
    } else {
        EvidenceEvent::Uploaded(artifact.clone())
    }
}
