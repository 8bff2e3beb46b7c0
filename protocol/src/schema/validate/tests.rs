//! Tests of `validate_change_fields` and `check_id`, written from PROTOCOL.md's
//! Collections table and conventions: a second reading of the protocol, kept
//! apart from `collections.rs` on purpose. Where the two disagree, these tests fail.

use serde_json::{Map, Value, json};

use super::{check_id, validate_change_fields};
use crate::schema::{Collection, Rejection};

// ---------------------------------------------------------------------------
// The Collections table, as read from PROTOCOL.md.
// ---------------------------------------------------------------------------

/// What a field takes, in the protocol's words.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `text(n)`: 1 to n Unicode scalar values.
    Text(usize),
    /// "IANA name".
    TimeZone,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 with offset.
    Instant,
    Bool,
    /// `int a..b`.
    Int(i64, i64),
    /// `int ≥ n`.
    AtLeast(i64),
    /// "one of …".
    OneOf(&'static [&'static str]),
    Uuid,
    /// "list of text(max) (≤ items)".
    TextList {
        max: usize,
        items: usize,
    },
    /// "list(s) of uuid", with "(≤ n)" when the protocol gives one.
    UuidList(Option<usize>),
    /// `service_types`: a list of the listed values, "(≥ 1)".
    ServiceTypes,
    /// `responses`: "list of 10 ints 1..6".
    Responses,
    /// `gas_levels`: "object with keys "-2","-1","0","1","2" of text(500)?".
    GasLevels,
}

#[derive(Debug, Clone, Copy)]
struct Field {
    name: &'static str,
    kind: Kind,
    /// `?` in the table.
    optional: bool,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, optional: false }
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, optional: true }
}

const AREAS: &[&str] =
    &["recovery", "parenting", "health", "housing", "employment", "education", "legal", "relationships", "finances", "other"];
const GOAL_STATUSES: &[&str] = &["active", "achieved", "paused", "archived"];
const MILESTONE_KINDS: &[&str] = &["recovery_time", "personal"];
const COPING_CATEGORIES: &[&str] = &["craving", "stress", "mood", "parenting", "sleep", "anger", "other"];
const SOURCES: &[&str] = &["builtin", "personal", "peer"];
const ROLES: &[&str] = &["peer_worker", "sponsor", "counselor", "family", "friend", "medical", "childcare", "crisis_line", "other"];
const URGENCIES: &[&str] = &["when_you_can", "today", "urgent"];
const REACH_OUT_STATUSES: &[&str] = &["open", "acknowledged", "resolved"];
const INSTRUMENTS: &[&str] = &["barc10"];
const NOTE_STATUSES: &[&str] = &["draft", "submitted"];
const MODES: &[&str] = &["in_person", "phone", "video", "text"];
const LOCATIONS: &[&str] = &["home", "community", "office", "hospital", "court", "shelter", "other"];
const SERVICE_TYPES: &[&str] =
    &["recovery_coaching", "resource_navigation", "crisis_support", "group", "advocacy", "family_support", "other"];

/// The fields of `collection` per the protocol, `deleted` (bool) included.
fn protocol_fields(collection: Collection) -> Vec<Field> {
    use Kind::*;
    let mut fields = match collection {
        Collection::Profile => vec![req("display_name", Text(80)), opt("pronouns", Text(40)), req("timezone", TimeZone)],
        Collection::Sharing => vec![
            req("goals", Bool),
            req("milestones", Bool),
            req("check_ins", Bool),
            req("coping", Bool),
            req("contacts", Bool),
            req("safety_plan", Bool),
            req("assessments", Bool),
            opt("signed_at", Instant),
            opt("expires_on", Date),
        ],
        Collection::RecoveryPeriods => vec![req("start_date", Date), opt("end_date", Date), opt("note", Text(2000))],
        Collection::Goals => vec![
            req("title", Text(200)),
            opt("description", Text(4000)),
            req("area", OneOf(AREAS)),
            req("status", OneOf(GOAL_STATUSES)),
            opt("target_date", Date),
            opt("gas_levels", GasLevels),
            opt("gas_score", Int(-2, 2)),
            opt("gas_weight", Int(1, 10)),
        ],
        Collection::GoalProgress => {
            vec![req("goal_id", Uuid), opt("score", Int(-2, 2)), opt("note", Text(2000)), req("recorded_at", Instant)]
        }
        Collection::Milestones => vec![
            req("title", Text(200)),
            req("kind", OneOf(MILESTONE_KINDS)),
            opt("days", AtLeast(1)),
            opt("goal_id", Uuid),
            opt("target_date", Date),
            opt("achieved_on", Date),
            req("celebrated", Bool),
            opt("note", Text(2000)),
        ],
        Collection::CopingStrategies => vec![
            req("title", Text(200)),
            req("steps", TextList { max: 500, items: 20 }),
            req("category", OneOf(COPING_CATEGORIES)),
            req("triggers", TextList { max: 100, items: 20 }),
            req("favorite", Bool),
            req("source", OneOf(SOURCES)),
        ],
        Collection::CopingUses => vec![
            req("strategy_id", Uuid),
            req("used_at", Instant),
            opt("helpfulness", Int(1, 5)),
            opt("craving_before", Int(0, 10)),
            opt("craving_after", Int(0, 10)),
            opt("note", Text(2000)),
        ],
        Collection::Contacts => vec![
            req("name", Text(120)),
            req("role", OneOf(ROLES)),
            opt("phone", Text(40)),
            req("can_text", Bool),
            opt("email", Text(200)),
            opt("availability", Text(200)),
            req("is_emergency", Bool),
            opt("notes", Text(2000)),
        ],
        Collection::CheckIns => vec![req("at", Instant), req("mood", Int(1, 5)), opt("craving", Int(0, 10)), opt("note", Text(2000))],
        Collection::SafetyPlan => vec![
            req("warning_signs", TextList { max: 300, items: 20 }),
            req("distractions", TextList { max: 300, items: 20 }),
            req("environment_steps", TextList { max: 300, items: 20 }),
            req("reasons_for_living", TextList { max: 300, items: 20 }),
            req("strategy_ids", UuidList(Some(20))),
            req("help_contact_ids", UuidList(Some(20))),
            req("professional_contact_ids", UuidList(Some(20))),
        ],
        Collection::ReachOuts => vec![
            req("urgency", OneOf(URGENCIES)),
            opt("message", Text(1000)),
            req("created_at", Instant),
            req("status", OneOf(REACH_OUT_STATUSES)),
            opt("acknowledged_at", Instant),
            opt("resolved_at", Instant),
        ],
        Collection::Assessments => {
            vec![req("instrument", OneOf(INSTRUMENTS)), req("responses", Responses), req("taken_on", Date), opt("note", Text(2000))]
        }
        Collection::Messages => vec![req("body", Text(4000)), req("sent_at", Instant), opt("read_at", Instant)],
        Collection::EncounterNotes => vec![
            req("status", OneOf(NOTE_STATUSES)),
            opt("amends", Uuid),
            req("occurred_on", Date),
            req("duration_minutes", Int(1, 1440)),
            req("mode", OneOf(MODES)),
            req("location", OneOf(LOCATIONS)),
            req("service_types", ServiceTypes),
            req("goal_ids", UuidList(None)),
            req("summary", Text(8000)),
            opt("next_steps", Text(2000)),
        ],
    };
    fields.push(req("deleted", Bool));
    fields
}

// ---------------------------------------------------------------------------
// Example creates, written by hand for every collection.
// ---------------------------------------------------------------------------

const ID_A: &str = "3f2a6c1e-8b4d-4e5f-9a0b-1c2d3e4f5a6b";
const ID_B: &str = "0b9e7d52-1a3c-4f60-8e21-7c5d4b3a2f10";
const AT: &str = "2026-11-23T08:15:00Z";

/// A create with the required fields only (bools are never required, so none
/// appear, except in `sharing`, whose fields are all bools or optional and a
/// change must set at least one field).
fn minimal_create(collection: Collection) -> Value {
    match collection {
        Collection::Profile => json!({"display_name": "Sam", "timezone": "America/New_York"}),
        Collection::Sharing => json!({"goals": true}),
        Collection::RecoveryPeriods => json!({"start_date": "2026-01-05"}),
        Collection::Goals => json!({"title": "Walk the kids to school", "area": "parenting", "status": "active"}),
        Collection::GoalProgress => json!({"goal_id": ID_A, "recorded_at": AT}),
        Collection::Milestones => json!({"title": "First month", "kind": "personal"}),
        Collection::CopingStrategies => json!({
            "title": "Box breathing", "steps": ["Breathe in for four"], "category": "craving",
            "triggers": ["payday"], "source": "personal"
        }),
        Collection::CopingUses => json!({"strategy_id": ID_A, "used_at": AT}),
        Collection::Contacts => json!({"name": "Dana", "role": "sponsor"}),
        Collection::CheckIns => json!({"at": AT, "mood": 3}),
        Collection::SafetyPlan => json!({
            "warning_signs": [], "distractions": [], "environment_steps": [], "reasons_for_living": [],
            "strategy_ids": [], "help_contact_ids": [], "professional_contact_ids": []
        }),
        Collection::ReachOuts => json!({"urgency": "today", "created_at": AT, "status": "open"}),
        Collection::Assessments => json!({"instrument": "barc10", "responses": [1, 2, 3, 4, 5, 6, 6, 5, 4, 3], "taken_on": "2026-11-23"}),
        Collection::Messages => json!({"body": "Running late, see you at 10", "sent_at": AT}),
        Collection::EncounterNotes => json!({
            "status": "draft", "occurred_on": "2026-11-23", "duration_minutes": 45, "mode": "in_person",
            "location": "community", "service_types": ["recovery_coaching"], "goal_ids": [], "summary": "Met at the library."
        }),
    }
}

/// A create with every field of the collection.
fn full_create(collection: Collection) -> Value {
    match collection {
        Collection::Profile => json!({"display_name": "Sam", "pronouns": "they/them", "timezone": "America/New_York", "deleted": false}),
        Collection::Sharing => json!({
            "goals": true, "milestones": true, "check_ins": false, "coping": true, "contacts": false,
            "safety_plan": true, "assessments": false, "signed_at": AT, "expires_on": "2027-11-23", "deleted": false
        }),
        Collection::RecoveryPeriods => {
            json!({"start_date": "2026-01-05", "end_date": "2026-03-01", "note": "Hard winter", "deleted": false})
        }
        Collection::Goals => json!({
            "title": "Walk the kids to school", "description": "Every weekday", "area": "parenting", "status": "active",
            "target_date": "2027-01-31",
            "gas_levels": {"-2": "Never", "-1": "Once a week", "0": "Three days", "1": "Four days", "2": "Every day"},
            "gas_score": 0, "gas_weight": 3, "deleted": false
        }),
        Collection::GoalProgress => {
            json!({"goal_id": ID_A, "score": 1, "note": "Four days this week", "recorded_at": AT, "deleted": false})
        }
        Collection::Milestones => json!({
            "title": "Ninety days", "kind": "recovery_time", "days": 90, "goal_id": ID_A, "target_date": "2027-02-21",
            "achieved_on": "2027-02-21", "celebrated": true, "note": "Cake", "deleted": false
        }),
        Collection::CopingStrategies => json!({
            "title": "Box breathing", "steps": ["Breathe in for four", "Hold for four"], "category": "stress",
            "triggers": ["payday", "court dates"], "favorite": true, "source": "peer", "deleted": false
        }),
        Collection::CopingUses => json!({
            "strategy_id": ID_A, "used_at": AT, "helpfulness": 4, "craving_before": 7, "craving_after": 3,
            "note": "Helped", "deleted": false
        }),
        Collection::Contacts => json!({
            "name": "Dana", "role": "sponsor", "phone": "+1 555 0100", "can_text": true, "email": "dana@example.org",
            "availability": "Evenings", "is_emergency": true, "notes": "Call first", "deleted": false
        }),
        Collection::CheckIns => json!({"at": AT, "mood": 3, "craving": 2, "note": "Tired", "deleted": false}),
        Collection::SafetyPlan => json!({
            "warning_signs": ["Skipping meals"], "distractions": ["Walk the dog"], "environment_steps": ["No cash at home"],
            "reasons_for_living": ["My kids"], "strategy_ids": [ID_A], "help_contact_ids": [ID_A, ID_B],
            "professional_contact_ids": [ID_B], "deleted": false
        }),
        Collection::ReachOuts => json!({
            "urgency": "urgent", "message": "Can you call me?", "created_at": AT, "status": "resolved",
            "acknowledged_at": "2026-11-23T08:20:00+02:00", "resolved_at": "2026-11-23T09:00:00-05:00", "deleted": false
        }),
        Collection::Assessments => json!({
            "instrument": "barc10", "responses": [6, 6, 6, 6, 6, 6, 6, 6, 6, 6], "taken_on": "2026-11-23",
            "note": "Intake", "deleted": false
        }),
        Collection::Messages => json!({"body": "Running late", "sent_at": AT, "read_at": "2026-11-23T08:16:00Z", "deleted": false}),
        Collection::EncounterNotes => json!({
            "status": "submitted", "amends": ID_A, "occurred_on": "2026-11-23", "duration_minutes": 45, "mode": "video",
            "location": "other", "service_types": ["recovery_coaching", "advocacy"], "goal_ids": [ID_A, ID_B],
            "summary": "Talked about housing.", "next_steps": "Call the landlord", "deleted": false
        }),
    }
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

fn as_map(fields: &Value) -> Map<String, Value> {
    match fields {
        Value::Object(map) => map.clone(),
        other => panic!("test fields must be a JSON object, got {other}"),
    }
}

fn single(name: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(name.to_owned(), value);
    Value::Object(map)
}

fn with(base: &Value, name: &str, value: Value) -> Value {
    let mut map = as_map(base);
    map.insert(name.to_owned(), value);
    Value::Object(map)
}

fn without(base: &Value, name: &str) -> Value {
    let mut map = as_map(base);
    map.remove(name);
    Value::Object(map)
}

/// A short rendering of a value for failure messages (some are 8000 characters).
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 100 { format!("{}…", text.chars().take(100).collect::<String>()) } else { text }
}

fn validate(collection: Collection, fields: &Value, creating: bool) -> Result<(), Rejection> {
    validate_change_fields(collection, &as_map(fields), creating)
}

/// Collects every failed expectation so one run lists them all.
#[derive(Debug, Default)]
struct Checker {
    failures: Vec<String>,
}

impl Checker {
    #[track_caller]
    fn accepts(&mut self, collection: Collection, fields: &Value, creating: bool) {
        let location = std::panic::Location::caller();
        if let Err(rejection) = validate(collection, fields, creating) {
            self.failures.push(format!("{location}: {collection} {} (creating: {creating}) was rejected: {rejection:?}", show(fields)));
        }
    }

    /// Expects `Rejection::Invalid` naming `field`, with the `validation_failed`
    /// code, the field as its `field` and a message that names it (as the
    /// protocol asks).
    #[track_caller]
    fn rejects(&mut self, collection: Collection, fields: &Value, creating: bool, field: &str) {
        let location = std::panic::Location::caller();
        let outcome = validate(collection, fields, creating);
        let named = matches!(&outcome, Err(rejection @ Rejection::Invalid { field: named, .. })
            if named == field
                && rejection.code().as_str() == "validation_failed"
                && rejection.field() == Some(field)
                && rejection.to_string().contains(field));
        if !named {
            self.failures.push(format!(
                "{location}: {collection} {} (creating: {creating}) should be rejected naming {field:?}, got {outcome:?}",
                show(fields)
            ));
        }
    }

    #[track_caller]
    fn unknown(&mut self, collection: Collection, fields: &Value, creating: bool, field: &str) {
        let location = std::panic::Location::caller();
        let expected = Rejection::UnknownField { collection: collection.name().to_owned(), field: field.to_owned() };
        match validate(collection, fields, creating) {
            Err(rejection) if rejection == expected && rejection.code().as_str() == "unknown_field" && rejection.field() == Some(field) => {
            }
            other => self.failures.push(format!("{location}: {collection} {} should be {expected:?}, got {other:?}", show(fields))),
        }
    }

    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    fn finish(self) {
        assert!(self.failures.is_empty(), "{} failure(s):\n{}", self.failures.len(), self.failures.join("\n"));
    }
}

/// Values a field of `kind` must accept, and values it must reject.
fn cases(kind: Kind) -> (Vec<Value>, Vec<Value>) {
    match kind {
        Kind::Text(max) => {
            let accented = "é".repeat(max);
            assert!(accented.len() > max, "'é' is two bytes: {max} of them are more than {max} bytes");
            // n + 1 scalar values in fewer than n graphemes: 👍🏽 is one grapheme of two scalars.
            let mut skin_toned = "👍🏽".repeat(max.div_ceil(2));
            if (max + 1) % 2 == 1 {
                skin_toned.push('a');
            }
            assert_eq!(skin_toned.chars().count(), max + 1);
            (
                vec![json!("x"), json!("a".repeat(max)), json!(accented), json!("🙂".repeat(max))],
                vec![
                    json!(""),
                    json!("a".repeat(max + 1)),
                    json!("é".repeat(max + 1)),
                    json!("🙂".repeat(max + 1)),
                    json!(skin_toned),
                    json!(1),
                    json!(true),
                    json!(["x"]),
                    json!({"text": "x"}),
                ],
            )
        }
        Kind::TimeZone => (
            vec![json!("America/New_York"), json!("Europe/London"), json!("Australia/Adelaide"), json!("UTC")],
            vec![json!("Mars/Olympus"), json!(""), json!("+02:00"), json!("New York"), json!(5)],
        ),
        Kind::Date => (
            vec![json!("2026-11-23"), json!("2024-02-29"), json!("2026-01-05")],
            vec![
                json!("2026-02-30"),
                json!("2025-02-29"),
                json!("2026-13-01"),
                json!("2026-1-5"),
                json!("2026-01-5"),
                json!("23/11/2026"),
                json!("2026/11/23"),
                json!("20261123"),
                json!(" 2026-11-23"),
                json!("2026-11-23 "),
                json!("2026-11-23T08:15:00Z"),
                json!(""),
                json!(20261123),
            ],
        ),
        Kind::Instant => (
            vec![json!(AT), json!("2026-11-23T08:15:00+02:00"), json!("2026-11-23T08:15:00-05:00"), json!("2026-11-23T08:15:00.250Z")],
            vec![
                json!("2026-11-23T08:15:00"),
                json!("2026-11-23T08:15:00.250"),
                json!("2026-11-23"),
                json!("2026-11-23T08:15Z"),
                json!("2026-02-30T08:15:00Z"),
                json!("2026-11-23T25:00:00Z"),
                json!(""),
                json!(1_763_880_000_000_i64),
            ],
        ),
        Kind::Bool => (vec![json!(true), json!(false)], vec![json!("true"), json!("false"), json!(1), json!(0)]),
        Kind::Int(min, max) => {
            (vec![json!(min), json!(max)], vec![json!(min - 1), json!(max + 1), json!(1.5), json!("1"), json!(true), json!([min])])
        }
        Kind::AtLeast(min) => {
            (vec![json!(min), json!(36_500), json!(i64::MAX)], vec![json!(min - 1), json!(-1), json!(1.5), json!("1"), json!(true)])
        }
        Kind::OneOf(values) => {
            let good = values.iter().map(|value| json!(value)).collect();
            let mut bad = vec![json!("unlisted"), json!(""), json!(1), json!([values[0]])];
            for value in values {
                let mut capitalised = value[..1].to_uppercase();
                capitalised.push_str(&value[1..]);
                bad.push(json!(capitalised));
                bad.push(json!(value.to_uppercase()));
                bad.push(json!(format!(" {value}")));
            }
            (good, bad)
        }
        Kind::Uuid => (
            vec![json!(ID_A), json!(ID_B), json!("00000000-0000-0000-0000-000000000000")],
            vec![
                json!(ID_A.to_uppercase()),
                json!("3f2a6c1e-8b4d-4e5f-9a0b-1c2d3e4f5a6B"),
                json!(ID_A.replace('-', "")),
                json!(format!("{{{ID_A}}}")),
                json!(format!("urn:uuid:{ID_A}")),
                json!("3f2a6c1e-8b4d-4e5f-9a0b-1c2d3e4f5a6"),
                json!("3f2a6c1e-8b4d-4e5f-9a0b-1c2d3e4f5a6g"),
                json!("3f2a6c1e8-b4d-4e5f-9a0b-1c2d3e4f5a6b"),
                json!(""),
                json!(12),
            ],
        ),
        Kind::TextList { max, items } => (
            vec![json!([]), json!(["x"]), json!(vec!["é".repeat(max); items])],
            vec![
                json!(vec!["a"; items + 1]),
                json!(["x", "é".repeat(max + 1)]),
                json!(["x", ""]),
                json!(["x", 1]),
                json!(["x", null]),
                json!("x"),
                json!({"0": "x"}),
            ],
        ),
        Kind::UuidList(limit) => {
            let ids = |n: usize| Value::Array((0..n).map(|i| json!(format!("00000000-0000-4000-8000-{i:012x}"))).collect());
            let mut good = vec![json!([]), json!([ID_A]), json!([ID_A, ID_B])];
            let mut bad = vec![
                json!([ID_A, ID_B.to_uppercase()]),
                json!([ID_A, ID_B.replace('-', "")]),
                json!([ID_A, "x"]),
                json!([ID_A, 1]),
                json!([ID_A, null]),
                json!(ID_A),
            ];
            match limit {
                Some(n) => {
                    good.push(ids(n));
                    bad.push(ids(n + 1));
                }
                None => good.push(ids(100)),
            }
            (good, bad)
        }
        Kind::ServiceTypes => {
            let mut good: Vec<Value> = SERVICE_TYPES.iter().map(|value| json!([value])).collect();
            good.push(json!(SERVICE_TYPES));
            good.push(json!(["group", "family_support"]));
            (
                good,
                vec![
                    json!([]),
                    json!(["Group"]),
                    json!(["group", "counseling"]),
                    json!(["group", 1]),
                    json!(["group", null]),
                    json!("group"),
                ],
            )
        }
        Kind::Responses => (
            vec![json!(vec![1; 10]), json!(vec![6; 10]), json!([1, 2, 3, 4, 5, 6, 1, 2, 3, 4])],
            vec![
                json!(vec![3; 9]),
                json!(vec![3; 11]),
                json!([]),
                json!([0, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
                json!([3, 3, 3, 3, 3, 3, 3, 3, 3, 7]),
                json!([3, 3, 3, 3, 1.5, 3, 3, 3, 3, 3]),
                json!([3, 3, 3, 3, "1", 3, 3, 3, 3, 3]),
                json!([3, 3, 3, 3, null, 3, 3, 3, 3, 3]),
                json!("3333333333"),
                json!(30),
            ],
        ),
        Kind::GasLevels => (
            vec![
                json!({"-2": "Never", "-1": "Rarely", "0": "Expected", "1": "Often", "2": "Always"}),
                json!({"-2": "é".repeat(500), "-1": "x", "0": "x", "1": "x", "2": "🙂".repeat(500)}),
                json!({"-2": null, "-1": null, "0": "Expected", "1": null, "2": null}),
                json!({"0": "Expected"}),
            ],
            vec![
                json!({"0": "Expected", "3": "Beyond"}),
                json!({"0": "Expected", "-3": "Below"}),
                json!({"0": "Expected", "+1": "Often"}),
                json!({"0": "Expected", "one": "Often"}),
                json!({"0": "é".repeat(501)}),
                json!({"0": ""}),
                json!({"0": 5}),
                json!(["Never", "Rarely", "Expected", "Often", "Always"]),
                json!("Expected"),
            ],
        ),
    }
}

/// Runs `cases` for every field (of every collection) whose kind `select`s,
/// both as a one-field update and inside a full create.
fn check_kinds(select: impl Fn(&Kind) -> bool) {
    let mut checker = Checker::default();
    let mut seen = 0;
    for collection in Collection::ALL {
        let full = full_create(collection);
        for field in protocol_fields(collection).into_iter().filter(|field| select(&field.kind)) {
            seen += 1;
            let (good, bad) = cases(field.kind);
            for value in good {
                checker.accepts(collection, &single(field.name, value.clone()), false);
                checker.accepts(collection, &with(&full, field.name, value), true);
            }
            for value in bad {
                checker.rejects(collection, &single(field.name, value.clone()), false, field.name);
                checker.rejects(collection, &with(&full, field.name, value), true, field.name);
            }
        }
    }
    assert!(seen > 0, "no field of that kind in the table");
    checker.finish();
}

// ---------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------

#[test]
fn examples_follow_the_protocol_table() {
    for collection in Collection::ALL {
        let table = protocol_fields(collection);
        let full = as_map(&full_create(collection));
        let mut names: Vec<&str> = table.iter().map(|field| field.name).collect();
        let mut full_names: Vec<&str> = full.keys().map(String::as_str).collect();
        names.sort_unstable();
        full_names.sort_unstable();
        assert_eq!(full_names, names, "{collection}: the full example must set every field");

        let minimal = as_map(&minimal_create(collection));
        let mut required: Vec<&str> = table.iter().filter(|f| !f.optional && !matches!(f.kind, Kind::Bool)).map(|f| f.name).collect();
        let mut minimal_required: Vec<&str> = minimal
            .keys()
            .map(String::as_str)
            .filter(|name| table.iter().any(|f| f.name == *name && !matches!(f.kind, Kind::Bool)))
            .collect();
        required.sort_unstable();
        minimal_required.sort_unstable();
        assert_eq!(minimal_required, required, "{collection}: the minimal example must set exactly the required non-bool fields");
    }
}

#[test]
fn code_knows_exactly_the_protocol_fields() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        let table = protocol_fields(collection);
        for spec in collection.fields() {
            if !table.iter().any(|field| field.name == spec.name) {
                checker.fail(format!("{collection}: the code knows a field {:?} the protocol does not list", spec.name));
            }
        }
        for field in &table {
            if collection.field(field.name).is_none() {
                checker.fail(format!("{collection}: the protocol lists {:?} but the code does not know it", field.name));
            }
        }
    }
    checker.finish();
}

#[test]
fn every_collection_accepts_a_create_with_its_required_fields() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        checker.accepts(collection, &minimal_create(collection), true);
        checker.accepts(collection, &minimal_create(collection), false);
    }
    checker.finish();
}

#[test]
fn every_collection_accepts_a_create_with_every_field() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        checker.accepts(collection, &full_create(collection), true);
        checker.accepts(collection, &with(&full_create(collection), "deleted", json!(true)), true);
    }
    checker.finish();
}

#[test]
fn text_fields_hold_1_to_n_unicode_scalar_values() {
    check_kinds(|kind| matches!(kind, Kind::Text(_)));
}

#[test]
fn int_fields_take_whole_numbers_within_their_range() {
    check_kinds(|kind| matches!(kind, Kind::Int(..) | Kind::AtLeast(_)));
}

#[test]
fn milestone_days_is_at_least_one_with_no_upper_bound() {
    let mut checker = Checker::default();
    checker.accepts(Collection::Milestones, &json!({"days": 1}), false);
    checker.accepts(Collection::Milestones, &json!({"days": 100_000}), false);
    checker.rejects(Collection::Milestones, &json!({"days": 0}), false, "days");
    checker.finish();
}

#[test]
fn enum_fields_take_exactly_the_listed_values() {
    check_kinds(|kind| matches!(kind, Kind::OneOf(_)));
}

#[test]
fn enum_values_are_case_sensitive() {
    let mut checker = Checker::default();
    checker.accepts(Collection::Goals, &json!({"status": "active"}), false);
    checker.rejects(Collection::Goals, &json!({"status": "Active"}), false, "status");
    checker.rejects(Collection::Assessments, &json!({"instrument": "BARC10"}), false, "instrument");
    checker.rejects(Collection::Assessments, &json!({"instrument": "barc-10"}), false, "instrument");
    checker.finish();
}

#[test]
fn dates_are_yyyy_mm_dd_calendar_days() {
    check_kinds(|kind| matches!(kind, Kind::Date));
}

/// `YYYY-MM-DD` is four, two and two digits: no sign, no padding spaces,
/// even where the string has the right length and names a real day.
#[test]
fn dates_are_exactly_four_two_and_two_digits() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        for field in protocol_fields(collection).into_iter().filter(|field| matches!(field.kind, Kind::Date)) {
            for bad in ["2026- 1-05", "2026-01- 5", "2026-1-05 ", "+202-11-23", "-202-11-23", "  26-11-23"] {
                checker.rejects(collection, &single(field.name, json!(bad)), false, field.name);
            }
        }
    }
    checker.finish();
}

#[test]
fn instants_are_rfc_3339_with_an_offset() {
    check_kinds(|kind| matches!(kind, Kind::Instant));
}

#[test]
fn uuid_fields_are_lowercase_hyphenated() {
    check_kinds(|kind| matches!(kind, Kind::Uuid));
}

#[test]
fn check_id_takes_lowercase_hyphenated_uuids_and_names_the_field() {
    assert_eq!(check_id("record_id", ID_A), Ok(()));
    assert_eq!(check_id("participant_id", ID_B), Ok(()));
    let upper = ID_A.to_uppercase();
    let bare = ID_A.replace('-', "");
    let braced = format!("{{{ID_A}}}");
    for bad in [upper.as_str(), bare.as_str(), braced.as_str(), "", "3f2a6c1e-8b4d-4e5f-9a0b-1c2d3e4f5a6", "not-a-uuid"] {
        match check_id("record_id", bad) {
            Err(Rejection::Invalid { field, .. }) => assert_eq!(field, "record_id", "{bad:?}"),
            other => panic!("check_id accepted or misreported {bad:?}: {other:?}"),
        }
    }
}

#[test]
fn bool_fields_take_only_true_or_false() {
    check_kinds(|kind| matches!(kind, Kind::Bool));
}

#[test]
fn text_and_uuid_lists_respect_item_and_length_limits() {
    check_kinds(|kind| matches!(kind, Kind::TextList { .. } | Kind::UuidList(_)));
}

#[test]
fn assessment_responses_are_ten_ints_from_1_to_6() {
    check_kinds(|kind| matches!(kind, Kind::Responses));
}

#[test]
fn gas_levels_have_keys_minus_2_to_2_of_optional_text_500() {
    check_kinds(|kind| matches!(kind, Kind::GasLevels));
}

#[test]
fn service_types_hold_at_least_one_listed_value() {
    check_kinds(|kind| matches!(kind, Kind::ServiceTypes));
}

#[test]
fn timezone_is_an_iana_name() {
    check_kinds(|kind| matches!(kind, Kind::TimeZone));
}

#[test]
fn creating_without_a_required_field_names_it_but_an_update_may_omit_it() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        let full = full_create(collection);
        let minimal = minimal_create(collection);
        for field in protocol_fields(collection).into_iter().filter(|field| !field.optional && !matches!(field.kind, Kind::Bool)) {
            checker.rejects(collection, &without(&full, field.name), true, field.name);
            checker.accepts(collection, &without(&full, field.name), false);
            checker.rejects(collection, &with(&full, field.name, Value::Null), true, field.name);
            let partial = without(&minimal, field.name);
            if !as_map(&partial).is_empty() {
                checker.rejects(collection, &partial, true, field.name);
                checker.accepts(collection, &partial, false);
            }
        }
    }
    checker.finish();
}

#[test]
fn bools_are_never_required() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        let mut create = full_create(collection);
        for field in protocol_fields(collection).into_iter().filter(|field| matches!(field.kind, Kind::Bool)) {
            create = without(&create, field.name);
        }
        if as_map(&create).is_empty() {
            // sharing: every field is a bool or optional; any one field creates it.
            checker.accepts(collection, &json!({"signed_at": AT}), true);
            checker.accepts(collection, &json!({"expires_on": "2027-01-01"}), true);
        } else {
            checker.accepts(collection, &create, true);
        }
    }
    checker.accepts(Collection::Contacts, &json!({"name": "Dana", "role": "friend"}), true);
    checker.accepts(Collection::CopingStrategies, &without(&full_create(Collection::CopingStrategies), "favorite"), true);
    checker.accepts(Collection::Milestones, &json!({"title": "x", "kind": "personal", "note": "no celebrated"}), true);
    checker.finish();
}

#[test]
fn null_is_accepted_only_on_optional_fields() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        let full = full_create(collection);
        for field in protocol_fields(collection) {
            if field.optional {
                checker.accepts(collection, &single(field.name, Value::Null), false);
                checker.accepts(collection, &with(&full, field.name, Value::Null), true);
                checker.accepts(collection, &without(&full, field.name), true);
            } else {
                checker.rejects(collection, &single(field.name, Value::Null), false, field.name);
                checker.rejects(collection, &with(&full, field.name, Value::Null), true, field.name);
            }
        }
    }
    checker.finish();
}

#[test]
fn an_update_may_set_any_single_field() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        for (name, value) in as_map(&full_create(collection)) {
            checker.accepts(collection, &single(&name, value), false);
        }
        checker.accepts(collection, &json!({"deleted": true}), false);
        checker.accepts(collection, &json!({"deleted": false}), false);
    }
    checker.finish();
}

#[test]
fn unknown_fields_are_rejected_as_unknown_field() {
    let mut checker = Checker::default();
    for collection in Collection::ALL {
        checker.unknown(collection, &json!({"colour": "blue"}), false, "colour");
        checker.unknown(collection, &with(&full_create(collection), "colour", json!("blue")), true, "colour");
        checker.unknown(collection, &with(&full_create(collection), "participant_id", json!(ID_A)), true, "participant_id");
        checker.unknown(collection, &json!({"record_id": ID_A}), false, "record_id");
        checker.unknown(collection, &json!({"": 1}), false, "");
    }
    checker.unknown(Collection::Goals, &json!({"Title": "x"}), false, "Title");
    checker.unknown(Collection::Goals, &json!({"title ": "x"}), false, "title ");
    checker.unknown(Collection::CheckIns, &json!({"title": "x"}), false, "title");
    checker.unknown(Collection::Profile, &json!({"goals": true}), false, "goals");
    checker.unknown(Collection::Sharing, &json!({"messages": true}), false, "messages");
    checker.unknown(Collection::Sharing, &json!({"reach_outs": true}), false, "reach_outs");
    checker.finish();
}

#[test]
fn an_empty_change_is_rejected() {
    for collection in Collection::ALL {
        for creating in [true, false] {
            let outcome = validate_change_fields(collection, &Map::new(), creating);
            assert!(outcome.is_err(), "{collection} (creating: {creating}) accepted an empty change");
        }
    }
}
