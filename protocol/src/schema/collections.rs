//! PROTOCOL.md's Collections table, row by row. Change this table and the
//! protocol together, or not at all.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Rejection;

/// The category a collection belongs to; categories drive sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Visible to the participant's peer worker whatever is shared.
    Always,
    Goals,
    Milestones,
    CheckIns,
    Coping,
    Contacts,
    SafetyPlan,
    Assessments,
}

impl Category {
    /// The categories a participant chooses to share, in the order a
    /// sharing screen lists them.
    pub const SHAREABLE: [Category; 7] = [
        Category::Goals,
        Category::Milestones,
        Category::CheckIns,
        Category::Coping,
        Category::Contacts,
        Category::SafetyPlan,
        Category::Assessments,
    ];
}

/// What values a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A string of 1 to `max` Unicode scalar values.
    Text {
        max: usize,
    },
    /// An IANA time zone name.
    TimeZone,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 with offset.
    Instant,
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    OneOf(&'static [&'static str]),
    Uuid,
    TextList {
        max: usize,
        max_items: usize,
    },
    UuidList {
        max_items: usize,
    },
    /// A list of values from the set, at least `min_items` of them.
    OneOfList {
        values: &'static [&'static str],
        min_items: usize,
    },
    /// Exactly `len` integers in `min..=max`.
    IntList {
        len: usize,
        min: i64,
        max: i64,
    },
    /// The Goal Attainment Scaling levels: an object with keys "-2".."2" of text(500)?.
    GasLevels,
}

/// One field of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    /// `?` in the table: may be null or absent. Other fields (bools excepted)
    /// must be in the change that creates the record.
    pub optional: bool,
}

const fn field(name: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { name, kind, optional: false }
}

const fn maybe(name: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { name, kind, optional: true }
}

const fn text(max: usize) -> FieldKind {
    FieldKind::Text { max }
}

const fn int(min: i64, max: i64) -> FieldKind {
    FieldKind::Int { min, max }
}

use FieldKind::{Bool, Date, Instant, OneOf, TimeZone, Uuid};

pub const GOAL_AREAS: &[&str] =
    &["recovery", "parenting", "health", "housing", "employment", "education", "legal", "relationships", "finances", "other"];
pub const GOAL_STATUSES: &[&str] = &["active", "achieved", "paused", "archived"];
pub const MILESTONE_KINDS: &[&str] = &["recovery_time", "personal"];
pub const COPING_CATEGORIES: &[&str] = &["craving", "stress", "mood", "parenting", "sleep", "anger", "other"];
pub const STRATEGY_SOURCES: &[&str] = &["builtin", "personal", "peer"];
pub const CONTACT_ROLES: &[&str] =
    &["peer_worker", "sponsor", "counselor", "family", "friend", "medical", "childcare", "crisis_line", "other"];
pub const URGENCIES: &[&str] = &["when_you_can", "today", "urgent"];
pub const REACH_OUT_STATUSES: &[&str] = &["open", "acknowledged", "resolved"];
pub const INSTRUMENTS: &[&str] = &["barc10"];
pub const NOTE_STATUSES: &[&str] = &["draft", "submitted"];
pub const ENCOUNTER_MODES: &[&str] = &["in_person", "phone", "video", "text"];
pub const ENCOUNTER_LOCATIONS: &[&str] = &["home", "community", "office", "hospital", "court", "shelter", "other"];
pub const SERVICE_TYPES: &[&str] =
    &["recovery_coaching", "resource_navigation", "crisis_support", "group", "advocacy", "family_support", "other"];

const DELETED: FieldSpec = field("deleted", Bool);

const PROFILE: &[FieldSpec] = &[field("display_name", text(80)), maybe("pronouns", text(40)), field("timezone", TimeZone), DELETED];

const SHARING: &[FieldSpec] = &[
    field("goals", Bool),
    field("milestones", Bool),
    field("check_ins", Bool),
    field("coping", Bool),
    field("contacts", Bool),
    field("safety_plan", Bool),
    field("assessments", Bool),
    maybe("signed_at", Instant),
    maybe("expires_on", Date),
    DELETED,
];

const RECOVERY_PERIODS: &[FieldSpec] = &[field("start_date", Date), maybe("end_date", Date), maybe("note", text(2000)), DELETED];

const GOALS: &[FieldSpec] = &[
    field("title", text(200)),
    maybe("description", text(4000)),
    field("area", OneOf(GOAL_AREAS)),
    field("status", OneOf(GOAL_STATUSES)),
    maybe("target_date", Date),
    maybe("gas_levels", FieldKind::GasLevels),
    maybe("gas_score", int(-2, 2)),
    maybe("gas_weight", int(1, 10)),
    DELETED,
];

const GOAL_PROGRESS: &[FieldSpec] =
    &[field("goal_id", Uuid), maybe("score", int(-2, 2)), maybe("note", text(2000)), field("recorded_at", Instant), DELETED];

const MILESTONES: &[FieldSpec] = &[
    field("title", text(200)),
    field("kind", OneOf(MILESTONE_KINDS)),
    maybe("days", int(1, i64::MAX)),
    maybe("goal_id", Uuid),
    maybe("target_date", Date),
    maybe("achieved_on", Date),
    field("celebrated", Bool),
    maybe("note", text(2000)),
    DELETED,
];

const COPING_STRATEGIES: &[FieldSpec] = &[
    field("title", text(200)),
    field("steps", FieldKind::TextList { max: 500, max_items: 20 }),
    field("category", OneOf(COPING_CATEGORIES)),
    field("triggers", FieldKind::TextList { max: 100, max_items: 20 }),
    field("favorite", Bool),
    field("source", OneOf(STRATEGY_SOURCES)),
    DELETED,
];

const COPING_USES: &[FieldSpec] = &[
    field("strategy_id", Uuid),
    field("used_at", Instant),
    maybe("helpfulness", int(1, 5)),
    maybe("craving_before", int(0, 10)),
    maybe("craving_after", int(0, 10)),
    maybe("note", text(2000)),
    DELETED,
];

const CONTACTS: &[FieldSpec] = &[
    field("name", text(120)),
    field("role", OneOf(CONTACT_ROLES)),
    maybe("phone", text(40)),
    field("can_text", Bool),
    maybe("email", text(200)),
    maybe("availability", text(200)),
    field("is_emergency", Bool),
    maybe("notes", text(2000)),
    DELETED,
];

const CHECK_INS: &[FieldSpec] =
    &[field("at", Instant), field("mood", int(1, 5)), maybe("craving", int(0, 10)), maybe("note", text(2000)), DELETED];

const SAFETY_PLAN_TEXT: FieldKind = FieldKind::TextList { max: 300, max_items: 20 };
const SAFETY_PLAN_IDS: FieldKind = FieldKind::UuidList { max_items: 20 };
const SAFETY_PLAN: &[FieldSpec] = &[
    field("warning_signs", SAFETY_PLAN_TEXT),
    field("distractions", SAFETY_PLAN_TEXT),
    field("environment_steps", SAFETY_PLAN_TEXT),
    field("reasons_for_living", SAFETY_PLAN_TEXT),
    field("strategy_ids", SAFETY_PLAN_IDS),
    field("help_contact_ids", SAFETY_PLAN_IDS),
    field("professional_contact_ids", SAFETY_PLAN_IDS),
    DELETED,
];

const REACH_OUTS: &[FieldSpec] = &[
    field("urgency", OneOf(URGENCIES)),
    maybe("message", text(1000)),
    field("created_at", Instant),
    field("status", OneOf(REACH_OUT_STATUSES)),
    maybe("acknowledged_at", Instant),
    maybe("resolved_at", Instant),
    DELETED,
];

const ASSESSMENTS: &[FieldSpec] = &[
    field("instrument", OneOf(INSTRUMENTS)),
    field("responses", FieldKind::IntList { len: 10, min: 1, max: 6 }),
    field("taken_on", Date),
    maybe("note", text(2000)),
    DELETED,
];

const MESSAGES: &[FieldSpec] = &[field("body", text(4000)), field("sent_at", Instant), maybe("read_at", Instant), DELETED];

const ENCOUNTER_NOTES: &[FieldSpec] = &[
    field("status", OneOf(NOTE_STATUSES)),
    maybe("amends", Uuid),
    field("occurred_on", Date),
    field("duration_minutes", int(1, 1440)),
    field("mode", OneOf(ENCOUNTER_MODES)),
    field("location", OneOf(ENCOUNTER_LOCATIONS)),
    field("service_types", FieldKind::OneOfList { values: SERVICE_TYPES, min_items: 1 }),
    field("goal_ids", FieldKind::UuidList { max_items: usize::MAX }),
    field("summary", text(8000)),
    maybe("next_steps", text(2000)),
    DELETED,
];

/// Every collection of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    Profile,
    Sharing,
    RecoveryPeriods,
    Goals,
    GoalProgress,
    Milestones,
    CopingStrategies,
    CopingUses,
    Contacts,
    CheckIns,
    SafetyPlan,
    ReachOuts,
    Assessments,
    Messages,
    EncounterNotes,
}

impl Collection {
    pub const ALL: [Collection; 15] = [
        Collection::Profile,
        Collection::Sharing,
        Collection::RecoveryPeriods,
        Collection::Goals,
        Collection::GoalProgress,
        Collection::Milestones,
        Collection::CopingStrategies,
        Collection::CopingUses,
        Collection::Contacts,
        Collection::CheckIns,
        Collection::SafetyPlan,
        Collection::ReachOuts,
        Collection::Assessments,
        Collection::Messages,
        Collection::EncounterNotes,
    ];

    /// The wire name.
    pub const fn name(self) -> &'static str {
        match self {
            Collection::Profile => "profile",
            Collection::Sharing => "sharing",
            Collection::RecoveryPeriods => "recovery_periods",
            Collection::Goals => "goals",
            Collection::GoalProgress => "goal_progress",
            Collection::Milestones => "milestones",
            Collection::CopingStrategies => "coping_strategies",
            Collection::CopingUses => "coping_uses",
            Collection::Contacts => "contacts",
            Collection::CheckIns => "check_ins",
            Collection::SafetyPlan => "safety_plan",
            Collection::ReachOuts => "reach_outs",
            Collection::Assessments => "assessments",
            Collection::Messages => "messages",
            Collection::EncounterNotes => "encounter_notes",
        }
    }

    pub const fn category(self) -> Category {
        match self {
            Collection::Profile | Collection::Sharing | Collection::ReachOuts | Collection::Messages | Collection::EncounterNotes => {
                Category::Always
            }
            Collection::RecoveryPeriods | Collection::Milestones => Category::Milestones,
            Collection::Goals | Collection::GoalProgress => Category::Goals,
            Collection::CopingStrategies | Collection::CopingUses => Category::Coping,
            Collection::Contacts => Category::Contacts,
            Collection::CheckIns => Category::CheckIns,
            Collection::SafetyPlan => Category::SafetyPlan,
            Collection::Assessments => Category::Assessments,
        }
    }

    /// One record per participant, whose `record_id` is the `participant_id`.
    pub const fn is_singleton(self) -> bool {
        matches!(self, Collection::Profile | Collection::Sharing | Collection::SafetyPlan)
    }

    pub const fn fields(self) -> &'static [FieldSpec] {
        match self {
            Collection::Profile => PROFILE,
            Collection::Sharing => SHARING,
            Collection::RecoveryPeriods => RECOVERY_PERIODS,
            Collection::Goals => GOALS,
            Collection::GoalProgress => GOAL_PROGRESS,
            Collection::Milestones => MILESTONES,
            Collection::CopingStrategies => COPING_STRATEGIES,
            Collection::CopingUses => COPING_USES,
            Collection::Contacts => CONTACTS,
            Collection::CheckIns => CHECK_INS,
            Collection::SafetyPlan => SAFETY_PLAN,
            Collection::ReachOuts => REACH_OUTS,
            Collection::Assessments => ASSESSMENTS,
            Collection::Messages => MESSAGES,
            Collection::EncounterNotes => ENCOUNTER_NOTES,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|spec| spec.name == name)
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Collection {
    type Err = Rejection;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Collection::ALL.into_iter().find(|c| c.name() == name).ok_or_else(|| Rejection::UnknownCollection(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_collection_round_trips_its_wire_name_and_has_deleted() {
        for collection in Collection::ALL {
            assert_eq!(collection.name().parse::<Collection>(), Ok(collection));
            assert_eq!(serde_json::to_value(collection).ok(), Some(serde_json::Value::from(collection.name())));
            assert!(collection.field("deleted").is_some(), "{collection} lacks deleted");
        }
        assert_eq!("goal".parse::<Collection>(), Err(Rejection::UnknownCollection("goal".into())));
    }
}
