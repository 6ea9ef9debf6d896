//! Keyword flags: phrases sellers and creators use for banned goods ("thrifting", "bal", "bekas
//! impor"), matched case-insensitively on word boundaries, so "bal" flags "1 bal 100 pcs" but not
//! "Bali" or "balon". The phrases themselves are data (table `keyword_rules`), edited by an admin.

/// Lower-cased words of `text`: runs of letters and digits. URLs split into their path words too.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The phrases of `rules` that occur in any of `texts` as whole words, in rule order, each once.
pub fn matching<'r>(rules: &'r [String], texts: &[&str]) -> Vec<&'r str> {
    let haystacks: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
    rules
        .iter()
        .filter(|rule| {
            let needle = words(rule);
            !needle.is_empty()
                && haystacks.iter().any(|hay| {
                    hay.windows(needle.len())
                        .any(|window| window == needle.as_slice())
                })
        })
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<String> {
        ["thrifting", "bal", "hidden gem", "bekas impor"]
            .map(str::to_owned)
            .to_vec()
    }

    #[test]
    fn matches_whole_words_case_insensitively() {
        let rules = rules();
        assert_eq!(
            matching(
                &rules,
                &["Jual BAL 100 pcs, HIDDEN  gem!", "https://shopee.co.id/x"]
            ),
            vec!["bal", "hidden gem"]
        );
        assert_eq!(
            matching(
                &rules,
                &["https://tokopedia.com/toko/baju-bekas-impor-murah"]
            ),
            vec!["bekas impor"]
        );
        assert!(matching(&rules, &["Liburan ke Bali, beli balon", "thriftingan"]).is_empty());
        assert_eq!(matching(&rules, &["#thrifting"]), vec!["thrifting"]);
    }
}
