//! The languages the engine speaks: Japanese first, English and Simplified Chinese too.
//!
//! Every user-facing text the engine produces (finding messages, policy diagnostics)
//! is written in every language at the place it is produced, with [`Lang::pick3`],
//! so that a missing translation is a compile error rather than a blank line in the dialog.

/// A user-interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Japanese, the default: the product is made for Japanese offices.
    #[default]
    Ja,
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Every language, in the order of [`Lang::pick3`]'s arguments.
    pub const ALL: [Lang; 3] = [Lang::Ja, Lang::En, Lang::Zh];

    /// Parses a BCP 47 tag such as `ja`, `ja-JP`, `en-US`, `zh-CN`. Anything neither Japanese
    /// nor Chinese is English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Lang::Ja,
            "zh" => Lang::Zh,
            "" => Lang::default(),
            _ => Lang::En,
        }
    }

    /// The BCP 47 primary tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Picks the text for this language.
    pub fn pick3<T>(self, ja: T, en: T, zh: T) -> T {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
            Lang::Zh => zh,
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
        assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("zh_CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::Ja);
    }
}
