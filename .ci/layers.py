"""The workspace's layers run one way: each crate may depend only on the crates listed for it here.

Reads `cargo metadata` (no network: --offline --no-deps) and fails naming the edge that breaks the
rule. The compiler already refuses cycles; this refuses a lower crate growing a dependency on a
higher one (the domain on the database, the service on the API, ...), which cargo would accept.
"""

import json
import subprocess
import sys

ALLOWED = {
    "laporlapak-domain": set(),
    "laporlapak-metrics": set(),
    "laporlapak-schema-diff": set(),
    "laporlapak-db": {"laporlapak-domain", "laporlapak-metrics"},
    "laporlapak-service": {"laporlapak-domain", "laporlapak-db", "laporlapak-metrics"},
    "laporlapak-api": {"laporlapak-domain", "laporlapak-service", "laporlapak-metrics"},
    "laporlapak": {
        "laporlapak-domain",
        "laporlapak-db",
        "laporlapak-service",
        "laporlapak-api",
        "laporlapak-metrics",
        "laporlapak-schema-diff",
    },
}

metadata = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
members = {package["name"]: package for package in metadata["packages"]}
problems = []
for name in sorted(set(members) | set(ALLOWED)):
    if name not in members:
        problems.append(f"{name}: expected in the workspace, not found")
        continue
    if name not in ALLOWED:
        problems.append(f"{name}: a new workspace crate; give it its place in .ci/layers.py")
        continue
    for dependency in members[name]["dependencies"]:
        other = dependency["name"]
        if other in members and dependency["kind"] is None and other not in ALLOWED[name]:
            problems.append(f"{name} depends on {other}, which is not below it")
for problem in problems:
    print(f"layers: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"layers: {len(members)} crates, every dependency points down")
