// The graphql-ws reference client against a running server: a citizen signs up over HTTP, files a
// complaint, subscribes to `myComplaintsChanged` (token in connection_init) and to
// `complaintByTrackingCodeChanged` (no token), withdraws the complaint, and both subscriptions must
// hear it within two seconds. A bad token must be refused with close code 4403.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const base = process.argv[2];
const wsUrl = base.replace(/^http/, "ws") + "/graphql";

async function gql(query, variables, token) {
  const response = await fetch(base + "/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function client(token) {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
  });
}

function within(ms, what, promise) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)),
  ]);
}

/// The updates of one subscription, as a queue to await.
function subscribe(c, query, variables) {
  const waiting = [];
  const received = [];
  c.subscribe(
    { query, variables },
    {
      next: (value) => (waiting.length ? waiting.shift()(value) : received.push(value)),
      error: (error) => console.error("subscription error", error),
      complete: () => {},
    },
  );
  return () => (received.length ? Promise.resolve(received.shift()) : new Promise((r) => waiting.push(r)));
}

const { register } = await gql(
  `mutation($i: RegisterInput!) { register(input: $i) { token } }`,
  { i: { email: "warga.ws@mail.id", password: "kopi susu gula aren", displayName: "Warga WS" } },
);
const token = register.token;
const { submitComplaint } = await gql(
  `mutation($i: SubmitComplaintInput!) { submitComplaint(input: $i) { trackingCode complaint { id } } }`,
  { i: { category: "USED_CLOTHING_IMPORT", listingUrl: "https://www.instagram.com/p/GraphqlWs1/",
         description: "Jual pakaian bekas impor per bal, dikirim dari gudang." } },
  token,
);

const own = client(token);
const mine = subscribe(own, `subscription { myComplaintsChanged { resync complaint { ... on Complaint { status } } } }`);
const anyone = client(null);
const tracked = subscribe(
  anyone,
  `subscription($c: String!) { complaintByTrackingCodeChanged(code: $c) { resync complaint { status } } }`,
  { c: submitComplaint.trackingCode },
);
const first = await within(5000, "the tracked complaint's state", tracked());
if (first.data.complaintByTrackingCodeChanged.complaint.status !== "OPEN") throw new Error(JSON.stringify(first));
// Let the own-complaints subscription register before the change.
await new Promise((r) => setTimeout(r, 300));
await gql(`mutation($id: ID!) { withdrawComplaint(id: $id) { id } }`, { id: submitComplaint.complaint.id }, token);
const update = await within(2000, "myComplaintsChanged", mine());
const change = await within(2000, "complaintByTrackingCodeChanged", tracked());
if (change.data.complaintByTrackingCodeChanged.complaint.status === "OPEN") throw new Error(JSON.stringify(change));
if (!update.data.myComplaintsChanged.complaint) throw new Error(JSON.stringify(update));
await own.dispose();
await anyone.dispose();

// A bad token: the socket closes with 4403.
const code = await within(5000, "the refusal", new Promise((resolve) => {
  const bad = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: "Bearer not-a-token" },
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => resolve(event.code) },
  });
  bad.subscribe({ query: "subscription { queueChanged { resync } }" }, { next() {}, error() {}, complete() {} });
}));
if (code !== 4403) throw new Error(`a bad token closed with ${code}, not 4403`);
console.log("graphql-ws: 2 passed, 0 failed");
process.exit(0);
