//! The catalogues' one rule: every language has the same keys, and each
//! message has the same `{{ placeholders }}` in every language. The build
//! script runs it (a missing key fails the build) and so do the unit tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const LANGUAGES: [&str; 3] = ["en", "da", "de"];

/// The namespaces, one file per language each (`locales/<lang>/<ns>.json`).
pub const NAMESPACES: [&str; 15] = [
    "common", "shell", "sign_in", "activate", "join", "account", "users", "user", "import", "audit",
    "notifications", "deputies", "applications", "requests", "transfers",
];

/// A catalogue flattened to `namespace.key.subkey` → message.
pub type Messages = BTreeMap<String, String>;

pub fn load(locales: &Path, language: &str) -> Result<Messages, String> {
    let mut messages = Messages::new();
    for namespace in NAMESPACES {
        let path = locales.join(language).join(format!("{namespace}.json"));
        let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        flatten(namespace, &value, &mut messages).map_err(|problem| format!("{}: {problem}", path.display()))?;
    }
    Ok(messages)
}

fn flatten(prefix: &str, value: &serde_json::Value, into: &mut Messages) -> Result<(), String> {
    match value {
        serde_json::Value::String(text) => {
            into.insert(prefix.to_string(), text.clone());
            Ok(())
        }
        serde_json::Value::Object(entries) => {
            entries.iter().try_for_each(|(key, value)| flatten(&format!("{prefix}.{key}"), value, into))
        }
        _ => Err(format!("{prefix} is neither a message nor a group of messages")),
    }
}

/// The `{{ name }}` placeholders of a message.
pub fn placeholders(message: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = message;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        names.insert(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    names
}

/// Every difference between the languages' catalogues, in words.
pub fn problems(catalogues: &[(&str, Messages)]) -> Vec<String> {
    let mut problems = Vec::new();
    let Some((first, reference)) = catalogues.first() else { return problems };
    for (language, messages) in &catalogues[1..] {
        for key in reference.keys().filter(|key| !messages.contains_key(*key)) {
            problems.push(format!("{language} lacks {key} (in {first})"));
        }
        for key in messages.keys().filter(|key| !reference.contains_key(*key)) {
            problems.push(format!("{language} has {key}, which {first} lacks"));
        }
        for (key, message) in messages {
            if let Some(reference_message) = reference.get(key) {
                let (theirs, ours) = (placeholders(message), placeholders(reference_message));
                if theirs != ours {
                    problems.push(format!("{language} {key} has placeholders {theirs:?}, {first} has {ours:?}"));
                }
                if message.trim().is_empty() {
                    problems.push(format!("{language} {key} is empty"));
                }
            }
        }
    }
    problems
}

pub fn check(locales: &Path) -> Result<(), Vec<String>> {
    let catalogues = LANGUAGES
        .iter()
        .map(|language| load(locales, language).map(|messages| (*language, messages)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|problem| vec![problem])?;
    let problems = problems(&catalogues);
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(entries: &[(&str, &str)]) -> Messages {
        entries.iter().map(|(key, message)| (key.to_string(), message.to_string())).collect()
    }

    #[test]
    fn the_three_catalogues_have_the_same_keys_and_placeholders() {
        let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        assert_eq!(check(&locales), Ok(()));
        let english = load(&locales, "en").unwrap();
        assert!(english.len() > 100, "only {} messages", english.len());
    }

    #[test]
    fn a_missing_key_or_placeholder_is_named() {
        let en = catalogue(&[("users.title", "Users"), ("users.count", "{{ count }} users")]);
        let da = catalogue(&[("users.count", "{{ antal }} brugere")]);
        assert_eq!(
            problems(&[("en", en), ("da", da)]),
            vec![
                "da lacks users.title (in en)".to_string(),
                "da users.count has placeholders {\"antal\"}, en has {\"count\"}".to_string(),
            ]
        );
    }

    #[test]
    fn placeholders_are_read_between_double_braces() {
        assert_eq!(placeholders("{{ a }} and {{b}}, not {c}"), BTreeSet::from(["a".to_string(), "b".to_string()]));
    }
}
