//! The registrable part of a domain: the organisation that owns it.
//!
//! `a.partner.example` and `b.partner.example` belong to one organisation, `partner.example`;
//! `mail.corp.co.jp` belongs to `corp.co.jp`. The recipient checks need this to tell
//! "two addresses of one partner" from "two partners" (`mixed-external-domains`) and to
//! compare domains by what their owner registered (`lookalike-domain`).
//!
//! Why a heuristic and not the Public Suffix List: the `psl` crate compiles the whole list
//! into code and made the add-on's wasm module 245 KB (gzipped) larger, more than the rest of
//! the engine together; the add-on must stay small. The list's precision matters little here,
//! because mail goes to organisations, not to the hosting platforms that make up most of it.
//!
//! The heuristic, on the ASCII (IDNA) form:
//! - `.jp`: the attribute types `ac`, `ad`, `co`, `ed`, `go`, `gr`, `lg`, `ne`, `or` and the
//!   47 prefecture labels (general-use prefecture-type domains such as `example.tokyo.jp`,
//!   in Latin or Japanese script) are suffixes, so `corp.co.jp` and `example.tokyo.jp` are
//!   registrable; any other `example.jp` is a general-use domain.
//!   Known limit: old geographic-type domains (`org.chiyoda.tokyo.jp`) count as one
//!   organisation per city, `chiyoda.tokyo.jp`.
//! - Other two-letter country-code TLDs: a common generic second level (`co.uk`, `com.au`,
//!   `ac.uk`, `gov.uk`, `co.nz`, `com.cn`, `co.kr`, …, see [`CC_SECOND_LEVELS`]) is a suffix.
//! - Everything else: the last two labels (`partner.example`, `corp.com`).
//!
//! A domain with fewer labels than its registrable part would need (`co.jp` itself, or a
//! single label) is its own registrable part.

/// Second-level labels under `.jp` that are public suffixes (JPRS attribute types).
const JP_ATTRIBUTE_TYPES: &[&str] = &["ac", "ad", "co", "ed", "go", "gr", "lg", "ne", "or"];

/// The 47 prefectures, as labels of general-use prefecture-type `.jp` domains.
const JP_PREFECTURES: &[&str] = &[
    "hokkaido",
    "aomori",
    "iwate",
    "miyagi",
    "akita",
    "yamagata",
    "fukushima",
    "ibaraki",
    "tochigi",
    "gunma",
    "saitama",
    "chiba",
    "tokyo",
    "kanagawa",
    "niigata",
    "toyama",
    "ishikawa",
    "fukui",
    "yamanashi",
    "nagano",
    "gifu",
    "shizuoka",
    "aichi",
    "mie",
    "shiga",
    "kyoto",
    "osaka",
    "hyogo",
    "nara",
    "wakayama",
    "tottori",
    "shimane",
    "okayama",
    "hiroshima",
    "yamaguchi",
    "tokushima",
    "kagawa",
    "ehime",
    "kochi",
    "fukuoka",
    "saga",
    "nagasaki",
    "kumamoto",
    "oita",
    "miyazaki",
    "kagoshima",
    "okinawa",
];

/// The same prefectures in Japanese script (北海道 … 沖縄), in their IDNA form;
/// a unit test derives them from the kanji so that none is mistyped.
const JP_PREFECTURES_IDN: &[&str] = &[
    "xn--djrs72d6uy",
    "xn--32vp30h",
    "xn--djty4k",
    "xn--uisz3g",
    "xn--rny31h",
    "xn--rht61e",
    "xn--klt787d",
    "xn--uist22h",
    "xn--4pvxs",
    "xn--7t0a264c",
    "xn--5js045d",
    "xn--mkru45i",
    "xn--1lqs71d",
    "xn--ntso0iqx3a",
    "xn--efvn9s",
    "xn--1ctwo",
    "xn--5rtp49c",
    "xn--elqq16h",
    "xn--rht27z",
    "xn--2m4a15e",
    "xn--nit225k",
    "xn--4it797k",
    "xn--vgu402c",
    "xn--ehqz56n",
    "xn--zbx025d",
    "xn--1lqs03n",
    "xn--pssu33l",
    "xn--f6qx53a",
    "xn--ntsq17g",
    "xn--0trq7p7nn",
    "xn--tor131o",
    "xn--klty5x",
    "xn--rht3d",
    "xn--kltx9a",
    "xn--6orx2r",
    "xn--kltp7d",
    "xn--5rtq34k",
    "xn--c3s14m",
    "xn--k7yn95e",
    "xn--4it168d",
    "xn--qqqt11m",
    "xn--8ltr62k",
    "xn--8pvr4u",
    "xn--kbrq7o",
    "xn--6btw5a",
    "xn--d5qv7z876c",
    "xn--uuwu58a",
];

/// Generic second levels under other two-letter country codes (`co.uk`, `com.au`, `ac.in`, …).
pub const CC_SECOND_LEVELS: &[&str] = &[
    "ac", "ad", "asn", "co", "com", "ed", "edu", "go", "gob", "gov", "govt", "gr", "idv", "lg", "ltd", "me", "mil",
    "ne", "net", "nhs", "nic", "nom", "or", "org", "plc", "re", "sch",
];

/// The registrable part of a domain in normal (ASCII, lower-case) form.
pub fn registrable(domain: &str) -> &str {
    // The last labels, right to left: [tld, second, third, rest]; without a `Vec`, as this
    // runs for every recipient of a mail (issue #13).
    let mut last = [""; 4];
    let mut count = 0;
    for label in domain.rsplitn(4, '.') {
        last[count] = label;
        count += 1;
    }
    let labels = &last[..count];
    let jp_suffix =
        |l: &&str| JP_ATTRIBUTE_TYPES.contains(l) || JP_PREFECTURES.contains(l) || JP_PREFECTURES_IDN.contains(l);
    let country_code = |l: &&str| l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase());
    let keep = match labels {
        [tld, second, ..] if *tld == "jp" && jp_suffix(second) => 3,
        [tld, second, ..] if *tld != "jp" && country_code(tld) && CC_SECOND_LEVELS.contains(second) => 3,
        _ => 2,
    };
    if labels.len() <= keep {
        return domain;
    }
    // The registrable part starts after the dot that precedes its first label.
    let len: usize = labels[..keep].iter().map(|l| l.len()).sum::<usize>() + keep - 1;
    &domain[domain.len() - len..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(domain: &str, expected: &str) {
        assert_eq!(registrable(domain), expected, "registrable part of {domain:?}");
    }

    #[test]
    fn registrable_parts() {
        check("partner.example", "partner.example");
        check("a.partner.example", "partner.example");
        check("x.y.partner.example", "partner.example");
        check("corp.co.jp", "corp.co.jp");
        check("mail.corp.co.jp", "corp.co.jp");
        check("a.b.univ.ac.jp", "univ.ac.jp");
        check("city.shinjuku.lg.jp", "shinjuku.lg.jp");
        check("example.jp", "example.jp");
        check("www.example.jp", "example.jp");
        check("shop.example.tokyo.jp", "example.tokyo.jp");
        check("xn--r8jz45g.xn--1lqs71d.jp", "xn--r8jz45g.xn--1lqs71d.jp");
        check("mail.example.co.uk", "example.co.uk");
        check("example.com.au", "example.com.au");
        check("news.example.com", "example.com");
        check("example.de", "example.de");
        check("a.example.de", "example.de");
        check("co.jp", "co.jp");
        check("jp", "jp");
        check("localhost", "localhost");
        check("", "");
    }

    #[test]
    fn japanese_prefecture_labels_are_the_kanji_names() {
        let kanji = "北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄";
        let derived: Vec<String> = kanji.split(' ').map(|k| idna::domain_to_ascii(k).unwrap()).collect();
        assert_eq!(derived, JP_PREFECTURES_IDN);
        assert_eq!(JP_PREFECTURES.len(), 47);
    }
}
