//! Crisis resources, built in: they need no database, no network and no
//! sign-in, so a shell can show them even when nothing else works.

use serde::Serialize;

use crate::i18n::Language;

/// How a resource is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CrisisChannel {
    Call,
    Text,
    Tty,
}

/// One way to reach a crisis line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CrisisContact {
    pub channel: CrisisChannel,
    /// What to dial or text to, as a phone accepts it.
    pub number: &'static str,
    /// What to type, where the line asks for a word first.
    pub text_body: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CrisisResource {
    pub name: &'static str,
    pub description: &'static str,
    pub contacts: &'static [CrisisContact],
    pub available: &'static str,
}

const fn call(number: &'static str) -> CrisisContact {
    CrisisContact { channel: CrisisChannel::Call, number, text_body: None }
}

const DAY_AND_NIGHT_EN: &str = "24 hours, every day";
const DAY_AND_NIGHT_ES: &str = "Las 24 horas, todos los días";

/// The built-in lines, most immediate first.
pub const CRISIS_RESOURCES: &[CrisisResource] = &[
    CrisisResource {
        name: "911",
        description: "Emergency services, for immediate danger to you or someone else.",
        contacts: &[call("911")],
        available: DAY_AND_NIGHT_EN,
    },
    CrisisResource {
        name: "988 Suicide & Crisis Lifeline",
        description: "Call or text 988 to talk with a trained counselor about any kind of crisis, including substance use.",
        contacts: &[call("988"), CrisisContact { channel: CrisisChannel::Text, number: "988", text_body: None }],
        available: DAY_AND_NIGHT_EN,
    },
    CrisisResource {
        name: "SAMHSA National Helpline",
        description: "Free, confidential treatment referral and information about substance use, in English and Spanish.",
        contacts: &[call("18006624357"), CrisisContact { channel: CrisisChannel::Tty, number: "18004874889", text_body: None }],
        available: DAY_AND_NIGHT_EN,
    },
    CrisisResource {
        name: "Crisis Text Line",
        description: "Text HOME to 741741 to reach a volunteer crisis counselor by text.",
        contacts: &[CrisisContact { channel: CrisisChannel::Text, number: "741741", text_body: Some("HOME") }],
        available: DAY_AND_NIGHT_EN,
    },
];

/// The same lines for Spanish speakers: 988 answers in Spanish (press 2 on a
/// call; text AYUDA), and Crisis Text Line answers AYUDA in Spanish.
pub const CRISIS_RESOURCES_ES: &[CrisisResource] = &[
    CrisisResource {
        name: "911",
        description: "Servicios de emergencia, si tú u otra persona están en peligro inmediato.",
        contacts: &[call("911")],
        available: DAY_AND_NIGHT_ES,
    },
    CrisisResource {
        name: "988 Línea de Prevención del Suicidio y Crisis",
        description: "Llama o envía un texto al 988 para hablar con un consejero capacitado sobre cualquier crisis, incluido el consumo de sustancias. Para español, marca 2 o envía AYUDA.",
        contacts: &[call("988"), CrisisContact { channel: CrisisChannel::Text, number: "988", text_body: Some("AYUDA") }],
        available: DAY_AND_NIGHT_ES,
    },
    CrisisResource {
        name: "Línea Nacional de Ayuda de SAMHSA",
        description: "Información y referidos a tratamiento sobre el consumo de sustancias, gratis y confidencial, en inglés y en español.",
        contacts: &[call("18006624357"), CrisisContact { channel: CrisisChannel::Tty, number: "18004874889", text_body: None }],
        available: DAY_AND_NIGHT_ES,
    },
    CrisisResource {
        name: "Crisis Text Line",
        description: "Envía AYUDA al 741741 para hablar por texto, en español, con un consejero voluntario.",
        contacts: &[CrisisContact { channel: CrisisChannel::Text, number: "741741", text_body: Some("AYUDA") }],
        available: DAY_AND_NIGHT_ES,
    },
];

/// The built-in crisis resources, in `language`.
pub fn crisis_resources(language: Language) -> &'static [CrisisResource] {
    match language {
        Language::English => CRISIS_RESOURCES,
        Language::Spanish => CRISIS_RESOURCES_ES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_lines_are_there_with_their_numbers() {
        let numbers: Vec<(&str, CrisisChannel, &str)> = crisis_resources(Language::English)
            .iter()
            .flat_map(|r| r.contacts.iter().map(move |c| (r.name, c.channel, c.number)))
            .collect();
        for expected in [
            ("911", CrisisChannel::Call, "911"),
            ("988 Suicide & Crisis Lifeline", CrisisChannel::Call, "988"),
            ("988 Suicide & Crisis Lifeline", CrisisChannel::Text, "988"),
            ("SAMHSA National Helpline", CrisisChannel::Call, "18006624357"),
            ("SAMHSA National Helpline", CrisisChannel::Tty, "18004874889"),
            ("Crisis Text Line", CrisisChannel::Text, "741741"),
        ] {
            assert!(numbers.contains(&expected), "missing {expected:?}");
        }
        let text_line = crisis_resources(Language::English).iter().find(|r| r.name == "Crisis Text Line").map(|r| r.contacts[0].text_body);
        assert_eq!(text_line, Some(Some("HOME")));
    }

    #[test]
    fn spanish_speakers_get_the_same_numbers() {
        let numbers = |language| -> Vec<(CrisisChannel, &str)> {
            crisis_resources(language).iter().flat_map(|r| r.contacts.iter().map(|c| (c.channel, c.number))).collect()
        };
        assert_eq!(numbers(Language::Spanish), numbers(Language::English));
        for line in crisis_resources(Language::Spanish) {
            for contact in line.contacts.iter().filter(|c| c.channel == CrisisChannel::Text && c.number != "988") {
                assert_eq!(contact.text_body, Some("AYUDA"), "{}", line.name);
            }
        }
    }
}
