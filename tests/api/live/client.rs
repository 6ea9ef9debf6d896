//! A `graphql-transport-ws` client for the tests: awc's WebSocket client speaking the protocol by
//! hand, so that every message and close code is visible.

use std::time::Duration;

use actix_codec::Framed;
use awc::BoxedSocket;
use awc::ws::{Codec, Frame, Message};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub struct LiveClient {
    framed: Framed<BoxedSocket, Codec>,
}

/// What the server sent.
#[derive(Debug)]
pub enum Incoming {
    Message(Value),
    Closed(Option<u16>, String),
}

/// Opens a socket with `headers`; the handshake's status when it is refused.
pub async fn open(app: &TestApp, headers: &[(&str, &str)]) -> Result<LiveClient, u16> {
    let url = format!("{}/graphql", app.address.replacen("http", "ws", 1));
    let mut request = awc::Client::new()
        .ws(url)
        .protocols(["graphql-transport-ws"]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    match request.connect().await {
        Ok((_response, framed)) => Ok(LiveClient { framed }),
        Err(awc::error::WsClientError::InvalidResponseStatus(status)) => Err(status.as_u16()),
        Err(other) => panic!("the handshake failed: {other}"),
    }
}

impl LiveClient {
    /// A socket with `connection_init` sent (with `token` when given) and acknowledged.
    pub async fn connect(app: &TestApp, token: Option<&str>) -> Self {
        let mut client = open(app, &[]).await.expect("the handshake");
        client.init(token).await;
        match client.next(Duration::from_secs(5)).await {
            Some(Incoming::Message(message)) if message["type"] == "connection_ack" => client,
            other => panic!("expected connection_ack, got {other:?}"),
        }
    }

    pub async fn init(&mut self, token: Option<&str>) {
        let payload = match token {
            Some(token) => json!({ "authorization": format!("Bearer {token}") }),
            None => json!({}),
        };
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    pub async fn send(&mut self, message: Value) {
        self.framed
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("sent");
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe",
                          "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next message or close within `within` (pings are answered and skipped).
    pub async fn next(&mut self, within: Duration) -> Option<Incoming> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.framed.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Frame::Text(bytes))) => {
                    let message: Value = serde_json::from_slice(&bytes).expect("JSON");
                    if message["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(Incoming::Message(message));
                }
                Some(Ok(Frame::Close(reason))) => {
                    return Some(Incoming::Closed(
                        reason.as_ref().map(|r| u16::from(r.code)),
                        reason.and_then(|r| r.description).unwrap_or_default(),
                    ));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Some(Incoming::Closed(None, String::new())),
            }
        }
    }

    /// The payload of the next `next` message for `id` within `within`.
    pub async fn next_for(&mut self, id: &str, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await? {
                Incoming::Message(message) if message["id"] == id => {
                    return Some(message);
                }
                Incoming::Message(_) => continue,
                Incoming::Closed(code, reason) => panic!("closed ({code:?}): {reason}"),
            }
        }
    }

    /// The close code the server closes with within `within`.
    pub async fn closed(&mut self, within: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await? {
                Incoming::Closed(code, _) => return code,
                Incoming::Message(_) => continue,
            }
        }
    }
}
