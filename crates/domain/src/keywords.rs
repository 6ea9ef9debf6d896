//! Keyword flags: phrases sellers and creators use for banned goods ("thrifting", "bal", "bekas
//! impor"), matched case-insensitively on word boundaries, so "bal" flags "1 bal 100 pcs" but not
//! "Bali" or "balon". The phrases themselves are data (table `keyword_rules`), edited by an admin
//! through the API: a rule may be limited to one category, and carries a weight (1–4) — what its
//! match adds to the flags term of a case's priority.

use crate::text_enum::text_enum;

/// The largest weight a rule may carry: the priority formula counts at most 4 flag points.
pub const MAX_WEIGHT: i32 = 4;
/// The longest phrase, in characters.
pub const MAX_PHRASE_CHARS: usize = 100;
/// The most words a phrase may have.
pub const MAX_PHRASE_WORDS: usize = 6;

text_enum! {
    /// What one change did to a keyword rule (its change log).
    pub enum RuleChange {
        /// The rule was created.
        Added = "ADDED",
        /// Its phrase, language, category or weight changed.
        Changed = "CHANGED",
        /// It stopped flagging complaints.
        Retired = "RETIRED",
        /// A retired rule flags again.
        Restored = "RESTORED",
    }
}

text_enum! {
    /// The language a rule's phrase is written in (informative: every rule is matched against
    /// every complaint, whatever language it is written in).
    pub enum RuleLanguage {
        Indonesian = "id",
        English = "en",
    }
}

/// A keyword rule as matching sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The phrase, in its normal form (see [`normal_phrase`]).
    pub phrase: String,
    /// The only category whose complaints it flags; none: every category.
    pub category_id: Option<i64>,
    /// 1 to [`MAX_WEIGHT`].
    pub weight: u32,
}

/// Lower-cased words of `text`: runs of letters and digits. URLs split into their path words too.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The form a phrase is stored and compared in: its words, lower-cased, one space apart; `None`
/// when it has no word, more than [`MAX_PHRASE_WORDS`] or more than [`MAX_PHRASE_CHARS`]
/// characters.
pub fn normal_phrase(phrase: &str) -> Option<String> {
    let words = words(phrase);
    let normal = words.join(" ");
    (!words.is_empty()
        && words.len() <= MAX_PHRASE_WORDS
        && normal.chars().count() <= MAX_PHRASE_CHARS)
        .then_some(normal)
}

/// The phrases of `rules` that apply to `category_id` and occur in any of `texts` as whole words,
/// in rule order, each once.
pub fn matching<'r>(rules: &'r [Rule], category_id: i64, texts: &[&str]) -> Vec<&'r str> {
    let haystacks: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
    rules
        .iter()
        .filter(|rule| rule.category_id.is_none_or(|only| only == category_id))
        .filter(|rule| {
            let needle = words(&rule.phrase);
            !needle.is_empty()
                && haystacks.iter().any(|hay| {
                    hay.windows(needle.len())
                        .any(|window| window == needle.as_slice())
                })
        })
        .map(|rule| rule.phrase.as_str())
        .collect()
}

/// What a case's flags weigh under the current `rules`: the sum of the weights of the rules whose
/// phrase is among `flags`. A flag whose rule was retired (or is unknown) weighs nothing.
pub fn flag_weight(rules: &[Rule], flags: &[&str]) -> u32 {
    rules
        .iter()
        .filter(|rule| flags.contains(&rule.phrase.as_str()))
        .map(|rule| rule.weight)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<Rule> {
        ["thrifting", "bal", "hidden gem", "bekas impor"]
            .map(|phrase| Rule {
                phrase: phrase.to_owned(),
                category_id: None,
                weight: 1,
            })
            .to_vec()
    }

    #[test]
    fn matches_whole_words_case_insensitively() {
        let rules = rules();
        assert_eq!(
            matching(
                &rules,
                1,
                &["Jual BAL 100 pcs, HIDDEN  gem!", "https://shopee.co.id/x"]
            ),
            vec!["bal", "hidden gem"]
        );
        assert_eq!(
            matching(
                &rules,
                1,
                &["https://tokopedia.com/toko/baju-bekas-impor-murah"]
            ),
            vec!["bekas impor"]
        );
        assert!(matching(&rules, 1, &["Liburan ke Bali, beli balon", "thriftingan"]).is_empty());
        assert_eq!(matching(&rules, 1, &["#thrifting"]), vec!["thrifting"]);
    }

    #[test]
    fn a_rule_limited_to_a_category_flags_only_that_category() {
        let mut rules = rules();
        rules[1].category_id = Some(7);
        assert_eq!(matching(&rules, 7, &["1 bal 100 pcs"]), vec!["bal"]);
        assert!(matching(&rules, 8, &["1 bal 100 pcs"]).is_empty());
    }

    #[test]
    fn flags_weigh_what_their_current_rules_weigh() {
        let mut rules = rules();
        rules[2].weight = 3;
        assert_eq!(flag_weight(&rules, &["bal", "hidden gem"]), 4);
        // A retired rule is not among the current ones: its flag weighs nothing.
        assert_eq!(flag_weight(&rules, &["karungan", "bal"]), 1);
    }

    #[test]
    fn phrases_are_stored_in_their_normal_form() {
        assert_eq!(
            normal_phrase("  Hidden-GEM "),
            Some("hidden gem".to_owned())
        );
        assert_eq!(normal_phrase(" -- "), None);
        assert_eq!(normal_phrase("a b c d e f g"), None);
        assert_eq!(normal_phrase(&"x".repeat(101)), None);
    }
}
