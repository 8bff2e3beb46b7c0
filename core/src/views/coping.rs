//! The coping toolbox ranked by how much each strategy has helped.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Result;
use crate::i18n::Language;
use crate::library::StrategyLanguage;
use crate::model::{CopingStrategy, CopingUse};
use crate::store::Store;

/// A strategy with what its uses say of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedStrategy {
    pub strategy: CopingStrategy,
    pub uses: usize,
    /// Mean of `helpfulness` (1..5) over the uses that rated it.
    pub average_helpfulness: Option<f64>,
    /// Mean of `craving_before - craving_after` over the uses that have both.
    pub average_craving_drop: Option<f64>,
    /// 0..1: how much it helped, from both signals; `None` before any rated use.
    pub score: Option<f64>,
}

/// Favorites first; then by score (unrated last), then most used, then title.
///
/// A use's score is the mean of the signals it has: helpfulness mapped 1..5 to
/// 0..1, and the craving drop mapped -10..10 to 0..1 (so "no change" is 0.5).
/// A strategy's score is the mean over its uses.
pub fn rank_strategies(strategies: Vec<CopingStrategy>, uses: &[CopingUse]) -> Vec<RankedStrategy> {
    let mut by_strategy: HashMap<&str, Vec<&CopingUse>> = HashMap::new();
    for coping_use in uses.iter().filter(|u| !u.deleted) {
        by_strategy.entry(coping_use.strategy_id.as_str()).or_default().push(coping_use);
    }
    let mut ranked: Vec<RankedStrategy> = strategies
        .into_iter()
        .filter(|s| !s.deleted)
        .map(|strategy| {
            let uses = by_strategy.get(strategy.id.as_str()).map(Vec::as_slice).unwrap_or_default();
            let helpfulness: Vec<f64> = uses.iter().filter_map(|u| u.helpfulness).map(|h| h as f64).collect();
            let drops: Vec<f64> = uses.iter().filter_map(|u| Some((u.craving_before? - u.craving_after?) as f64)).collect();
            let use_scores: Vec<f64> = uses.iter().filter_map(|u| use_score(u)).collect();
            RankedStrategy {
                uses: uses.len(),
                average_helpfulness: mean(&helpfulness),
                average_craving_drop: mean(&drops),
                score: mean(&use_scores),
                strategy,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.strategy
            .favorite
            .cmp(&a.strategy.favorite)
            .then_with(|| b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
            .then_with(|| b.uses.cmp(&a.uses))
            .then_with(|| a.strategy.title.to_lowercase().cmp(&b.strategy.title.to_lowercase()))
    });
    ranked
}

fn use_score(coping_use: &CopingUse) -> Option<f64> {
    let helped = coping_use.helpfulness.map(|h| (h as f64 - 1.0) / 4.0);
    let drop = coping_use.craving_before.zip(coping_use.craving_after).map(|(before, after)| ((before - after) as f64 + 10.0) / 20.0);
    mean(&[helped, drop].into_iter().flatten().collect::<Vec<_>>())
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

impl Store {
    /// The participant's strategies, most helpful first, the built-in ones
    /// in `language`.
    pub fn ranked_strategies(&self, participant_id: &str, language: Language) -> Result<Vec<RankedStrategy>> {
        let say = StrategyLanguage::new(participant_id, language);
        let strategies = self.list::<CopingStrategy>(participant_id)?.into_iter().map(|s| say.say(s)).collect();
        Ok(rank_strategies(strategies, &self.list(participant_id)?))
    }
}
