//! Seeds the built-in coping library into a participant's toolbox.
//!
//! Each strategy gets a record id derived from the participant and the
//! strategy's key, and the lowest possible HLC: every phone of the participant
//! seeds the same records, and anything the person changes wins over the seed.

use serde_json::Value;

use super::coping::{BUILTIN_STRATEGIES, BuiltinStrategy};
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::model::{CopingStrategy, Profile, Record};
use crate::schema::{Collection, validate_change_fields};
use crate::store::Store;
use crate::store::write::{Write, WriteKind, to_fields};

/// Namespace of the ids derived for seeded records.
const SEED_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6a1c_2f0e_5b7d_4c39_9e61_a4d8_0b3f_7c25);

/// The HLC of seeded values: below anything a device issues.
fn seed_hlc() -> Hlc {
    Hlc::new(0, 0, "builtin")
}

/// The record id of built-in strategy `key` in `participant_id`'s toolbox.
pub fn builtin_strategy_id(participant_id: &str, key: &str) -> String {
    uuid::Uuid::new_v5(&SEED_NAMESPACE, format!("{participant_id}/{key}").as_bytes()).to_string()
}

impl Store {
    /// Sets a participant up on this device: stores their profile and seeds
    /// the built-in coping library into their toolbox.
    pub fn set_up_participant(&self, profile: &Profile) -> Result<Profile> {
        let profile = match self.get::<Profile>(profile.participant_id()) {
            Ok(existing) => existing,
            Err(Error::NotFound { .. }) => self.create(profile)?,
            Err(other) => return Err(other),
        };
        self.seed_builtin_strategies(profile.participant_id())?;
        Ok(profile)
    }

    /// Adds each built-in strategy the toolbox does not hold yet.
    pub fn seed_builtin_strategies(&self, participant_id: &str) -> Result<()> {
        let hlc = seed_hlc();
        for builtin in BUILTIN_STRATEGIES {
            let id = builtin_strategy_id(participant_id, builtin.key);
            let mut fields = to_fields(&strategy(builtin)?)?;
            fields.retain(|_, value| !value.is_null());
            validate_change_fields(Collection::CopingStrategies, &fields, true)?;
            let change_id = uuid::Uuid::new_v5(&SEED_NAMESPACE, format!("{id}/seed").as_bytes()).to_string();
            self.write_all(&[Write {
                collection: Collection::CopingStrategies,
                record_id: &id,
                participant_id,
                fields: &fields,
                kind: WriteKind::IfAbsent,
                pinned: Some((&hlc, &change_id)),
            }])?;
        }
        Ok(())
    }
}

/// The record a built-in strategy is seeded as (no id or participant yet).
pub(crate) fn strategy(builtin: &BuiltinStrategy) -> Result<CopingStrategy> {
    let lines = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    Ok(CopingStrategy {
        id: String::new(),
        participant_id: String::new(),
        title: builtin.title.to_owned(),
        steps: lines(builtin.steps),
        category: serde_json::from_value(Value::from(builtin.category))?,
        triggers: lines(builtin.triggers),
        favorite: false,
        source: crate::model::StrategySource::Builtin,
        deleted: false,
    })
}
