use super::*;
use crate::codes::ErrorCode;
use crate::library::coping::BUILTIN_STRATEGIES;
use crate::library::crisis::crisis_resources;
use crate::schema::Reason;

/// Every string of a words record, walked through its JSON form.
fn leaves(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        _ => {}
    }
}

fn all_words(language: Language) -> Vec<String> {
    let mut out = Vec::new();
    leaves(&serde_json::to_value(words(language)).unwrap_or_default(), &mut out);
    out
}

/// Every text a person may read from the core in `language`.
fn everything_shown(language: Language) -> Vec<String> {
    let mut texts = all_words(language);
    for line in crisis_resources(language) {
        texts.extend([line.name, line.description, line.available].map(str::to_owned));
    }
    let participant = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let say = crate::library::StrategyLanguage::new(participant, language);
    for builtin in BUILTIN_STRATEGIES {
        let record = crate::library::seed::strategy(builtin).unwrap_or_else(|e| panic!("{}: {e}", builtin.key));
        let seeded = crate::model::CopingStrategy {
            id: crate::library::builtin_strategy_id(participant, builtin.key),
            participant_id: participant.into(),
            ..record
        };
        let said = say.say(seeded);
        texts.push(said.title);
        texts.extend(said.steps);
        texts.extend(said.triggers);
    }
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    texts.extend(crate::views::recovery_time::milestones(start, language).take(12).map(|m| m.label));
    texts
}

#[test]
fn the_tags_a_phone_sends_pick_the_language() {
    for (tag, language) in
        [("es", Language::Spanish), ("es-MX", Language::Spanish), ("es_US", Language::Spanish), ("ES", Language::Spanish)]
    {
        assert_eq!(Language::from_tag(tag), language, "{tag}");
    }
    for tag in ["en", "en-US", "fr-CA", "", "e", "spa"] {
        assert_eq!(Language::from_tag(tag), Language::English, "{tag}");
    }
}

#[test]
fn templates_fill_and_count() {
    let days = &words(Language::English).today.days_in_recovery;
    assert_eq!(count(days, 1), "1 day in recovery");
    assert_eq!(count(days, 0), "0 days in recovery");
    assert_eq!(count(days, 12), "12 days in recovery");
    assert_eq!(count(&words(Language::Spanish).today.days_in_recovery, 1), "1 día en recuperación");
    assert_eq!(fill("{name} has it.", &[("name", "Maria")]), "Maria has it.");
}

#[test]
fn spanish_is_complete_and_no_word_is_left_in_english() {
    let english = all_words(Language::English);
    let spanish = all_words(Language::Spanish);
    assert_eq!(english.len(), spanish.len());
    // The same text in both is fine only for names and numbers.
    let same: Vec<&String> = english.iter().zip(&spanish).filter(|(en, es)| en == es).map(|(en, _)| en).collect();
    let allowed = ["Alongside", "Hospital", "{date}, {minutes} min, {mode}"];
    for text in same {
        assert!(allowed.contains(&text.as_str()), "not translated: {text:?}");
    }
    assert!(spanish.iter().all(|text| !text.trim().is_empty()));
}

#[test]
fn placeholders_and_plural_forms_match_across_languages() {
    fn names(template: &str) -> Vec<String> {
        let mut found: Vec<String> =
            template.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(n, _)| n.to_owned()).collect();
        found.sort();
        found.dedup();
        found
    }
    for (en, es) in all_words(Language::English).iter().zip(all_words(Language::Spanish).iter()) {
        assert_eq!(names(en), names(es), "{en:?} / {es:?}");
        assert_eq!(en.contains('|'), es.contains('|'), "{en:?} / {es:?}");
    }
}

#[test]
fn no_word_judges_in_either_language() {
    // Words that shame people in recovery (APP.md); matched as whole words or stems.
    let judging = [
        "relapse",
        "failed",
        "failure",
        "clean",
        "dirty",
        "addict",
        "junkie",
        "abuser",
        "streak broken",
        "recaída",
        "recaer",
        "fracas",
        "fallaste",
        "limpio",
        "limpia",
        "sucio",
        "sucia",
        "adicto",
        "adicta",
        "drogadict",
        "vicio",
    ];
    for language in Language::ALL {
        for text in everything_shown(language) {
            let lower = text.to_lowercase();
            for word in judging {
                let hit = lower.match_indices(word).any(|(at, _)| {
                    let before = lower[..at].chars().next_back();
                    before.is_none_or(|c| !c.is_alphabetic())
                });
                assert!(!hit, "{language:?}: {word:?} in {text:?}");
            }
        }
    }
}

#[test]
fn reasons_a_form_shows_are_said_in_each_language() {
    let reason = |r: Reason, language| super::reason(&r, language);
    assert_eq!(reason(Reason::Range { min: 0, max: 10 }, Language::English), "Choose a whole number from 0 to 10.");
    assert_eq!(reason(Reason::Range { min: 0, max: 10 }, Language::Spanish), "Elige un número entero del 0 al 10.");
    assert_eq!(reason(Reason::TooLong { max: 200 }, Language::Spanish), "Por favor, usa como máximo 200 caracteres.");
    assert_eq!(reason(Reason::Required, Language::Spanish), "Por favor, completa este campo.");
    assert_eq!(
        server_reason(&ErrorCode::ValidationFailed, "invite_code", Language::Spanish),
        Some(words(Language::Spanish).reasons.invite_unknown)
    );
    assert_eq!(server_reason(&ErrorCode::Conflict, "username", Language::English), Some(words(Language::English).reasons.username_taken));
    assert_eq!(server_reason(&ErrorCode::RateLimited, "username", Language::English), None);
}
