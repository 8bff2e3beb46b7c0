//! The typed records and the schema table must describe the same fields: a
//! record serializes to exactly its collection's fields, and what it produces
//! for a full record passes the validator as a create.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;

use super::*;
use crate::schema::validate_change_fields;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

fn instant() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 15, 0).single().unwrap_or_default()
}

const ID: &str = "3f2a6b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c";

fn agrees<R: Record>(record: R) {
    let Ok(Value::Object(fields)) = serde_json::to_value(&record) else { panic!("{} does not serialize to an object", R::COLLECTION) };
    let mut names: Vec<&str> = fields.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = R::COLLECTION.fields().iter().map(|spec| spec.name).collect();
    names.sort_unstable();
    expected.sort_unstable();
    assert_eq!(names, expected, "{}", R::COLLECTION);
    let present = fields.into_iter().filter(|(_, value)| !value.is_null()).collect();
    if let Err(rejection) = validate_change_fields(R::COLLECTION, &present, true) {
        panic!("{}: {rejection}", R::COLLECTION);
    }
}

#[test]
fn every_typed_record_serializes_to_its_collections_fields() {
    let (id, participant_id) = (ID.to_owned(), ID.to_owned());
    agrees(Profile {
        id: id.clone(),
        participant_id: participant_id.clone(),
        display_name: "Sam".into(),
        pronouns: Some("they/them".into()),
        timezone: "America/New_York".into(),
        deleted: false,
    });
    agrees(Sharing { goals: true, signed_at: Some(instant()), expires_on: Some(day()), ..Sharing::default() });
    agrees(RecoveryPeriod { start_date: day(), end_date: Some(day()), note: Some("a fresh start".into()), ..RecoveryPeriod::default() });
    agrees(Goal {
        id: id.clone(),
        participant_id: participant_id.clone(),
        title: "Walk the kids to school".into(),
        description: Some("Every weekday".into()),
        area: GoalArea::Parenting,
        status: GoalStatus::Active,
        target_date: Some(day()),
        gas_levels: Some(GasLevels { expected: Some("Three days a week".into()), ..GasLevels::default() }),
        gas_score: Some(0),
        gas_weight: Some(2),
        deleted: false,
    });
    agrees(GoalProgress {
        id: id.clone(),
        participant_id: participant_id.clone(),
        goal_id: ID.into(),
        score: Some(1),
        note: Some("good week".into()),
        recorded_at: instant(),
        deleted: false,
    });
    agrees(Milestone {
        id: id.clone(),
        participant_id: participant_id.clone(),
        title: "30 days".into(),
        kind: MilestoneKind::RecoveryTime,
        days: Some(30),
        goal_id: Some(ID.into()),
        target_date: Some(day()),
        achieved_on: Some(day()),
        celebrated: true,
        note: Some("cake".into()),
        deleted: false,
    });
    agrees(CopingStrategy {
        id: id.clone(),
        participant_id: participant_id.clone(),
        title: "Box breathing".into(),
        steps: vec!["Breathe in for four".into()],
        category: CopingCategory::Stress,
        triggers: vec!["bedtime".into()],
        favorite: true,
        source: StrategySource::Personal,
        deleted: false,
    });
    agrees(CopingUse {
        id: id.clone(),
        participant_id: participant_id.clone(),
        strategy_id: ID.into(),
        used_at: instant(),
        helpfulness: Some(4),
        craving_before: Some(7),
        craving_after: Some(3),
        note: Some("helped".into()),
        deleted: false,
    });
    agrees(Contact {
        id: id.clone(),
        participant_id: participant_id.clone(),
        name: "Dana".into(),
        role: ContactRole::PeerWorker,
        phone: Some("555-0100".into()),
        can_text: true,
        email: Some("dana@example.org".into()),
        availability: Some("weekdays".into()),
        is_emergency: true,
        notes: Some("call first".into()),
        deleted: false,
    });
    agrees(CheckIn {
        id: id.clone(),
        participant_id: participant_id.clone(),
        at: instant(),
        mood: 3,
        craving: Some(4),
        note: Some("tired".into()),
        deleted: false,
    });
    agrees(SafetyPlan { warning_signs: vec!["not sleeping".into()], strategy_ids: vec![ID.into()], ..SafetyPlan::default() });
    agrees(ReachOut {
        id: id.clone(),
        participant_id: participant_id.clone(),
        urgency: Urgency::Today,
        message: Some("rough morning".into()),
        created_at: instant(),
        status: ReachOutStatus::Acknowledged,
        acknowledged_at: Some(instant()),
        resolved_at: Some(instant()),
        deleted: false,
    });
    agrees(Assessment {
        id: id.clone(),
        participant_id: participant_id.clone(),
        instrument: Instrument::Barc10,
        responses: vec![4; 10],
        taken_on: day(),
        note: None,
        deleted: false,
    });
    agrees(Message {
        id: id.clone(),
        participant_id: participant_id.clone(),
        body: "See you Thursday".into(),
        sent_at: instant(),
        read_at: Some(instant()),
        deleted: false,
    });
    agrees(EncounterNote {
        id,
        participant_id,
        status: NoteStatus::Draft,
        amends: Some(ID.into()),
        occurred_on: day(),
        duration_minutes: 45,
        mode: EncounterMode::InPerson,
        location: EncounterLocation::Court,
        service_types: vec![ServiceType::Advocacy, ServiceType::FamilySupport],
        goal_ids: vec![ID.into()],
        summary: "Went with her to family court".into(),
        next_steps: Some("Call the caseworker".into()),
        deleted: false,
    });
}
