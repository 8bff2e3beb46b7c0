//! When a participant's sharing has expired: one rule for the server, which
//! purges peer workers' copies at pull time, and for a peer worker's device,
//! which drops them itself at the expiry even while offline.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{Category, Collection};

/// "After it, nothing is shared": the `expires_on` day itself still is.
pub fn is_expired(sharing: Option<&Map<String, Value>>, today: NaiveDate) -> bool {
    sharing
        .and_then(|s| s.get("expires_on"))
        .and_then(Value::as_str)
        .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
        .is_some_and(|expires_on| today > expires_on)
}

/// The collections a peer worker no longer holds while the participant's
/// sharing has expired: every collection that sharing governs, whatever it
/// granted (idempotent, and needs no memory of what was granted).
pub fn expired_collections(sharing: Option<&Map<String, Value>>, today: NaiveDate) -> Vec<&'static str> {
    if !is_expired(sharing, today) {
        return Vec::new();
    }
    Collection::ALL.into_iter().filter(|c| c.category() != Category::Always).map(Collection::name).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_expiry_day_is_still_shared_and_the_day_after_is_not() -> Result<(), Box<dyn std::error::Error>> {
        let sharing = json!({"goals": true, "expires_on": "2026-12-02"});
        let sharing = sharing.as_object();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).ok_or("a date");
        assert!(expired_collections(sharing, day(2)?).is_empty());
        let after = expired_collections(sharing, day(3)?);
        assert!(after.contains(&"goals") && after.contains(&"check_ins"), "{after:?}");
        assert!(!after.contains(&"messages") && !after.contains(&"sharing"), "always-shared collections stay: {after:?}");
        assert!(expired_collections(None, day(3)?).is_empty(), "no sharing record, nothing expires");
        Ok(())
    }
}
