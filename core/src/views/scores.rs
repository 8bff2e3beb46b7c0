//! Scores: the Goal Attainment Scaling T-score and BARC-10 totals.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Result;
use crate::model::{Assessment, Goal, GoalStatus, Instrument};
use crate::store::Store;

/// The GAS summary over a participant's active goals that have a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GasSummary {
    /// Kiresuk–Sherman T-score; 50 means "as expected". `None` with no scored goal.
    pub t_score: Option<f64>,
    pub goals_scored: usize,
}

/// `T = 50 + 10·Σ(wᵢxᵢ) / √(0.7·Σwᵢ² + 0.3·(Σwᵢ)²)` over active goals with a
/// `gas_score` (xᵢ), weight wᵢ defaulting to 1.
pub fn gas_summary(goals: &[Goal]) -> GasSummary {
    let scored: Vec<(f64, f64)> = goals
        .iter()
        .filter(|goal| goal.status == GoalStatus::Active && !goal.deleted)
        .filter_map(|goal| Some((goal.gas_weight.unwrap_or(1) as f64, goal.gas_score? as f64)))
        .collect();
    if scored.is_empty() {
        return GasSummary { t_score: None, goals_scored: 0 };
    }
    let weighted: f64 = scored.iter().map(|(w, x)| w * x).sum();
    let sum_w: f64 = scored.iter().map(|(w, _)| w).sum();
    let sum_w2: f64 = scored.iter().map(|(w, _)| w * w).sum();
    let t_score = 50.0 + 10.0 * weighted / (0.7 * sum_w2 + 0.3 * sum_w * sum_w).sqrt();
    GasSummary { t_score: Some(t_score), goals_scored: scored.len() }
}

/// The latest BARC-10 and how it moved since the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Barc10Summary {
    /// 10..60; higher means more recovery capital.
    pub total: i64,
    pub taken_on: NaiveDate,
    pub previous_total: Option<i64>,
    /// `total - previous_total`.
    pub change: Option<i64>,
    pub assessments: usize,
}

/// The sum of the ten responses.
pub fn barc10_total(assessment: &Assessment) -> i64 {
    assessment.responses.iter().sum()
}

/// Over all BARC-10 assessments, ordered by date taken.
pub fn barc10_summary(assessments: &[Assessment]) -> Option<Barc10Summary> {
    let mut barc: Vec<&Assessment> = assessments.iter().filter(|a| a.instrument == Instrument::Barc10 && !a.deleted).collect();
    barc.sort_by(|a, b| (a.taken_on, &a.id).cmp(&(b.taken_on, &b.id)));
    let latest = barc.last()?;
    let total = barc10_total(latest);
    let previous_total = barc.len().checked_sub(2).and_then(|i| barc.get(i)).map(|a| barc10_total(a));
    Some(Barc10Summary {
        total,
        taken_on: latest.taken_on,
        previous_total,
        change: previous_total.map(|previous| total - previous),
        assessments: barc.len(),
    })
}

impl Store {
    pub fn gas_summary(&self, participant_id: &str) -> Result<GasSummary> {
        Ok(gas_summary(&self.list_with_status::<Goal>(participant_id, &[GoalStatus::Active.as_str()])?))
    }

    pub fn barc10_summary(&self, participant_id: &str) -> Result<Option<Barc10Summary>> {
        Ok(barc10_summary(&self.list::<Assessment>(participant_id)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::goal;

    fn scored(score: i64, weight: Option<i64>) -> Goal {
        Goal { gas_score: Some(score), gas_weight: weight, ..goal("g") }
    }

    fn rounded(summary: &GasSummary) -> Option<f64> {
        summary.t_score.map(|t| (t * 100.0).round() / 100.0)
    }

    #[test]
    fn two_goals_at_plus_one_give_62_40() {
        assert_eq!(rounded(&gas_summary(&[scored(1, None), scored(1, None)])), Some(62.40));
    }

    #[test]
    fn all_goals_as_expected_give_50_and_weights_count() {
        assert_eq!(rounded(&gas_summary(&[scored(0, None), scored(0, Some(5))])), Some(50.0));
        // w = (1, 3), x = (2, -1): Σwx = -1, Σw² = 10, (Σw)² = 16 → 50 - 10/√11.8
        let expected = ((50.0 - 10.0 / 11.8f64.sqrt()) * 100.0).round() / 100.0;
        assert_eq!(rounded(&gas_summary(&[scored(2, None), scored(-1, Some(3))])), Some(expected));
    }

    #[test]
    fn goals_without_a_score_or_not_active_are_left_out() {
        let paused = Goal { status: GoalStatus::Paused, ..scored(-2, None) };
        let summary = gas_summary(&[goal("unscored"), paused, scored(1, None)]);
        assert_eq!(summary.goals_scored, 1);
        assert_eq!(gas_summary(&[goal("unscored")]), GasSummary { t_score: None, goals_scored: 0 });
    }

    fn barc(day: u32, responses: [i64; 10]) -> Assessment {
        Assessment {
            id: format!("{day}"),
            participant_id: String::new(),
            instrument: Instrument::Barc10,
            responses: responses.to_vec(),
            taken_on: NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default(),
            note: None,
            deleted: false,
        }
    }

    #[test]
    fn barc10_total_and_change_since_the_previous() {
        let summary = barc10_summary(&[barc(20, [6; 10]), barc(1, [1; 10]), barc(10, [3; 10])]);
        assert_eq!(
            summary,
            Some(Barc10Summary {
                total: 60,
                taken_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
                previous_total: Some(30),
                change: Some(30),
                assessments: 3
            })
        );
        assert_eq!(barc10_summary(&[barc(1, [1; 10])]).map(|s| (s.total, s.change)), Some((10, None)));
        assert_eq!(barc10_summary(&[]), None);
    }
}
