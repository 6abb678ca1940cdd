//! The two languages the engine speaks: Japanese first, English too.
//!
//! Every user-facing text the engine produces (finding messages, policy diagnostics)
//! is written in both languages at the place it is produced, with [`Lang::pick`],
//! so that a missing translation is a compile error rather than a blank line in the dialog.

/// A user-interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Japanese, the default: the product is made for Japanese offices.
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses a BCP 47 tag such as `ja`, `ja-JP`, `en-US`. Anything not Japanese is English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if primary == "ja" {
            Lang::Ja
        } else if primary.is_empty() {
            Lang::default()
        } else {
            Lang::En
        }
    }

    /// The BCP 47 primary tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Picks the text for this language.
    pub fn pick<T>(self, ja: T, en: T) -> T {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags() {
        assert_eq!(Lang::from_tag("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_tag("JA"), Lang::Ja);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("zh-CN"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::Ja);
    }
}
