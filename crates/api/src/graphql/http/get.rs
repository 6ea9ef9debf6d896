//! `GET /graphql?query=…`: queries, never mutations, read from the URL, so that the public reads
//! (categories, platforms, the transparency report) can be cached by a CDN or a browser.
//!
//! The caching rule is deliberately simple: an answer is `public` only when the request carries no
//! `Authorization` header, every root field of its operation is public reference data
//! (`operation::reads_only_public_data`) and it succeeded; anything else is `private, no-store`.

/// How long a shared cache may keep a public answer.
pub const PUBLIC_CACHE_CONTROL: &str = "public, max-age=60";
pub const PRIVATE_CACHE_CONTROL: &str = "private, no-store";
/// What a cached answer depends on besides its URL.
pub const VARY: &str = "Accept, Accept-Language, Authorization";

/// The GraphQL request in a query string: `Ok(None)` when it has no `query` parameter at all,
/// `Err` when a parameter repeats or `variables`/`extensions` are not JSON. The result is the
/// same JSON object a POST carries, for the one parser of both.
pub fn request_json(query_string: &str) -> Result<Option<serde_json::Value>, ()> {
    let mut object = serde_json::Map::new();
    for (name, value) in url::form_urlencoded::parse(query_string.as_bytes()) {
        let key = match name.as_ref() {
            "query" => "query",
            "operationName" => "operationName",
            "variables" => "variables",
            "extensions" => "extensions",
            _ => continue,
        };
        let value = match key {
            "variables" | "extensions" => serde_json::from_str(&value).map_err(|_| ())?,
            _ => serde_json::Value::String(value.into_owned()),
        };
        if object.insert(key.to_owned(), value).is_some() {
            return Err(());
        }
    }
    if object.contains_key("query") {
        Ok(Some(serde_json::Value::Object(object)))
    } else if object.is_empty() {
        Ok(None)
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_request_from_the_query_string() {
        let json = request_json(
            "query=query%20Q(%24c%3A%20String)%20%7B%20__typename%20%7D&operationName=Q&variables=%7B%22c%22%3A%221%22%7D&other=x",
        );
        assert_eq!(
            json,
            Ok(Some(serde_json::json!({
                "query": "query Q($c: String) { __typename }",
                "operationName": "Q",
                "variables": { "c": "1" },
            })))
        );
        assert_eq!(request_json(""), Ok(None));
        assert_eq!(request_json("lang=en"), Ok(None));
        assert_eq!(request_json("query=a&query=b"), Err(()));
        assert_eq!(request_json("query=a&variables=%7Bnot"), Err(()));
        assert_eq!(request_json("variables=%7B%7D"), Err(()), "no query");
    }
}
