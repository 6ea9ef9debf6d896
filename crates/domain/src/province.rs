//! Indonesia's 38 provinces (as of 2023) and a forgiving parser for the ways
//! citizens write them.
//!
//! Reports carry the reporter's province so that cases can be routed and counted
//! per region. People type "Jabar", "Jogja", "DKI" or "Prov. Jawa Timur"; all of
//! them have to end up as the one official name.

use std::fmt;

/// A province, identified by its official Indonesian name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Province(&'static str);

const ACEH: Province = Province("Aceh");
const SUMATERA_UTARA: Province = Province("Sumatera Utara");
const SUMATERA_BARAT: Province = Province("Sumatera Barat");
const RIAU: Province = Province("Riau");
const JAMBI: Province = Province("Jambi");
const SUMATERA_SELATAN: Province = Province("Sumatera Selatan");
const BENGKULU: Province = Province("Bengkulu");
const LAMPUNG: Province = Province("Lampung");
const BANGKA_BELITUNG: Province = Province("Kepulauan Bangka Belitung");
const KEPULAUAN_RIAU: Province = Province("Kepulauan Riau");
const JAKARTA: Province = Province("DKI Jakarta");
const JAWA_BARAT: Province = Province("Jawa Barat");
const JAWA_TENGAH: Province = Province("Jawa Tengah");
const YOGYAKARTA: Province = Province("Daerah Istimewa Yogyakarta");
const JAWA_TIMUR: Province = Province("Jawa Timur");
const BANTEN: Province = Province("Banten");
const BALI: Province = Province("Bali");
const NUSA_TENGGARA_BARAT: Province = Province("Nusa Tenggara Barat");
const NUSA_TENGGARA_TIMUR: Province = Province("Nusa Tenggara Timur");
const KALIMANTAN_BARAT: Province = Province("Kalimantan Barat");
const KALIMANTAN_TENGAH: Province = Province("Kalimantan Tengah");
const KALIMANTAN_SELATAN: Province = Province("Kalimantan Selatan");
const KALIMANTAN_TIMUR: Province = Province("Kalimantan Timur");
const KALIMANTAN_UTARA: Province = Province("Kalimantan Utara");
const SULAWESI_UTARA: Province = Province("Sulawesi Utara");
const SULAWESI_TENGAH: Province = Province("Sulawesi Tengah");
const SULAWESI_SELATAN: Province = Province("Sulawesi Selatan");
const SULAWESI_TENGGARA: Province = Province("Sulawesi Tenggara");
const GORONTALO: Province = Province("Gorontalo");
const SULAWESI_BARAT: Province = Province("Sulawesi Barat");
const MALUKU: Province = Province("Maluku");
const MALUKU_UTARA: Province = Province("Maluku Utara");
const PAPUA: Province = Province("Papua");
const PAPUA_BARAT: Province = Province("Papua Barat");
const PAPUA_SELATAN: Province = Province("Papua Selatan");
const PAPUA_TENGAH: Province = Province("Papua Tengah");
const PAPUA_PEGUNUNGAN: Province = Province("Papua Pegunungan");
const PAPUA_BARAT_DAYA: Province = Province("Papua Barat Daya");

/// In the Ministry of Home Affairs' order (by province code), which is also the
/// order people expect in a drop-down.
const ALL: [Province; 38] = [
    ACEH,
    SUMATERA_UTARA,
    SUMATERA_BARAT,
    RIAU,
    JAMBI,
    SUMATERA_SELATAN,
    BENGKULU,
    LAMPUNG,
    BANGKA_BELITUNG,
    KEPULAUAN_RIAU,
    JAKARTA,
    JAWA_BARAT,
    JAWA_TENGAH,
    YOGYAKARTA,
    JAWA_TIMUR,
    BANTEN,
    BALI,
    NUSA_TENGGARA_BARAT,
    NUSA_TENGGARA_TIMUR,
    KALIMANTAN_BARAT,
    KALIMANTAN_TENGAH,
    KALIMANTAN_SELATAN,
    KALIMANTAN_TIMUR,
    KALIMANTAN_UTARA,
    SULAWESI_UTARA,
    SULAWESI_TENGAH,
    SULAWESI_SELATAN,
    SULAWESI_TENGGARA,
    GORONTALO,
    SULAWESI_BARAT,
    MALUKU,
    MALUKU_UTARA,
    PAPUA,
    PAPUA_BARAT,
    PAPUA_SELATAN,
    PAPUA_TENGAH,
    PAPUA_PEGUNUNGAN,
    PAPUA_BARAT_DAYA,
];

/// Other spellings, in the form [`normalise`] produces: lower-case words separated
/// by single spaces, "sumatra" already spelled "sumatera", "kep" already expanded
/// to "kepulauan", runs of initials joined ("d i" → "di").
///
/// Ambiguous words are deliberately absent: "jawa", "kalimantan", "sulawesi" and
/// "nusa tenggara" each name several provinces, and a wrong guess would file the
/// report under the wrong region.
const ALIASES: &[(&str, Province)] = &[
    ("nad", ACEH),
    ("nanggroe aceh darussalam", ACEH),
    ("daerah istimewa aceh", ACEH),
    ("di aceh", ACEH),
    ("sumut", SUMATERA_UTARA),
    ("north sumatera", SUMATERA_UTARA),
    ("sumbar", SUMATERA_BARAT),
    ("west sumatera", SUMATERA_BARAT),
    ("sumsel", SUMATERA_SELATAN),
    ("south sumatera", SUMATERA_SELATAN),
    ("babel", BANGKA_BELITUNG),
    ("bangka belitung", BANGKA_BELITUNG),
    ("kepulauan babel", BANGKA_BELITUNG),
    ("bangka belitung islands", BANGKA_BELITUNG),
    ("kepri", KEPULAUAN_RIAU),
    ("riau islands", KEPULAUAN_RIAU),
    ("jakarta", JAKARTA),
    ("dki", JAKARTA),
    ("jakarta raya", JAKARTA),
    ("daerah khusus ibukota jakarta", JAKARTA),
    ("daerah khusus ibu kota jakarta", JAKARTA),
    // Jakarta's name since it stopped being the capital (UU 2/2024).
    ("daerah khusus jakarta", JAKARTA),
    ("dkj", JAKARTA),
    ("special capital region of jakarta", JAKARTA),
    ("jabar", JAWA_BARAT),
    ("west java", JAWA_BARAT),
    ("jateng", JAWA_TENGAH),
    ("central java", JAWA_TENGAH),
    ("diy", YOGYAKARTA),
    ("di yogyakarta", YOGYAKARTA),
    ("yogyakarta", YOGYAKARTA),
    ("yogya", YOGYAKARTA),
    ("jogja", YOGYAKARTA),
    ("jogjakarta", YOGYAKARTA),
    ("di jogja", YOGYAKARTA),
    ("special region of yogyakarta", YOGYAKARTA),
    ("jatim", JAWA_TIMUR),
    ("east java", JAWA_TIMUR),
    ("ntb", NUSA_TENGGARA_BARAT),
    ("west nusa tenggara", NUSA_TENGGARA_BARAT),
    ("ntt", NUSA_TENGGARA_TIMUR),
    ("east nusa tenggara", NUSA_TENGGARA_TIMUR),
    ("kalbar", KALIMANTAN_BARAT),
    ("west kalimantan", KALIMANTAN_BARAT),
    ("kalteng", KALIMANTAN_TENGAH),
    ("central kalimantan", KALIMANTAN_TENGAH),
    ("kalsel", KALIMANTAN_SELATAN),
    ("south kalimantan", KALIMANTAN_SELATAN),
    ("kaltim", KALIMANTAN_TIMUR),
    ("east kalimantan", KALIMANTAN_TIMUR),
    ("kaltara", KALIMANTAN_UTARA),
    ("north kalimantan", KALIMANTAN_UTARA),
    ("sulut", SULAWESI_UTARA),
    ("north sulawesi", SULAWESI_UTARA),
    ("sulteng", SULAWESI_TENGAH),
    ("central sulawesi", SULAWESI_TENGAH),
    ("sulsel", SULAWESI_SELATAN),
    ("south sulawesi", SULAWESI_SELATAN),
    ("sultra", SULAWESI_TENGGARA),
    ("southeast sulawesi", SULAWESI_TENGGARA),
    ("south east sulawesi", SULAWESI_TENGGARA),
    ("sulbar", SULAWESI_BARAT),
    ("west sulawesi", SULAWESI_BARAT),
    ("malut", MALUKU_UTARA),
    ("north maluku", MALUKU_UTARA),
    ("pabar", PAPUA_BARAT),
    ("west papua", PAPUA_BARAT),
    ("south papua", PAPUA_SELATAN),
    ("central papua", PAPUA_TENGAH),
    ("highland papua", PAPUA_PEGUNUNGAN),
    ("papua highlands", PAPUA_PEGUNUNGAN),
    ("pbd", PAPUA_BARAT_DAYA),
    ("southwest papua", PAPUA_BARAT_DAYA),
    ("south west papua", PAPUA_BARAT_DAYA),
];

/// Longest input worth normalising; no spelling of a province comes close.
const MAX_INPUT_LEN: usize = 100;

impl Province {
    /// Accepts the official name and common spellings: case-insensitive, with any
    /// spacing or punctuation, abbreviations ("Jabar", "DIY", "NTT"), English names
    /// ("West Java") and a "Provinsi"/"Prov." prefix.
    pub fn parse(input: &str) -> Option<Self> {
        if input.len() > MAX_INPUT_LEN {
            return None;
        }
        let key = normalise(input);
        if key.is_empty() {
            return None;
        }
        ALL.into_iter()
            .find(|province| province.0.eq_ignore_ascii_case(&key))
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == key)
                    .map(|&(_, province)| province)
            })
    }

    /// The official Indonesian name, e.g. "Daerah Istimewa Yogyakarta".
    pub fn name(self) -> &'static str {
        self.0
    }

    /// All 38 provinces, in official order.
    pub fn all() -> impl Iterator<Item = Self> {
        ALL.into_iter()
    }
}

impl fmt::Display for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Reduces the many ways of writing a name to one comparable key.
fn normalise(input: &str) -> String {
    let lowered = input.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    let mut previous_was_initial = false;
    for word in lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        // "D.I. Yogyakarta", "D.K.I", "N.T.B" arrive as single letters.
        let is_initial = word.chars().count() == 1;
        match words.last_mut() {
            Some(last) if is_initial && previous_was_initial => last.push_str(word),
            _ => words.push(match word {
                "sumatra" => "sumatera".to_owned(),
                "kep" => "kepulauan".to_owned(),
                other => other.to_owned(),
            }),
        }
        previous_was_initial = is_initial;
    }
    let mut rest = words.as_slice();
    if let [first, second, tail @ ..] = rest
        && first == "province"
        && second == "of"
    {
        rest = tail;
    }
    if let [first, tail @ ..] = rest
        && matches!(
            first.as_str(),
            "provinsi" | "propinsi" | "prov" | "province"
        )
    {
        rest = tail;
    }
    if let [head @ .., last] = rest
        && matches!(last.as_str(), "province" | "provinsi")
    {
        rest = head;
    }
    rest.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[track_caller]
    fn parses_to(input: &str, expected: &str) {
        assert_eq!(
            Province::parse(input).map(Province::name),
            Some(expected),
            "input {input:?}"
        );
    }

    #[test]
    fn there_are_38_distinct_provinces() {
        assert_eq!(Province::all().count(), 38);
        let names: HashSet<&str> = Province::all().map(Province::name).collect();
        assert_eq!(names.len(), 38);
        let lowered: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lowered.len(), 38);
    }

    #[test]
    fn the_2022_papua_provinces_are_present() {
        for name in [
            "Papua",
            "Papua Barat",
            "Papua Selatan",
            "Papua Tengah",
            "Papua Pegunungan",
            "Papua Barat Daya",
        ] {
            assert!(
                Province::all().any(|p| p.name() == name),
                "{name} is missing"
            );
        }
    }

    #[test]
    fn every_canonical_name_parses_to_itself() {
        for province in Province::all() {
            assert_eq!(Province::parse(province.name()), Some(province));
            assert_eq!(
                Province::parse(&province.name().to_uppercase()),
                Some(province)
            );
            assert_eq!(
                Province::parse(&format!("  {}  ", province.name().to_lowercase())),
                Some(province)
            );
            assert_eq!(
                Province::parse(&format!("Provinsi {}", province.name())),
                Some(province)
            );
        }
    }

    #[test]
    fn every_alias_points_at_a_listed_province() {
        for (alias, province) in ALIASES {
            assert!(Province::all().any(|p| p == *province), "{alias}");
            assert_eq!(
                normalise(alias),
                *alias,
                "alias {alias:?} is not normalised"
            );
            assert_eq!(Province::parse(alias), Some(*province));
        }
    }

    #[test]
    fn jakarta_and_yogyakarta_spellings() {
        for input in [
            "Jakarta",
            "DKI",
            "dki jakarta",
            "D.K.I. Jakarta",
            "DKI  Jakarta",
        ] {
            parses_to(input, "DKI Jakarta");
        }
        for input in [
            "Jogja",
            "Yogyakarta",
            "DIY",
            "D.I. Yogyakarta",
            "DI Yogyakarta",
            "Daerah Istimewa Yogyakarta",
            "Special Region of Yogyakarta",
        ] {
            parses_to(input, "Daerah Istimewa Yogyakarta");
        }
    }

    #[test]
    fn java_abbreviations_and_english_names() {
        parses_to("Jabar", "Jawa Barat");
        parses_to("Jawa Barat", "Jawa Barat");
        parses_to("West Java", "Jawa Barat");
        parses_to("Jateng", "Jawa Tengah");
        parses_to("Central Java", "Jawa Tengah");
        parses_to("Jatim", "Jawa Timur");
        parses_to("East Java", "Jawa Timur");
        parses_to("Prov. Jawa Timur", "Jawa Timur");
        parses_to("Provinsi Jawa Timur", "Jawa Timur");
        parses_to("PROVINSI   JAWA TIMUR", "Jawa Timur");
        parses_to("East Java Province", "Jawa Timur");
        parses_to("Province of East Java", "Jawa Timur");
        parses_to("banten", "Banten");
    }

    #[test]
    fn sumatra_spellings() {
        parses_to("Sumut", "Sumatera Utara");
        parses_to("Sumatra Utara", "Sumatera Utara");
        parses_to("North Sumatra", "Sumatera Utara");
        parses_to("Sumbar", "Sumatera Barat");
        parses_to("West Sumatra", "Sumatera Barat");
        parses_to("Sumsel", "Sumatera Selatan");
        parses_to("South Sumatera", "Sumatera Selatan");
        parses_to("Aceh", "Aceh");
        parses_to("NAD", "Aceh");
        parses_to("N.A.D.", "Aceh");
        parses_to("Nanggroe Aceh Darussalam", "Aceh");
        parses_to("Babel", "Kepulauan Bangka Belitung");
        parses_to("Bangka Belitung", "Kepulauan Bangka Belitung");
        parses_to("Kep. Bangka Belitung", "Kepulauan Bangka Belitung");
        parses_to("Kepri", "Kepulauan Riau");
        parses_to("Kep. Riau", "Kepulauan Riau");
        parses_to("Riau Islands", "Kepulauan Riau");
        parses_to("Riau", "Riau");
    }

    #[test]
    fn eastern_provinces() {
        parses_to("Bali", "Bali");
        parses_to("NTB", "Nusa Tenggara Barat");
        parses_to("N.T.T.", "Nusa Tenggara Timur");
        parses_to("East Nusa Tenggara", "Nusa Tenggara Timur");
        parses_to("Kalbar", "Kalimantan Barat");
        parses_to("Kaltim", "Kalimantan Timur");
        parses_to("North Kalimantan", "Kalimantan Utara");
        parses_to("Sulsel", "Sulawesi Selatan");
        parses_to("Southeast Sulawesi", "Sulawesi Tenggara");
        parses_to("North Maluku", "Maluku Utara");
        parses_to("papua barat daya", "Papua Barat Daya");
        parses_to("Southwest Papua", "Papua Barat Daya");
        parses_to("Highland Papua", "Papua Pegunungan");
        parses_to("West Papua", "Papua Barat");
        parses_to("Papua", "Papua");
    }

    #[test]
    fn garbage_and_ambiguous_names_are_refused() {
        for input in [
            "",
            "   ",
            "Atlantis",
            "Jawa",
            "Java",
            "Kalimantan",
            "Sulawesi",
            "Nusa Tenggara",
            "Provinsi",
            "Jawa Barat Daya",
            "Jakarta Jakarta",
            "...",
            "Bandung",
        ] {
            assert_eq!(Province::parse(input), None, "input {input:?}");
        }
        assert_eq!(Province::parse(&"Jawa Barat ".repeat(20)), None);
    }

    #[test]
    fn display_is_the_name() {
        assert_eq!(JAKARTA.to_string(), "DKI Jakarta");
        assert_eq!(JAKARTA.name(), "DKI Jakarta");
    }
}
