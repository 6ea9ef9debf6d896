"""Runs the guides' client-library examples against the server run.sh started.

Each example is the code of a guide's block marked `<!-- example: NAME -->` (the line right before
its fence), written to .run/NAME and run as it is, with the settings it reads from the environment
(LAPORLAPAK_URL, CLIENT_ID, CLIENT_SECRET, WEBHOOK_SECRET, PORT). This script does what the
examples leave to a person — staff accounts, an API client, a webhook endpoint, a reviewer
forwarding the reported case — and checks what each example printed. Standard library only: it
runs in the examples' virtual environment, but uses none of their packages.
"""

import base64
import json
import os
import queue as queue_module
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RUN = HERE / ".run"
SERVER = os.environ["SERVER_URL"]
PYTHON = str(HERE / ".venv" / "bin" / "python")
PASSWORD = "contoh-kata-sandi-ci-2026"
ADMIN = "admin@example.go.id"
REVIEWER = "reviewer@example.go.id"


def fail(message):
    print(f"client-examples: FAILED — {message}", file=sys.stderr)
    sys.exit(1)


def example(guide, name):
    """The code of the block marked `<!-- example: NAME -->` in `guide`, written to .run/NAME."""
    lines = (ROOT / guide).read_text().splitlines()
    marker = f"<!-- example: {name} -->"
    for i, line in enumerate(lines):
        if line.strip() != marker:
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            fail(f"{guide}:{i + 1}: {marker} is not right before a fenced block")
        end = next((j for j in range(i + 2, len(lines)) if lines[j].strip() == "```"), None)
        if end is None:
            fail(f"{guide}:{i + 2}: the block of {name} is never closed")
        path = RUN / name
        path.write_text("\n".join(lines[i + 2 : end]) + "\n")
        return path
    fail(f"{guide} has no {marker}")


def run(what, command, env=None, expect=None):
    """Runs an example; fails unless it exits 0 and prints a line matching `expect`."""
    print(f"client-examples: {what}")
    done = subprocess.run(
        command,
        cwd=RUN,
        env={**os.environ, "LAPORLAPAK_URL": SERVER, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        fail(f"{what} exited {done.returncode}:\n{output}")
    if expect and not re.search(expect, done.stdout, re.MULTILINE):
        fail(f"{what} did not print {expect!r}:\n{output}")
    print(done.stdout.rstrip())
    return done.stdout


def post(path, body, headers):
    request = urllib.request.Request(f"{SERVER}{path}", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        fail(f"POST {path}: HTTP {error.code}: {error.read().decode(errors='replace')}")


def graphql(query, variables=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    answer = post("/graphql", body, headers)
    if answer.get("errors"):
        fail(f"{query.split('(')[0].strip()}: {answer['errors']}")
    return answer["data"]


def staff(email, role, platform=None):
    command = [os.environ["BINARY"], "admin", "create", "--email", email, "--role", role]
    if platform:
        command += ["--platform", platform]
    serve_dir = os.environ["SERVE_DIR"]
    done = subprocess.run(
        command,
        env={
            **os.environ,
            "LAPORLAPAK_ENV": "development",
            "LAPORLAPAK_DATA_DIR": serve_dir,
            "DATABASE_URL": f"sqlite://{serve_dir}/laporlapak.db",
            "LAPORLAPAK_ADMIN_PASSWORD": PASSWORD,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        fail(f"admin create {email}: {done.stdout}{done.stderr}")
    login = graphql(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        {"e": email, "p": PASSWORD},
    )
    return login["login"]["token"]


def png():
    """A 2×2 PNG, the screenshot the upload examples send."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xd0\x30\x30" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    RUN.mkdir(exist_ok=True)
    for old in RUN.iterdir():
        old.unlink()
    (RUN / "screenshot.png").write_bytes(png())
    citizen = "docs/guide-citizen-app.md"
    platform = "docs/guide-platform.md"
    apollo = example(citizen, "upload-apollo.mjs")
    upload_gql = example(citizen, "upload-gql.py")
    authlib = example(platform, "token-authlib.py")
    receiver = example(platform, "webhook-receiver.py")

    # The citizen guide: an anonymous report with a screenshot, by each library.
    code = r"^tracking code: LL-[0-9A-Z]{4}-[0-9A-Z]{4}$"
    out = run("Apollo Client uploads a screenshot", ["node", str(apollo)], expect=code)
    if '"downloadLink":null' not in out or '"mediaType":"image/png"' not in out:
        fail(f"the Apollo upload's file is not the PNG without a link:\n{out}")
    run("Python gql uploads a screenshot (FileVar)", [PYTHON, str(upload_gql)], expect=code)

    # The platform guide: an API client's token with authlib.
    admin = staff(ADMIN, "ADMIN")
    reviewer = staff(REVIEWER, "REVIEWER")
    issued = graphql(
        'mutation { createApiClient(platform: "tiktok", name: "CI examples") '
        "{ secret client { clientId } } }",
        token=admin,
    )["createApiClient"]
    client_id, secret = issued["client"]["clientId"], issued["secret"]
    run(
        "authlib fetches a client-credentials token",
        [PYTHON, str(authlib)],
        env={"CLIENT_ID": client_id, "CLIENT_SECRET": secret},
        expect=rf"^acting as {re.escape(client_id)} for tiktok$",
    )

    # A standardwebhooks receiver, sent a forged delivery and then a real one.
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = post(
        "/oauth/token",
        b"grant_type=client_credentials",
        {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )["access_token"]
    port = free_port()
    created = graphql(
        "mutation($u: String!) { createWebhookEndpoint(url: $u) { secret } }",
        {"u": f"http://127.0.0.1:{port}/hook"},
        token,
    )["createWebhookEndpoint"]
    print("client-examples: a standardwebhooks receiver verifies deliveries")
    listener = subprocess.Popen(
        [PYTHON, str(receiver)],
        cwd=RUN,
        env={**os.environ, "WEBHOOK_SECRET": created["secret"], "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            fail("the receiver does not listen")
        forged = urllib.request.Request(
            f"http://127.0.0.1:{port}/hook",
            data=b'{"type":"takedown_request.issued","data":{}}',
            headers={
                "webhook-id": "msg_forged",
                "webhook-timestamp": str(int(time.time())),
                "webhook-signature": "v1," + base64.b64encode(b"0" * 32).decode(),
            },
            method="POST",
        )
        try:
            urllib.request.urlopen(forged, timeout=10)
            fail("the receiver accepted a forged delivery")
        except urllib.error.HTTPError as error:
            if error.code != 400:
                fail(f"the receiver answered a forged delivery with {error.code}")

        queue = graphql(
            '{ reviewQueue(filter: { platform: ["tiktok"] }) { edges { node { id } } } }',
            token=reviewer,
        )["reviewQueue"]["edges"]
        if not queue:
            fail("the Apollo example's report is not in the queue")
        case_id = queue[0]["node"]["id"]
        graphql("mutation($c: ID!) { claimCase(caseId: $c) { id } }", {"c": case_id}, reviewer)
        request_id = graphql(
            "mutation($c: ID!) { forwardCase(caseId: $c, input: { urgency: NORMAL }) { id } }",
            {"c": case_id},
            reviewer,
        )["forwardCase"]["id"]
        expected = f"takedown_request.issued {request_id}"
        lines = queue_module.Queue()
        threading.Thread(
            target=lambda: [lines.put(line) for line in listener.stdout], daemon=True
        ).start()
        deadline = time.time() + 60
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.time()))
            except queue_module.Empty:
                fail(f"the receiver did not print {expected!r} within 60 s")
            if line.strip() == expected:
                print(line.rstrip())
                break
    finally:
        listener.kill()
        listener.wait()
    print("client-examples: every example ran")


if __name__ == "__main__":
    main()
