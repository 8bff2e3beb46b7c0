//! FFI shapes of the core's views where the core's own type cannot cross as it
//! is: counts kept as `usize` (UniFFI has no `usize`: they cross as `u64`),
//! the built-in crisis lines (`&'static` data), and changes whose fields are
//! free JSON. Records and every other view cross as the core defines them.

use alongside_core::Timestamp;
use alongside_core::library::crisis;
use alongside_core::model::{CheckIn, CopingStrategy, Goal, ReachOut};
use alongside_core::schema::Collection;
use alongside_core::store::{OutboxEntry, OutboxState};
use alongside_core::sync::{self, SyncState};
use alongside_core::views::ContactPriority;

use crate::error::AlongsideError;

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// One row of a peer worker's caseload, ordered by who needs contact first.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseloadEntry {
    pub participant_id: String,
    pub display_name: String,
    /// Only when the participant shares milestones.
    pub days_in_recovery: Option<i64>,
    /// Urgent first, then oldest first.
    pub open_reach_outs: Vec<ReachOut>,
    pub unread_messages: u64,
    /// Only when the participant shares check-ins.
    pub last_check_in: Option<CheckIn>,
    /// Active goals scored below expected or past their target date.
    pub goals_needing_attention: Vec<Goal>,
    pub priority: ContactPriority,
}

impl From<alongside_core::views::CaseloadRow> for CaseloadEntry {
    fn from(row: alongside_core::views::CaseloadRow) -> Self {
        CaseloadEntry {
            participant_id: row.participant_id,
            display_name: row.display_name,
            days_in_recovery: row.days_in_recovery,
            open_reach_outs: row.open_reach_outs,
            unread_messages: count(row.unread_messages),
            last_check_in: row.last_check_in,
            goals_needing_attention: row.goals_needing_attention,
            priority: row.priority,
        }
    }
}

/// A coping strategy with how much it has helped.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RankedStrategy {
    pub strategy: CopingStrategy,
    pub uses: u64,
    /// Mean helpfulness, 1..5, over uses that rated it.
    pub average_helpfulness: Option<f64>,
    /// Mean drop in craving (before − after) over uses that recorded both.
    pub average_craving_drop: Option<f64>,
    /// 0..1, what the ranking sorts by after favorites.
    pub score: Option<f64>,
}

impl From<alongside_core::views::RankedStrategy> for RankedStrategy {
    fn from(ranked: alongside_core::views::RankedStrategy) -> Self {
        RankedStrategy {
            strategy: ranked.strategy,
            uses: count(ranked.uses),
            average_helpfulness: ranked.average_helpfulness,
            average_craving_drop: ranked.average_craving_drop,
            score: ranked.score,
        }
    }
}

/// Goal Attainment Scaling over the active scored goals.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GasSummary {
    /// The Kiresuk–Sherman T-score (50 = as expected); `None` with no scored goal.
    pub t_score: Option<f64>,
    pub goals_scored: u64,
}

impl From<alongside_core::views::GasSummary> for GasSummary {
    fn from(summary: alongside_core::views::GasSummary) -> Self {
        GasSummary { t_score: summary.t_score, goals_scored: count(summary.goals_scored) }
    }
}

/// The latest BARC-10 and the change since the one before.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Barc10Summary {
    /// 10..60.
    pub total: i64,
    pub taken_on: alongside_core::CalendarDate,
    pub previous_total: Option<i64>,
    pub change: Option<i64>,
    pub assessments: u64,
}

impl From<alongside_core::views::Barc10Summary> for Barc10Summary {
    fn from(summary: alongside_core::views::Barc10Summary) -> Self {
        Barc10Summary {
            total: summary.total,
            taken_on: summary.taken_on,
            previous_total: summary.previous_total,
            change: summary.change,
            assessments: count(summary.assessments),
        }
    }
}

/// A built-in crisis line, always available offline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CrisisResource {
    pub name: String,
    pub description: String,
    pub contacts: Vec<CrisisContact>,
    pub available: String,
}

/// One way to reach a crisis line: call, text (with the words to send), TTY.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CrisisContact {
    pub channel: crisis::CrisisChannel,
    pub number: String,
    pub text_body: Option<String>,
}

impl From<&crisis::CrisisResource> for CrisisResource {
    fn from(resource: &crisis::CrisisResource) -> Self {
        CrisisResource {
            name: resource.name.to_owned(),
            description: resource.description.to_owned(),
            contacts: resource
                .contacts
                .iter()
                .map(|c| CrisisContact { channel: c.channel, number: c.number.to_owned(), text_body: c.text_body.map(str::to_owned) })
                .collect(),
            available: resource.available.to_owned(),
        }
    }
}

pub(crate) fn crisis_lines() -> Vec<CrisisResource> {
    crisis::crisis_resources(crate::language::current()).iter().map(CrisisResource::from).collect()
}

/// What became of a reach-out, told truthfully.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Delivery {
    /// The server applied it and a peer worker has the person on their
    /// caseload: their devices get it on their next sync.
    Delivered,
    /// The server has it, but no peer worker is assigned to read it yet.
    NoPeerWorker,
    /// The server refused it; it stays on the phone with the reason.
    Refused { code: String, reason: String },
    /// Not through yet (no network, or no answer in time); kept, and sent
    /// with the next sync.
    Waiting,
}

/// Someone to call or text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Callable {
    pub name: String,
    pub phone: String,
    /// Within the hours they usually answer; `None` when they gave none.
    pub available_now: Option<bool>,
}

/// Whom to reach instead of waiting, or as well.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Help {
    pub peer_worker: Option<Callable>,
    /// The program's on-call line, offered unless the peer worker is
    /// answering now.
    pub on_call: Option<Callable>,
    pub crisis_lines: Vec<CrisisResource>,
}

/// A reach-out as written, what became of it, and whom else to reach.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReachOutSent {
    pub reach_out: ReachOut,
    pub delivery: Delivery,
    pub help: Help,
}

impl From<sync::ReachOutAnswer> for ReachOutSent {
    fn from(answer: sync::ReachOutAnswer) -> Self {
        let callable = |c: sync::Callable| Callable { name: c.name, phone: c.phone, available_now: c.available_now };
        let delivery = match answer.delivery {
            sync::Delivery::Delivered => Delivery::Delivered,
            sync::Delivery::NoPeerWorker => Delivery::NoPeerWorker,
            sync::Delivery::Refused { code, reason } => Delivery::Refused { code, reason },
            sync::Delivery::Waiting => Delivery::Waiting,
        };
        let help = Help {
            peer_worker: answer.help.peer_worker.map(callable),
            on_call: answer.help.on_call.map(callable),
            crisis_lines: answer.help.crisis_lines.iter().map(CrisisResource::from).collect(),
        };
        ReachOutSent { reach_out: answer.reach_out, delivery, help }
    }
}

/// A change made on this device that the server has not taken: waiting to be
/// sent, or refused with the server's reason (it is kept, never dropped).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxItem {
    pub change_id: String,
    pub collection: Collection,
    pub record_id: String,
    pub participant_id: String,
    /// The fields the change sets, as a JSON object.
    pub fields_json: String,
    pub state: OutboxState,
    /// For a refused change: the protocol's code (`forbidden`, `locked`,
    /// `consent_withdrawn`, ...) and the words to show.
    pub error_code: Option<String>,
    pub error_reason: Option<String>,
}

impl TryFrom<OutboxEntry> for OutboxItem {
    type Error = AlongsideError;

    fn try_from(entry: OutboxEntry) -> Result<Self, AlongsideError> {
        let collection = entry.change.collection.parse::<Collection>().map_err(|e| AlongsideError::Storage { reason: e.to_string() })?;
        Ok(OutboxItem {
            change_id: entry.change.change_id,
            collection,
            record_id: entry.change.record_id,
            participant_id: entry.change.participant_id,
            fields_json: serde_json::Value::Object(entry.change.fields).to_string(),
            state: entry.state,
            error_code: entry.error_code,
            error_reason: entry.error_message,
        })
    }
}

/// Where sync stands, for a status line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Changes waiting to be sent.
    pub pending: u64,
    pub last_success: Option<Timestamp>,
    /// Progress of the pass running now (or the last one).
    pub pushed: u64,
    pub pulled: u64,
}

impl From<alongside_core::sync::SyncStatus> for SyncStatus {
    fn from(status: alongside_core::sync::SyncStatus) -> Self {
        SyncStatus {
            state: status.state,
            pending: status.pending,
            last_success: status.last_success,
            pushed: count(status.progress.pushed),
            pulled: count(status.progress.pulled),
        }
    }
}

/// What one sync pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Changes the server took.
    pub pushed: u64,
    /// Changes the server refused; see `outbox()` for why.
    pub rejected: u64,
    /// Changes pulled and merged.
    pub pulled: u64,
    /// Participants' data removed on the server's word (sharing withdrawn).
    pub purges: u64,
}

impl From<alongside_core::sync::SyncReport> for SyncReport {
    fn from(report: alongside_core::sync::SyncReport) -> Self {
        SyncReport {
            pushed: count(report.pushed),
            rejected: count(report.rejected),
            pulled: count(report.pulled),
            purges: count(report.purges),
        }
    }
}

/// Who this device is signed in as.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Account {
    /// For a participant, also their participant id.
    pub user_id: String,
    pub role: Role,
    pub display_name: String,
    /// The server's id of this device.
    pub device_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    Participant,
    PeerWorker,
    Admin,
}

impl TryFrom<alongside_core::store::Session> for Account {
    type Error = AlongsideError;

    fn try_from(session: alongside_core::store::Session) -> Result<Self, AlongsideError> {
        let role = match session.role.as_str() {
            "participant" => Role::Participant,
            "peer_worker" => Role::PeerWorker,
            "admin" => Role::Admin,
            other => {
                return Err(AlongsideError::Server {
                    status: 0,
                    code: "bad_response".into(),
                    reason: format!("unknown role {other:?}"),
                    retry_after_seconds: None,
                });
            }
        };
        Ok(Account { user_id: session.user_id, role, display_name: session.display_name, device_id: session.device_id })
    }
}

/// An invite for a new participant: read the code aloud or send it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Invite {
    pub code: String,
    pub expires_at: alongside_core::Timestamp,
}

/// A participant this person sees, as the server knows them now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ParticipantSummary {
    pub participant_id: String,
    pub display_name: String,
    /// The categories shared now (`goals`, `check_ins`, ...).
    pub shared: Vec<String>,
}

impl From<alongside_core::protocol::ParticipantView> for ParticipantSummary {
    fn from(view: alongside_core::protocol::ParticipantView) -> Self {
        ParticipantSummary { participant_id: view.id, display_name: view.display_name, shared: view.shared }
    }
}
