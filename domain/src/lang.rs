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

    /// Every language Steward speaks, in the order a switcher lists them.
    pub const ALL: [Lang; 3] = [Lang::Da, Lang::En, Lang::De];

    /// The language's name in itself, as a language switcher shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Da => "Dansk",
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// The language to write to a person in: their own if set, else their
    /// organization's default, else English.
    pub fn for_person(own: Option<&str>, organization_default: &str) -> Lang {
        own.and_then(Lang::parse).or_else(|| Lang::parse(organization_default)).unwrap_or_default()
    }

    /// The best of Steward's languages for an `Accept-Language` header
    /// (`da-DK,da;q=0.9,en;q=0.8`): the highest `q` first, the header's
    /// order among equals; a region (`de-AT`) counts as its language, `q=0`
    /// and `*` choose nothing. `None` when no listed language is Steward's.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default().trim();
            let weight = pieces.find_map(|piece| piece.trim().strip_prefix("q=").or_else(|| piece.trim().strip_prefix("Q=")));
            // A weight that is not a number from 0 to 1 makes the tag invalid, not preferred.
            let quality = match weight.map(|q| q.trim().parse::<f32>()) {
                None => 1.0,
                Some(Ok(q)) if (0.0..=1.0).contains(&q) => q,
                Some(_) => continue,
            };
            let Some(lang) = Lang::parse(tag.split(['-', '_']).next().unwrap_or_default()) else { continue };
            if quality > 0.0 && best.is_none_or(|(top, _)| quality > top) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
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

    #[test]
    fn accept_language_picks_the_best_of_ours() {
        assert_eq!(Lang::from_accept_language("da-DK,da;q=0.9,en;q=0.8"), Some(Lang::Da));
        assert_eq!(Lang::from_accept_language("de-AT, de;q=0.9"), Some(Lang::De));
        assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9,de;q=0.7,en;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("en;q=0.5, da"), Some(Lang::Da));
        assert_eq!(Lang::from_accept_language("da;q=0, de;q=0.1"), Some(Lang::De));
        assert_eq!(Lang::from_accept_language("*"), None);
        assert_eq!(Lang::from_accept_language("fr, nl;q=0.5"), None);
        assert_eq!(Lang::from_accept_language("de;q=5, da;q=0.5"), Some(Lang::Da), "a weight above 1 is invalid");
        assert_eq!(Lang::from_accept_language("de;q=1e999, de;q=NaN, da;q=0.2"), Some(Lang::Da));
        assert_eq!(Lang::from_accept_language("dan"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
