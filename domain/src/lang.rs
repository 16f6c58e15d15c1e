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

    /// Picks this language's text from a (Danish, English, German) triple.
    pub fn pick<'a>(self, texts: (&'a str, &'a str, &'a str)) -> &'a str {
        match self {
            Lang::Da => texts.0,
            Lang::En => texts.1,
            Lang::De => texts.2,
        }
    }
}
