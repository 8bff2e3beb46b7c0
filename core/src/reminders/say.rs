//! A reminder's title and body in the person's language, or the same neutral
//! words for every reminder when the lock screen must show no content.

use crate::i18n::{CommonWords, Language, MessagesWords, ReminderWords, count, fill};

/// What a notification shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Text {
    pub title: String,
    pub body: String,
}

#[derive(Debug)]
pub(super) struct Say {
    words: ReminderWords,
    /// "{n} new message|{n} new messages": the conversation's own words.
    unread: String,
    /// What every reminder says when discreet.
    discreet: Option<Text>,
}

impl Say {
    pub fn new(language: Language, discreet: bool) -> Say {
        let words = ReminderWords::new(language);
        let discreet = discreet.then(|| Text { title: CommonWords::new(language).app_name, body: words.discreet_body.clone() });
        Say { unread: MessagesWords::new(language).unread, words, discreet }
    }

    pub fn check_in(&self) -> Text {
        self.text(|w| (w.check_in_title.clone(), w.check_in_body.clone()))
    }

    /// `milestone` is its name: "30 days".
    pub fn milestone_tomorrow(&self, milestone: &str) -> Text {
        let named = [("milestone", milestone)];
        self.text(|w| (fill(&w.milestone_tomorrow_title, &named), fill(&w.milestone_tomorrow_body, &named)))
    }

    pub fn milestone_today(&self, milestone: &str) -> Text {
        let named = [("milestone", milestone)];
        self.text(|w| (fill(&w.milestone_today_title, &named), fill(&w.milestone_today_body, &named)))
    }

    pub fn goal(&self, goal: &str) -> Text {
        self.text(|w| (w.goal_title.clone(), fill(&w.goal_body, &[("goal", goal)])))
    }

    pub fn unread(&self, messages: usize) -> Text {
        let n = i64::try_from(messages).unwrap_or(i64::MAX);
        self.text(|w| (count(&self.unread, n), count(&w.messages_body, n)))
    }

    /// The words `say` picks, unless discreet: then nothing of them.
    fn text(&self, say: impl FnOnce(&ReminderWords) -> (String, String)) -> Text {
        if let Some(neutral) = &self.discreet {
            return neutral.clone();
        }
        let (title, body) = say(&self.words);
        Text { title, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reminder_is_said_kindly_in_english_and_spanish() {
        let en = Say::new(Language::English, false);
        assert_eq!(en.milestone_tomorrow("30 days").body, "Tomorrow is 30 days. That matters.");
        assert_eq!(en.unread(1), Text { title: "1 new message".into(), body: "Read it whenever you're ready.".into() });
        assert_eq!(en.unread(3).title, "3 new messages");
        let es = Say::new(Language::Spanish, false);
        assert_eq!(es.check_in().title, "¿Cómo estás hoy?");
        assert_eq!(es.milestone_today("1 año").body, "Hoy cumples 1 año. Este logro es tuyo.");
        assert_eq!(es.unread(2), Text { title: "2 mensajes nuevos".into(), body: "Léelos cuando quieras.".into() });
    }

    #[test]
    fn discreet_reminders_all_say_the_same_neutral_thing() {
        let en = Say::new(Language::English, true);
        let neutral = Text { title: "Alongside".into(), body: "You have something new.".into() };
        for text in [en.check_in(), en.milestone_tomorrow("30 days"), en.milestone_today("30 days"), en.goal("Custody"), en.unread(2)] {
            assert_eq!(text, neutral);
        }
        assert_eq!(Say::new(Language::Spanish, true).goal("Custodia").body, "Tienes algo nuevo.");
    }
}
