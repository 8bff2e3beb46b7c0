//! What becomes of an edit that lost to a concurrent one: the project's rule
//! beside the protocol's (protocol/README.md, "Concurrent edits").
//!
//! The wire merge stays per-field last-writer-wins ([`crate::lww`]) on the
//! server and on every device. A change also says, per field, which value its
//! writer saw ([`crate::Change::base`]); a device that receives a winning
//! value whose writer had not seen the device's own edit of that field knows
//! its edit lost to a concurrent one, and keeps what the person typed:
//! lists are merged, text is kept as a conflict the person can see.

use serde_json::Value;

use crate::schema::FieldKind;

/// What the device whose edit lost does about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConcurrentEdit {
    /// A choice (a number, a date, one of a list of values): the later one
    /// stands, as for any edit.
    LaterWins,
    /// A list: the device writes both sides merged ([`merge_lists`]), so
    /// concurrent additions both survive.
    MergeLists,
    /// Something typed (text, the GAS levels, a questionnaire's answers): the
    /// later one stands, and the device keeps its own as a conflict the person
    /// can look at and take back.
    KeepLoser,
}

impl FieldKind {
    pub const fn on_concurrent_edit(self) -> OnConcurrentEdit {
        match self {
            FieldKind::Text { .. } | FieldKind::GasLevels | FieldKind::IntList { .. } => OnConcurrentEdit::KeepLoser,
            FieldKind::TextList { .. } | FieldKind::UuidList { .. } | FieldKind::OneOfList { .. } => OnConcurrentEdit::MergeLists,
            FieldKind::TimeZone
            | FieldKind::Date
            | FieldKind::Instant
            | FieldKind::Bool
            | FieldKind::Int { .. }
            | FieldKind::OneOf(_)
            | FieldKind::Uuid => OnConcurrentEdit::LaterWins,
        }
    }

    /// Whether a change names the value its writer saw for a field of this
    /// kind: only where a lost edit is kept.
    pub const fn carries_base(self) -> bool {
        !matches!(self.on_concurrent_edit(), OnConcurrentEdit::LaterWins)
    }
}

impl crate::schema::Collection {
    /// Whether a change to `field` of this collection names the value its
    /// writer saw (false for a field the collection does not have).
    pub fn carries_base(self, field: &str) -> bool {
        self.field(field).is_some_and(|spec| spec.kind.carries_base())
    }
}

/// Whether a change that set a field having seen `seen` (what
/// [`crate::Base::seen`] says: an HLC, or `None` for "no value") was made
/// without seeing the value stamped `current` (`None`: no value).
pub fn missed(seen: Option<&str>, current: Option<&str>) -> bool {
    seen != current
}

/// Two concurrent edits of one list, merged: the items of `theirs` (the
/// winner, in its order) less those `mine` removed from `ancestor` (what my
/// edit started from), then the items `mine` added, in my order. An item
/// either side removed is gone; an item either side added stays. Equal items
/// are one item.
pub fn merge_lists(ancestor: &[Value], mine: &[Value], theirs: &[Value]) -> Vec<Value> {
    let removed_by_me = |item: &Value| ancestor.contains(item) && !mine.contains(item);
    let mut merged: Vec<Value> = Vec::with_capacity(theirs.len() + mine.len());
    for item in theirs.iter().filter(|item| !removed_by_me(item)) {
        if !merged.contains(item) {
            merged.push(item.clone());
        }
    }
    for item in mine.iter().filter(|item| !ancestor.contains(item)) {
        if !merged.contains(item) {
            merged.push(item.clone());
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn list(value: Value) -> Vec<Value> {
        value.as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn additions_on_both_sides_both_survive() {
        let merged = merge_lists(&list(json!(["walks"])), &list(json!(["walks", "music"])), &list(json!(["walks", "call Dee"])));
        assert_eq!(merged, list(json!(["walks", "call Dee", "music"])));
    }

    #[test]
    fn a_removal_on_either_side_stays_removed() {
        let ancestor = list(json!(["walks", "music"]));
        // I removed music, they added a line.
        assert_eq!(merge_lists(&ancestor, &list(json!(["walks"])), &list(json!(["walks", "music", "tea"]))), list(json!(["walks", "tea"])));
        // They removed walks, I added a line.
        assert_eq!(merge_lists(&ancestor, &list(json!(["walks", "music", "tea"])), &list(json!(["music"]))), list(json!(["music", "tea"])));
    }

    #[test]
    fn the_same_addition_on_both_sides_is_one_item() {
        let merged = merge_lists(&[], &list(json!(["tea", "walks"])), &list(json!(["walks"])));
        assert_eq!(merged, list(json!(["walks", "tea"])));
    }

    #[test]
    fn merging_what_the_winner_already_holds_changes_nothing() {
        let theirs = list(json!(["walks", "music", "tea"]));
        assert_eq!(merge_lists(&list(json!(["walks"])), &list(json!(["walks", "music"])), &theirs), theirs);
    }

    #[test]
    fn typed_fields_keep_the_loser_lists_merge_and_choices_take_the_later() {
        assert_eq!(FieldKind::Text { max: 10 }.on_concurrent_edit(), OnConcurrentEdit::KeepLoser);
        assert_eq!(FieldKind::TextList { max: 10, max_items: 2 }.on_concurrent_edit(), OnConcurrentEdit::MergeLists);
        assert_eq!(FieldKind::Bool.on_concurrent_edit(), OnConcurrentEdit::LaterWins);
        assert!(!FieldKind::Date.carries_base());
    }

    #[test]
    fn one_hlc_stands_for_all_only_when_every_field_saw_it() -> Result<(), serde_json::Error> {
        let hlc = "0001763880000000-0000-a";
        let same = crate::Base::compact(serde_json::from_value(json!({"title": hlc, "note": hlc}))?);
        assert_eq!(serde_json::to_value(&same)?, json!(hlc));
        assert_eq!(same.seen("title"), Some(Some(hlc)));
        let apart = crate::Base::compact(serde_json::from_value(json!({"title": hlc, "note": null}))?);
        assert_eq!(apart.seen("note"), Some(None), "null: the writer saw no value");
        assert_eq!(apart.seen("summary"), None, "not named: unknown");
        let read: crate::Base = serde_json::from_value(json!({"title": hlc, "note": null}))?;
        assert_eq!(read, apart);
        assert_eq!(serde_json::from_value::<crate::Base>(json!(hlc))?, same);
        Ok(())
    }

    #[test]
    fn a_writer_missed_any_value_other_than_the_one_it_saw() {
        assert!(!missed(Some("0001763880000000-0000-a"), Some("0001763880000000-0000-a")));
        assert!(missed(Some("0001763880000000-0000-a"), Some("0001763880000000-0001-b")));
        assert!(missed(None, Some("0001763880000000-0000-a")));
        assert!(!missed(None, None));
    }
}
