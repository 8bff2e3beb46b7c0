//! The language the library speaks to people: validation reasons, milestone
//! names, crisis lines and the built-in coping library follow it. It is one
//! setting for the process, as the phone's language is; the shell sets it
//! from the phone's locale at start and when the locale changes.

use std::sync::atomic::{AtomicU8, Ordering};

use alongside_core::i18n::{self, Language, Words};

static LANGUAGE: AtomicU8 = AtomicU8::new(0);

/// The language set last (English until the shell says otherwise).
pub(crate) fn current() -> Language {
    match LANGUAGE.load(Ordering::Relaxed) {
        1 => Language::Spanish,
        _ => Language::English,
    }
}

/// Speaks `language` from now on.
#[uniffi::export]
pub fn set_language(language: Language) {
    let code = match language {
        Language::English => 0,
        Language::Spanish => 1,
    };
    LANGUAGE.store(code, Ordering::Relaxed);
}

/// The language Alongside speaks for a phone set to `tag` (`es-MX`, `en-US`, ...).
#[uniffi::export]
pub fn language_for_tag(tag: String) -> Language {
    Language::from_tag(&tag)
}

/// Every word of the screens in `language`, from the same source for every app.
#[uniffi::export]
pub fn words(language: Language) -> Words {
    i18n::words(language)
}
