//! The languages Steward speaks to people in.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Da,
    #[default]
    En,
    De,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language to write to a person in: their own if set, else their
    /// organization's default, else English.
    pub fn for_person(own: Option<&str>, organization_default: &str) -> Lang {
        own.and_then(Lang::parse).or_else(|| Lang::parse(organization_default)).unwrap_or_default()
    }

    /// Picks this language's text from a (Danish, English, German) triple.
    pub fn pick<'a>(self, texts: (&'a str, &'a str, &'a str)) -> &'a str {
        match self {
            Lang::Da => texts.0,
            Lang::En => texts.1,
            Lang::De => texts.2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_written_to_in_their_own_language_first() {
        assert_eq!(Lang::for_person(Some("de"), "da"), Lang::De);
        assert_eq!(Lang::for_person(None, "da"), Lang::Da);
        assert_eq!(Lang::for_person(Some("xx"), "yy"), Lang::En);
        for lang in [Lang::Da, Lang::En, Lang::De] {
            assert_eq!(Lang::parse(lang.as_str()), Some(lang));
        }
    }
}
