//! Content negotiation for `/graphql`: which of the two media types of GraphQL over HTTP the
//! client accepts, read from its `Accept` header with q-values and wildcards (RFC 9110 §12.5.1).

/// The media type a GraphQL response is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFormat {
    /// `application/graphql-response+json`: the status tells whether the request was executed at
    /// all (400 when its document does not parse or validate or its variables do not coerce).
    GraphQlResponse,
    /// `application/json`, what every client understood before the other type existed: any
    /// GraphQL result is a 200.
    Json,
}

impl ResponseFormat {
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::GraphQlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json",
        }
    }

    /// The format for an `Accept` header (all its values joined by commas), or `None` when the
    /// client accepts neither type (406). No header, or an empty one, means `application/json`.
    /// The type with the higher q wins; on a tie `application/graphql-response+json` only when it
    /// is named explicitly, so `*/*` and `application/*` keep today's `application/json`.
    pub fn negotiate(accept: Option<&str>) -> Option<Self> {
        let accept = match accept.map(str::trim) {
            None | Some("") => return Some(Self::Json),
            Some(accept) => accept,
        };
        let graphql = preference(accept, "application", "graphql-response+json");
        let json = preference(accept, "application", "json");
        let q = |preference: Option<Preference>| preference.map_or(0, |p| p.q);
        match (q(graphql), q(json)) {
            (0, 0) => None,
            (graphql_q, json_q) if graphql_q > json_q => Some(Self::GraphQlResponse),
            (graphql_q, json_q) if json_q > graphql_q => Some(Self::Json),
            _ if graphql.is_some_and(|p| p.specificity == Specificity::Exact) => {
                Some(Self::GraphQlResponse)
            }
            _ => Some(Self::Json),
        }
    }
}

/// Whether the client accepts `kind/subtype` at all (q > 0). A missing header accepts anything.
pub fn accepts(accept: Option<&str>, kind: &str, subtype: &str) -> bool {
    match accept.map(str::trim) {
        None | Some("") => true,
        Some(accept) => preference(accept, kind, subtype).is_some_and(|p| p.q > 0),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Specificity {
    Any,
    Kind,
    Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Preference {
    /// In thousandths: `q=0.5` is 500.
    q: u16,
    specificity: Specificity,
}

/// The q of the most specific media range that matches `kind/subtype`, if any does. Ranges that
/// do not parse (no slash, a malformed q) are skipped.
fn preference(accept: &str, kind: &str, subtype: &str) -> Option<Preference> {
    accept
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let (range_kind, range_subtype) = parts.next()?.trim().split_once('/')?;
            let specificity = match (range_kind.trim(), range_subtype.trim()) {
                ("*", "*") => Specificity::Any,
                (k, "*") if k.eq_ignore_ascii_case(kind) => Specificity::Kind,
                (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => {
                    Specificity::Exact
                }
                _ => return None,
            };
            let mut q = 1000;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    q = parse_q(value.trim())?;
                }
            }
            Some(Preference { q, specificity })
        })
        .max_by_key(|p| p.specificity)
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn parse_q(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::ResponseFormat::{GraphQlResponse, Json};
    use super::*;

    #[test]
    fn picks_the_type_the_client_prefers() {
        let negotiate = ResponseFormat::negotiate;
        assert_eq!(negotiate(None), Some(Json));
        assert_eq!(negotiate(Some("  ")), Some(Json));
        assert_eq!(negotiate(Some("application/json")), Some(Json));
        assert_eq!(
            negotiate(Some("application/graphql-response+json")),
            Some(GraphQlResponse)
        );
        assert_eq!(
            negotiate(Some("application/graphql-response+json, application/json")),
            Some(GraphQlResponse)
        );
        assert_eq!(
            negotiate(Some("application/json, application/graphql-response+json")),
            Some(GraphQlResponse),
            "equal q: the explicitly named newer type"
        );
        assert_eq!(
            negotiate(Some(
                "application/graphql-response+json;q=0.9, application/json"
            )),
            Some(Json)
        );
        assert_eq!(
            negotiate(Some("application/json;q=0.1, */*;q=0.5")),
            Some(GraphQlResponse),
            "*/* gives the newer type 0.5, more than json's 0.1"
        );
        assert_eq!(
            negotiate(Some("application/json;q=0, application/*;q=0.5")),
            Some(GraphQlResponse),
            "the most specific range decides: json is refused, the newer type is not"
        );
        assert_eq!(negotiate(Some("*/*")), Some(Json));
        assert_eq!(negotiate(Some("application/*")), Some(Json));
        assert_eq!(
            negotiate(Some(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            )),
            Some(Json),
            "a browser's navigation"
        );
        assert_eq!(
            negotiate(Some("Application/GraphQL-Response+JSON; charset=utf-8")),
            Some(GraphQlResponse)
        );
        assert_eq!(
            negotiate(Some("application/json, multipart/mixed")),
            Some(Json)
        );
    }

    #[test]
    fn refuses_when_neither_type_is_acceptable() {
        let negotiate = ResponseFormat::negotiate;
        assert_eq!(negotiate(Some("text/html")), None);
        assert_eq!(negotiate(Some("application/xml")), None);
        assert_eq!(negotiate(Some("application/json;q=0")), None);
        assert_eq!(negotiate(Some("*/*;q=0")), None);
        assert_eq!(negotiate(Some("garbage")), None);
        assert_eq!(
            negotiate(Some("application/json;q=2")),
            None,
            "a malformed q"
        );
    }

    #[test]
    fn wildcards_and_q_values() {
        assert!(accepts(None, "text", "html"));
        assert!(accepts(Some("text/html,*/*;q=0.8"), "text", "html"));
        assert!(accepts(Some("*/*"), "text", "html"));
        assert!(!accepts(Some("application/json"), "text", "html"));
        assert!(!accepts(
            Some("text/*;q=0.5, text/html;q=0"),
            "text",
            "html"
        ));
        assert_eq!(parse_q("0"), Some(0));
        assert_eq!(parse_q("0.5"), Some(500));
        assert_eq!(parse_q("0.125"), Some(125));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("1.5"), None);
        assert_eq!(parse_q("0.1234"), None);
        assert_eq!(parse_q("-1"), None);
        assert_eq!(parse_q(""), None);
    }
}
