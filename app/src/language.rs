//! The language the app speaks. Signed in: the person's own choice, stored
//! with their account; otherwise the browser's (as it would say in
//! `Accept-Language`) if it is one of ours; otherwise the organization's
//! default, or English before sign-in. `<html lang>` and every API call's
//! `Accept-Language` follow it, so the Worker answers in the same language.

use std::cell::Cell;

use leptos::prelude::*;
use steward_domain::fields::Date;
use steward_domain::format;
use steward_domain::lang::Lang;

use leptos_i18n::I18nContext;

use crate::i18n::{use_i18n, Locale};

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
    /// A language chosen with the switcher in this tab (before sign-in too).
    static CHOSEN_HERE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Remembers a choice made with the switcher, so that signing in keeps it.
pub fn choose(i18n: I18nContext<Locale>, lang: Lang) {
    CHOSEN_HERE.with(|chosen| chosen.set(Some(lang)));
    speak(i18n, lang);
}

/// The language chosen with the switcher in this tab, if any.
pub fn chosen_here() -> Option<Lang> {
    CHOSEN_HERE.with(Cell::get)
}

/// The language in use, for code outside components (API calls, downloads).
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

pub fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Da => Locale::da,
        Lang::En => Locale::en,
        Lang::De => Locale::de,
    }
}

pub fn lang(locale: Locale) -> Lang {
    match locale {
        Locale::da => Lang::Da,
        Locale::en => Lang::En,
        Locale::de => Lang::De,
    }
}

/// The first of the browser's preferred languages that the app speaks.
pub fn browser() -> Option<Lang> {
    let navigator = window().navigator();
    let preferred: Vec<String> = navigator.languages().iter().filter_map(|value| value.as_string()).collect();
    first_spoken(preferred.iter().map(String::as_str).chain(navigator.language().as_deref()))
}

/// `da-DK` → Danish; the primary subtag decides.
fn first_spoken<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
    tags.into_iter().find_map(|tag| Lang::parse(tag.split(['-', '_']).next().unwrap_or_default()))
}

/// Which language a signed-in person sees: their own, else the browser's,
/// else their organization's.
pub fn for_signed_in(own: Option<Lang>, browser: Option<Lang>, organization: Lang) -> Lang {
    own.or(browser).unwrap_or(organization)
}

/// Speaks `lang` from now on: the page's texts, `<html lang>` and the
/// API's answers. Takes the context rather than looking it up, because it is
/// also called after an `await`, where there is none to look up.
pub fn speak(i18n: I18nContext<Locale>, lang: Lang) {
    CURRENT.with(|current| current.set(lang));
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.as_str());
    }
    i18n.set_locale(locale(lang));
}

/// A moment (Unix seconds) in the page's language; inside a reactive
/// closure (`move || language::time(t)`) it follows a change of language.
pub fn time(seconds: i64) -> String {
    format::time(lang(use_i18n().get_locale()), seconds)
}

/// A calendar date in the page's language, as `time`.
pub fn date(date: Date) -> String {
    format::date(lang(use_i18n().get_locale()), date)
}

/// A count in the page's language (`200.000` / `200,000`), as `time`.
pub fn number(value: u64) -> String {
    format::number(lang(use_i18n().get_locale()), value)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_spoken_browser_language_wins() {
        assert_eq!(first_spoken(["fr-FR", "da-DK", "en"]), Some(Lang::Da));
        assert_eq!(first_spoken(["de_AT"]), Some(Lang::De));
        assert_eq!(first_spoken(["fr", "sv"]), None);
    }

    #[test]
    fn own_choice_then_browser_then_organization() {
        assert_eq!(for_signed_in(Some(Lang::De), Some(Lang::En), Lang::Da), Lang::De);
        assert_eq!(for_signed_in(None, Some(Lang::En), Lang::Da), Lang::En);
        assert_eq!(for_signed_in(None, None, Lang::Da), Lang::Da);
    }
}
