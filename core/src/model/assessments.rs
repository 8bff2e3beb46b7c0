//! Repeated assessments; BARC-10 (Brief Assessment of Recovery Capital).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{record, wire_enum};
use crate::schema::Collection;

wire_enum!(Instrument {
    Barc10 = "barc10",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Assessment {
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub participant_id: String,
    pub instrument: Instrument,
    /// Ten items scored 1..6.
    pub responses: Vec<i64>,
    pub taken_on: NaiveDate,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub deleted: bool,
}
record!(Assessment, Collection::Assessments);
