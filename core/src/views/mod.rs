//! Views the screens need, computed in the core so the shells stay thin.

pub mod caseload;
pub mod conflicts;
pub mod contacts;
pub mod coping;
mod export;
pub mod news;
pub mod participant;
pub mod recovery_time;
pub mod scores;
pub mod today;

pub use caseload::{CaseloadRow, ContactPriority};
pub use conflicts::ConflictView;
pub use coping::RankedStrategy;
pub use news::Notice;
pub use participant::ParticipantOverview;
pub use scores::{Barc10Summary, GasSummary};
pub use today::{ReachedMilestone, Today, UnsentRecord, UpcomingMilestone};
