//! The built-in coping library in the person's language. Seeded strategies
//! are stored in English (every phone seeds the same records); a screen shows
//! them in the phone's language, field by field, until the person rewrites a
//! field in their own words.

use std::collections::HashMap;

use super::coping::{BUILTIN_STRATEGIES, BuiltinStrategy, Translation};
use super::coping_es::SPANISH;
use super::seed::builtin_strategy_id;
use crate::i18n::Language;
use crate::model::{CopingStrategy, StrategySource};

/// Says one participant's built-in strategies in one language.
#[derive(Debug)]
pub struct StrategyLanguage {
    /// Built-in record id → the English original and its translation.
    builtins: HashMap<String, (&'static BuiltinStrategy, &'static Translation)>,
}

impl StrategyLanguage {
    pub fn new(participant_id: &str, language: Language) -> Self {
        let translations: &'static [Translation] = match language {
            Language::English => &[],
            Language::Spanish => SPANISH,
        };
        let builtins = BUILTIN_STRATEGIES
            .iter()
            .filter_map(|builtin| {
                let translation = translations.iter().find(|t| t.key == builtin.key)?;
                Some((builtin_strategy_id(participant_id, builtin.key), (builtin, translation)))
            })
            .collect();
        StrategyLanguage { builtins }
    }

    /// `strategy` as the person reads it: each field of a built-in strategy
    /// still as seeded is translated; what the person wrote stays theirs.
    pub fn say(&self, mut strategy: CopingStrategy) -> CopingStrategy {
        if strategy.source != StrategySource::Builtin {
            return strategy;
        }
        let Some((english, translated)) = self.builtins.get(&strategy.id) else { return strategy };
        if strategy.title == english.title {
            strategy.title = translated.title.to_owned();
        }
        if strategy.steps.iter().map(String::as_str).eq(english.steps.iter().copied()) {
            strategy.steps = translated.steps.iter().map(|step| (*step).to_owned()).collect();
        }
        if strategy.triggers.iter().map(String::as_str).eq(english.triggers.iter().copied()) {
            strategy.triggers = translated.triggers.iter().map(|trigger| (*trigger).to_owned()).collect();
        }
        strategy
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::coping_es::SPANISH;

    const PARTICIPANT: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    /// The participant's seeded record of built-in strategy `key`.
    fn seeded(key: &str) -> CopingStrategy {
        let builtin = BUILTIN_STRATEGIES.iter().find(|b| b.key == key).unwrap_or(&BUILTIN_STRATEGIES[0]);
        let record = crate::library::seed::strategy(builtin).unwrap_or_else(|e| panic!("{key}: {e}"));
        CopingStrategy { id: builtin_strategy_id(PARTICIPANT, builtin.key), participant_id: PARTICIPANT.into(), ..record }
    }

    #[test]
    fn every_builtin_has_a_spanish_twin_of_the_same_shape() {
        assert_eq!(SPANISH.len(), BUILTIN_STRATEGIES.len());
        for (english, spanish) in BUILTIN_STRATEGIES.iter().zip(SPANISH) {
            assert_eq!(english.key, spanish.key, "same order");
            assert_eq!(english.steps.len(), spanish.steps.len(), "{}: steps", english.key);
            assert_eq!(english.triggers.len(), spanish.triggers.len(), "{}: triggers", english.key);
            assert!(spanish.title.chars().count() <= 200 && !spanish.title.is_empty());
            assert!(spanish.steps.iter().all(|s| !s.is_empty() && s.chars().count() <= 500), "{}", english.key);
            assert!(spanish.triggers.iter().all(|t| !t.is_empty() && t.chars().count() <= 100), "{}", english.key);
        }
    }

    #[test]
    fn a_seeded_strategy_reads_in_spanish_and_english_alike() {
        let spanish = StrategyLanguage::new(PARTICIPANT, Language::Spanish).say(seeded("urge_surfing"));
        assert_eq!(spanish.title, SPANISH[0].title);
        assert_eq!(spanish.steps.len(), SPANISH[0].steps.len());
        assert_eq!(spanish.steps[0], SPANISH[0].steps[0]);
        let english = StrategyLanguage::new(PARTICIPANT, Language::English).say(seeded("urge_surfing"));
        assert_eq!(english, seeded("urge_surfing"));
    }

    #[test]
    fn what_the_person_rewrote_stays_in_their_words() {
        let mut mine = seeded("urge_surfing");
        mine.title = "Surf it out".into();
        let said = StrategyLanguage::new(PARTICIPANT, Language::Spanish).say(mine);
        assert_eq!(said.title, "Surf it out", "their title is theirs");
        assert_eq!(said.steps[0], SPANISH[0].steps[0], "the steps they left alone are translated");

        let mut personal = seeded("urge_surfing");
        personal.source = StrategySource::Personal;
        assert_eq!(StrategyLanguage::new(PARTICIPANT, Language::Spanish).say(personal.clone()), personal);

        // Another participant's id for the same key is not this person's seed.
        let mut elsewhere = seeded("urge_surfing");
        elsewhere.id = builtin_strategy_id("7c9e6679-7425-40de-944b-e07fc1f90ae7", "urge_surfing");
        assert_eq!(StrategyLanguage::new(PARTICIPANT, Language::Spanish).say(elsewhere.clone()), elsewhere);
    }
}
