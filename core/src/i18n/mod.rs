//! Words people read, in English and Spanish, from one source for both apps:
//! the screens' own strings ([`Words`]), and what the core itself shows
//! (validation reasons, milestone names, the crisis lines, the built-in
//! coping library) in the language the phone asks for.
//!
//! Templates hold `{name}` placeholders; a template with a `|` has a
//! singular and a plural form ("{n} day|{n} days"): both languages use the
//! singular for exactly 1 and the plural otherwise. [`fill`] and [`count`]
//! are the whole formatting language, small enough to mirror in Kotlin and
//! Swift.

mod reasons;
mod words;

pub use reasons::{reason, server_reason};
pub use words::*;

/// A language Alongside speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Language {
    #[default]
    English,
    Spanish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The language for a BCP 47 tag from the phone's settings (`es-MX`,
    /// `es_US`, `en`): Spanish for any Spanish, English for everything else.
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("es") { Language::Spanish } else { Language::English }
    }

    /// The tag of this language (`en`, `es`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The form of `template` for `n` (singular for exactly 1), with `{n}` filled.
pub fn count(template: &str, n: i64) -> String {
    let form = match template.split_once('|') {
        Some((one, _)) if n == 1 => one,
        Some((_, other)) => other,
        None => template,
    };
    fill(form, &[("n", &n.to_string())])
}

#[cfg(test)]
mod tests;
