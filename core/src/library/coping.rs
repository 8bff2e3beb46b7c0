//! The built-in coping strategy library: written for Alongside, seeded into each
//! participant's toolbox as `source: builtin`.

/// One strategy of the built-in library. `key` is stable forever: it seeds a
/// deterministic record id, so renaming a key would duplicate the strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinStrategy {
    pub key: &'static str,
    pub title: &'static str,
    /// One of: craving, stress, mood, parenting, sleep, anger, other.
    pub category: &'static str,
    pub steps: &'static [&'static str],
    pub triggers: &'static [&'static str],
}

/// A built-in strategy in another language, matched to the English by `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translation {
    pub key: &'static str,
    pub title: &'static str,
    pub steps: &'static [&'static str],
    pub triggers: &'static [&'static str],
}

pub const BUILTIN_STRATEGIES: &[BuiltinStrategy] = &[
    // ---- craving ----
    BuiltinStrategy {
        key: "urge_surfing",
        title: "Ride the urge like a wave",
        category: "craving",
        steps: &[
            "Notice the urge and name it, out loud or in your head: \"This is a craving. It will rise, peak and pass.\"",
            "Find where you feel it in your body: chest, stomach, hands or mouth. Just notice it, without fighting it.",
            "Breathe slowly and picture the urge as a wave. You are riding on top of it, not stuck underneath.",
            "Every minute or two, rate how strong it is from 0 to 10. Most urges peak and start to drop within 20 to 30 minutes.",
            "When it eases, say one kind thing to yourself for riding it out.",
        ],
        triggers: &["cravings", "being alone", "seeing old places or people", "end of the day"],
    },
    BuiltinStrategy {
        key: "delay_and_distract",
        title: "Delay, distract, decide later",
        category: "craving",
        steps: &[
            "Tell yourself: \"Not now. I'll decide in 15 minutes.\" Set a timer on your phone.",
            "Change what you are doing and where you are: go to another room, step outside, or open a window.",
            "Pick one thing that keeps your hands busy: wash the dishes, fold laundry, build something with your child, or play a phone game.",
            "When the timer goes off, check in. If the urge is still strong, set another 15 minutes and pick a new activity.",
            "Every delay counts. Notice that you got through it.",
        ],
        triggers: &["boredom", "waiting around", "weekends", "nothing planned"],
    },
    BuiltinStrategy {
        key: "play_the_tape_forward",
        title: "Play the tape forward",
        category: "craving",
        steps: &[
            "When the urge says \"just once\", pause and picture the whole story, not just the first few minutes.",
            "Ask yourself: what happens an hour later? Tonight? Tomorrow morning when the kids wake up?",
            "Think about who would notice, and how you would feel facing them.",
            "Now play a second tape: you get through the next hour without using. Picture tomorrow morning in that version.",
            "Choose the tape you want, and do one small thing right now that moves you toward it.",
        ],
        triggers: &["\"just one won't hurt\" thoughts", "celebrations", "feeling like I deserve a break"],
    },
    BuiltinStrategy {
        key: "call_someone",
        title: "Reach out to someone",
        category: "craving",
        steps: &[
            "Keep a short list of two or three people you can call or text: a peer worker, sponsor, friend or support line. Pin them at the top of your phone.",
            "Reach out before the urge gets big. A text is enough: \"Having a hard moment, can you talk?\"",
            "Say plainly what is going on. You don't have to explain everything or make it sound okay.",
            "If the first person doesn't answer, try the next one on the list, or call a support line.",
            "Stay on the phone or keep texting until the urge has eased a little.",
            "Afterwards, thank them. Reaching out is a skill, and you just practised it.",
        ],
        triggers: &["feeling lonely", "late at night", "bad news"],
    },
    BuiltinStrategy {
        key: "payday_plan",
        title: "Make a plan for payday",
        category: "craving",
        steps: &[
            "Before payday, write down what the money is for first: rent, food, bills, the kids' things.",
            "On the day, pay the most important bills or buy groceries straight away, before anything else.",
            "Carry only the cash you need for the day. Leave cards at home if that helps.",
            "Ask someone you trust to check in with you on payday, or to hold onto extra cash for a while.",
            "Plan something for the evening that costs little and keeps you busy, like a film night with the kids.",
        ],
        triggers: &["payday", "having cash on hand", "getting a benefit payment"],
    },
    // ---- stress ----
    BuiltinStrategy {
        key: "box_breathing",
        title: "Box breathing",
        category: "stress",
        steps: &[
            "Sit or stand where you are. You can keep your eyes open and still keep an eye on your child.",
            "Breathe in slowly through your nose while counting to four.",
            "Hold your breath gently for a count of four.",
            "Breathe out slowly through your mouth for a count of four.",
            "Hold again for a count of four, then start the next round.",
            "Repeat four or five rounds. Children can join in: trace a square in the air together, one side for each count.",
        ],
        triggers: &["feeling overwhelmed", "before a hard conversation", "appointments", "racing heart"],
    },
    BuiltinStrategy {
        key: "grounding_five_senses",
        title: "5-4-3-2-1 grounding",
        category: "stress",
        steps: &[
            "Look around and name five things you can see. Say them out loud if you can.",
            "Name four things you can feel: your feet on the floor, your sleeve, a cup, your child's hand.",
            "Name three things you can hear.",
            "Name two things you can smell, or two smells you like.",
            "Name one thing you can taste, or take a sip of water.",
            "Take one slow breath and notice where you are, right now, in this moment.",
        ],
        triggers: &["feeling panicky", "racing thoughts", "crowded places"],
    },
    // ---- mood ----
    BuiltinStrategy {
        key: "one_small_good_thing",
        title: "Do one small good thing",
        category: "mood",
        steps: &[
            "When your mood is low, don't wait to feel like doing something. Pick one small thing that takes under ten minutes.",
            "Choose from things that usually help a little: a short walk, a shower, music you like, tea on the step, drawing with your child.",
            "Do it, even half-heartedly. Half counts.",
            "Afterwards, rate your mood from 0 to 10 and notice if it shifted, even by one.",
            "Write the thing down so you have a list ready for next time.",
        ],
        triggers: &["low mood", "grey days", "feeling stuck on the couch"],
    },
    BuiltinStrategy {
        key: "kind_self_talk",
        title: "Talk to yourself like a friend",
        category: "mood",
        steps: &[
            "Notice the harsh thought, like \"I'm a terrible parent\" or \"I always mess things up\".",
            "Ask yourself: what would I say to a friend who told me this?",
            "Say that to yourself, out loud or in your head. Keep it short and true: \"I'm having a hard day, and I'm still trying.\"",
            "Put a hand on your chest or arm while you say it, if that feels okay.",
            "Name one thing you did today that took effort, however small.",
        ],
        triggers: &["guilt", "shame", "after a mistake", "comparing myself to other parents"],
    },
    // ---- sleep ----
    BuiltinStrategy {
        key: "wind_down_routine",
        title: "A wind-down routine for sleep",
        category: "sleep",
        steps: &[
            "Pick a time to start winding down, about an hour before bed, and set a gentle reminder on your phone.",
            "Dim the lights and put screens away, or switch them to night mode.",
            "Do the same two or three calm things each night: a warm drink without caffeine, a shower, a few pages of a book.",
            "Write tomorrow's worries on paper so they are out of your head and waiting for the morning.",
            "If you can't sleep after about 20 minutes, get up, sit somewhere dim and quiet, and go back to bed when you feel sleepy.",
            "Try to get up at the same time each day, even after a rough night.",
        ],
        triggers: &["can't sleep", "waking in the night", "racing thoughts at bedtime"],
    },
    // ---- anger ----
    BuiltinStrategy {
        key: "step_away_to_cool_down",
        title: "Step away to cool down",
        category: "anger",
        steps: &[
            "Learn your early anger signs: hot face, tight jaw, clenched fists, a rising voice.",
            "Use a set phrase so others know what is happening: \"I need a few minutes. I'll be back.\"",
            "If children are there, make sure they are safe first, then move a few steps away to a spot where you can still see or hear them.",
            "Let the energy out safely: breathe out long and slow, press your palms together hard, or splash cold water on your face.",
            "Come back when you feel calmer. If you need to talk it through, start with \"I feel\" rather than blame.",
        ],
        triggers: &["arguments", "feeling unheard", "dealing with an ex-partner", "traffic"],
    },
    // ---- other ----
    BuiltinStrategy {
        key: "halt_check",
        title: "HALT check: hungry, angry, lonely, tired",
        category: "other",
        steps: &[
            "When things feel off, stop and ask four questions: Am I hungry? Angry? Lonely? Tired?",
            "If hungry: eat something simple now, like toast, fruit, or a snack you share with your child.",
            "If angry: name what upset you and take a few slow breaths before acting on it.",
            "If lonely: send a message to someone, even just to say hi.",
            "If tired: rest when you can, even ten minutes lying down while the kids watch a show.",
            "Cravings often feel stronger when one of these needs is unmet. Meeting the need can take some of the pull away.",
        ],
        triggers: &["feeling off without knowing why", "long days", "skipping meals"],
    },
    // ---- parenting ----
    BuiltinStrategy {
        key: "pause_before_responding",
        title: "Pause before responding to your child",
        category: "parenting",
        steps: &[
            "When your child pushes your buttons, take one slow breath before you say anything.",
            "Count to five in your head, or quietly say \"pause\" to yourself.",
            "Get down to their eye level and lower your voice instead of raising it.",
            "Name what you see: \"You're really upset that we have to leave.\"",
            "Then give one clear, calm instruction or a simple choice: \"Shoes on now, or in one minute?\"",
            "If you do snap, you can repair it: later, say sorry and offer a hug. Repairing teaches them a lot.",
        ],
        triggers: &["whining", "backtalk", "kids fighting", "rushed mornings"],
    },
    BuiltinStrategy {
        key: "meltdown_reset",
        title: "Reset when the kids are melting down",
        category: "parenting",
        steps: &[
            "Start with your own body: drop your shoulders, unclench your hands, and breathe out slowly.",
            "Make things safe: move breakable or risky things out of reach and give everyone some space.",
            "Use few words. A soft, steady \"I'm here. You're safe.\" works better than explaining.",
            "Change the scene: go outside, run a bath, put on a song, or turn the lights down.",
            "Offer something for the senses: a drink of water, a blanket, a tight hug if they want one.",
            "When everyone is calm, have a snack together. Talk about what happened later, not in the middle of it.",
        ],
        triggers: &["tantrums", "overtired kids", "a loud house", "end of the school day"],
    },
    BuiltinStrategy {
        key: "bedtime_hour_plan",
        title: "A plan for the bedtime hour",
        category: "parenting",
        steps: &[
            "Think of your evening in three parts: the kids' bedtime routine, the hour after they fall asleep, and your own bedtime.",
            "Keep the kids' routine simple and the same each night: bath, teeth, story, lights out.",
            "Decide what you will do in the first hour after they are asleep before it arrives: a show, a call with a friend, a shower, a craft, an online meeting.",
            "Make the space feel different: sit in a new chair, make a tea, put on music you like.",
            "If that hour is when cravings used to show up, tell someone and ask them to text you around that time.",
            "Set your own bedtime and stick close to it, so the evening has a clear end.",
        ],
        triggers: &["after the kids are asleep", "a quiet house", "evenings alone"],
    },
    BuiltinStrategy {
        key: "school_pickup_bridge",
        title: "A bridge routine after school pick-up",
        category: "parenting",
        steps: &[
            "Notice which stretch feels hardest: the wait at the gate, the trip home, or the first hour in the door.",
            "Plan a short routine for it and keep it the same each day: a snack in the car, a walk home past the park, or the same song on the way.",
            "Take a different route if the usual one passes a place linked to using.",
            "At home, do the first 20 minutes the same way every day: snack, drinks, shoes off, a few minutes of play or chat.",
            "Have an easy dinner plan ready so the late afternoon doesn't pile up.",
            "Text a support person at pick-up time so someone knows this is a tricky hour for you.",
        ],
        triggers: &["school pick-up", "late afternoon", "driving past old places", "tired kids after school"],
    },
    BuiltinStrategy {
        key: "after_dinner_plan",
        title: "Fill the after-dinner gap",
        category: "parenting",
        steps: &[
            "Name the after-dinner stretch as a time when cravings can show up, so it doesn't catch you off guard.",
            "Plan one family activity to start right after dinner: a walk, a board game, drawing, a dance party in the kitchen.",
            "Give your hands a job: washing up together, packing lunches, laying out school clothes.",
            "Have a drink you enjoy ready, like fizzy water, tea, or hot chocolate with the kids.",
            "If the urge comes anyway, tell your child you're playing a breathing game, and do box breathing together.",
        ],
        triggers: &["after dinner", "evening routines", "weekends at home"],
    },
    BuiltinStrategy {
        key: "ask_for_childcare_help",
        title: "Ask for help with childcare",
        category: "parenting",
        steps: &[
            "Make a short list of people who could take the kids for an hour: family, a neighbour, another parent, a childcare service.",
            "Ask ahead for a regular slot, such as one afternoon a week, so you can rest, go to a meeting, or see your peer worker.",
            "Keep the ask simple: \"Could you have the kids Thursday from 4 to 6? It really helps me.\"",
            "Agree on a signal for hard days: a text that means \"Can you come over or take them for a bit?\"",
            "Offer something back if you can, like swapping school runs, so it feels fair to you both.",
            "Remember that asking for help is part of caring for your family, not a sign that you can't cope.",
        ],
        triggers: &["no break from the kids", "appointments", "feeling stretched thin", "school holidays"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const CATEGORIES: &[&str] = &["craving", "stress", "mood", "parenting", "sleep", "anger", "other"];

    const AVOIDED_WORDS: &[&str] = &["relapse", "failed", "failure", "clean", "dirty", "addict"];

    fn is_snake_case(key: &str) -> bool {
        key.starts_with(|c: char| c.is_ascii_lowercase())
            && !key.ends_with('_')
            && !key.contains("__")
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    #[test]
    fn has_enough_entries() {
        assert!(BUILTIN_STRATEGIES.len() >= 15, "expected at least 15 strategies, found {}", BUILTIN_STRATEGIES.len());
    }

    #[test]
    fn keys_are_unique_and_snake_case() {
        let mut seen = HashSet::new();
        for s in BUILTIN_STRATEGIES {
            assert!(is_snake_case(s.key), "key {:?} is not snake_case", s.key);
            assert!(seen.insert(s.key), "duplicate key {:?}", s.key);
        }
    }

    #[test]
    fn titles_steps_and_triggers_respect_limits() {
        for s in BUILTIN_STRATEGIES {
            let title_len = s.title.chars().count();
            assert!((1..=200).contains(&title_len), "{}: title length {} out of 1..=200", s.key, title_len);
            assert!((3..=8).contains(&s.steps.len()), "{}: {} steps, expected 3..=8", s.key, s.steps.len());
            for step in s.steps {
                let len = step.chars().count();
                assert!((1..=500).contains(&len), "{}: step length {} out of 1..=500: {:?}", s.key, len, step);
            }
            assert!((1..=6).contains(&s.triggers.len()), "{}: {} triggers, expected 1..=6", s.key, s.triggers.len());
            for trigger in s.triggers {
                let len = trigger.chars().count();
                assert!((1..=100).contains(&len), "{}: trigger length {} out of 1..=100: {:?}", s.key, len, trigger);
            }
        }
    }

    #[test]
    fn categories_are_allowed_and_all_present() {
        for s in BUILTIN_STRATEGIES {
            assert!(CATEGORIES.contains(&s.category), "{}: unknown category {:?}", s.key, s.category);
        }
        for category in CATEGORIES {
            assert!(BUILTIN_STRATEGIES.iter().any(|s| s.category == *category), "no strategy in category {:?}", category);
        }
    }

    #[test]
    fn has_at_least_four_parenting_entries() {
        let count = BUILTIN_STRATEGIES.iter().filter(|s| s.category == "parenting").count();
        assert!(count >= 4, "expected at least 4 parenting strategies, found {count}");
    }

    #[test]
    fn text_avoids_stigmatising_words() {
        for s in BUILTIN_STRATEGIES {
            let texts = std::iter::once(s.title).chain(s.steps.iter().copied()).chain(s.triggers.iter().copied());
            for text in texts {
                let lower = text.to_lowercase();
                for word in AVOIDED_WORDS {
                    assert!(!lower.contains(word), "{}: text contains {:?}: {:?}", s.key, word, text);
                }
            }
        }
    }
}
