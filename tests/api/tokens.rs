//! Access tokens that must be refused: tampered, expired, unsigned, for another issuer or audience,
//! of another type, for an account that does not exist, or not sent as a Bearer token.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::helpers::{Backend, JWT_SECRET, TestApp};
use laporlapak::auth::token::{AUDIENCE, Claims, ISSUER, TokenKeys};

const ME: &str = "{ me { email } }";

crate::on_both_backends!(
    bad_tokens_are_unauthenticated,
    token_of_a_valid_account_works
);

fn claims_for(sub: &str) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: sub.to_owned(),
        role: "CITIZEN".to_owned(),
        platform: None,
        client_id: None,
        iat: now,
        exp: now + 600,
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
        typ: "access".to_owned(),
    }
}

async fn bad_tokens_are_unauthenticated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let good = app.register("tok@mail.id").await;
    let keys = TokenKeys::new(JWT_SECRET.as_bytes(), chrono::Duration::hours(1)).unwrap();
    let account_id = {
        let claims: Claims = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(good.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        claims.sub
    };
    let sign = |edit: &dyn Fn(&mut Claims)| {
        let mut claims = claims_for(&account_id);
        edit(&mut claims);
        keys.sign(&claims).unwrap()
    };

    let mut tampered = good.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();

    // Same claims, but the payload says ADMIN: the signature no longer matches.
    let escalated = {
        let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
        let mut claims = claims_for(&account_id);
        claims.role = "ADMIN".to_owned();
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        parts.join(".")
    };

    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims_for(&account_id)).unwrap())
    );

    let other_key = TokenKeys::new(&[9u8; 32], chrono::Duration::hours(1))
        .unwrap()
        .sign(&claims_for(&account_id))
        .unwrap();

    let expired = sign(&|c| {
        c.iat -= 7_200;
        c.exp = chrono::Utc::now().timestamp() - 60;
    });
    let wrong_issuer = sign(&|c| c.iss = "someone-else".to_owned());
    let wrong_audience = sign(&|c| c.aud = "another-api".to_owned());
    let wrong_type = sign(&|c| c.typ = "refresh".to_owned());
    let wrong_role = sign(&|c| c.role = "ADMIN".to_owned());
    let no_such_account = sign(&|c| c.sub = "987654".to_owned());
    let non_numeric_subject = sign(&|c| c.sub = "budi".to_owned());

    let cases = [
        ("tampered signature", tampered),
        ("payload edited to ADMIN", escalated),
        ("alg none", unsigned),
        ("signed with another key", other_key),
        ("expired", expired),
        ("wrong issuer", wrong_issuer),
        ("wrong audience", wrong_audience),
        ("wrong token type", wrong_type),
        ("role not the account's", wrong_role),
        ("unknown account", no_such_account),
        ("non-numeric subject", non_numeric_subject),
        ("garbage", "not-a-jwt".to_owned()),
    ];
    for (what, token) in cases {
        let reply = app.gql(Some(&token), ME, json!({})).await;
        assert_eq!(reply.status, 401, "{what}: {}", reply.body);
        reply.expect_code("UNAUTHENTICATED");
        assert!(reply.data().is_null(), "{what}");
    }

    // Only the Bearer scheme is accepted.
    for header in [format!("Basic {good}"), good.clone(), "Bearer ".to_owned()] {
        let reply = app
            .gql_with_headers(None, &[("Authorization", &header)], ME, json!({}))
            .await;
        assert_eq!(reply.status, 401, "{header}");
        reply.expect_code("UNAUTHENTICATED");
    }
}

async fn token_of_a_valid_account_works(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("ok@mail.id").await;
    let header: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "HS256");
    let claims: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    for claim in ["sub", "role", "iat", "exp", "iss", "aud", "typ"] {
        assert!(claims.get(claim).is_some(), "claim {claim} missing");
    }
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    let reply = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(reply.ok()["me"]["email"], "ok@mail.id");
}
