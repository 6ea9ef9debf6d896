#!/usr/bin/env python3
"""Fallback load generator for run.sh when wrk cannot be installed: standard library only.

Plays the same scenarios as the wrk Lua scripts (it reads the query text out of them) over keep-alive
HTTP/1.1 connections from one asyncio loop, and prints the same BENCH_RESULT line. One Python
process saturates long before wrk does, so its numbers are a floor, not comparable with wrk's.
"""

import argparse
import asyncio
import json
import os
import random
import re
import time
from urllib.parse import urlsplit


def parse_duration(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)?", text.strip())
    if not match:
        raise SystemExit(f"bad duration {text!r}")
    value, unit = float(match.group(1)), match.group(2) or "s"
    return value * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]


def lua_string(script, name):
    match = re.search(r'local %s = "((?:[^"\\]|\\.)*)"' % name, script)
    return match.group(1).replace('\\"', '"') if match else None


def body_factory(script_path, codes_path):
    script = open(script_path, encoding="utf-8").read()
    name = os.path.basename(script_path)
    fixed = re.search(r"(?:wrk\.body|local body) = \[\[(.*?)\]\]", script, re.S)
    if fixed:
        body = fixed.group(1).encode()
        return lambda: body
    query = lua_string(script, "query")
    if name.startswith("tracking-code"):
        codes = [line.strip() for line in open(codes_path, encoding="utf-8") if line.strip()]
        return lambda: json.dumps({"query": query, "variables": {"code": random.choice(codes)}}).encode()
    if name.startswith("submit-complaint"):
        counter = iter(range(1, 1 << 62))

        def submit():
            url = "https://www.instagram.com/p/BENCH9%09d%d/" % (random.randrange(10**9), next(counter))
            return json.dumps({"query": query, "variables": {"i": {
                "category": "USED_CLOTHING_IMPORT", "listingUrl": url,
                "description": "Akun ini menjual pakaian bekas dari luar negeri dengan harga sangat murah.",
                "province": "Jawa Barat", "anonymous": True}}}).encode()
        return submit
    raise SystemExit(f"do not know how to play {script_path}")


async def read_response(reader):
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked = None, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        key, _, value = line.decode("latin-1").partition(":")
        key = key.strip().lower()
        if key == "content-length":
            length = int(value.strip())
        elif key == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        return status, b"".join(parts)
    return status, await reader.readexactly(length or 0)


async def worker(url, token, make_body, deadline, stats):
    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port or 80, parts.path or "/"
    reader = writer = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            body = make_body()
            head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                    f"Accept-Language: en\r\nContent-Length: {len(body)}\r\n")
            if token:
                head += f"Authorization: Bearer {token}\r\n"
            else:  # public scenarios: a random client address, as the Lua scripts send
                head += "X-Forwarded-For: 100.%d.%d.%d\r\n" % (
                    random.randint(64, 127), random.randint(0, 255), random.randint(1, 254))
            started = time.monotonic()
            writer.write(head.encode() + b"\r\n" + body)
            await writer.drain()
            status, payload = await asyncio.wait_for(read_response(reader), 30)
            stats["latencies"].append(time.monotonic() - started)
            if status != 200:
                stats["http"] += 1
                stats["sample"] = stats["sample"] or f"HTTP {status} {payload[:300]!r}"
            elif b'"errors"' in payload:
                stats["gql"] += 1
                stats["sample"] = stats["sample"] or payload[:300].decode("utf-8", "replace")
        except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            stats["socket"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", default="20s")
    parser.add_argument("--token", default="")
    parser.add_argument("--codes", default="")
    args = parser.parse_args()
    make_body = body_factory(args.script, args.codes)
    stats = {"latencies": [], "gql": 0, "http": 0, "socket": 0, "sample": ""}
    started = time.monotonic()
    deadline = started + parse_duration(args.duration)
    await asyncio.gather(*(worker(args.url, args.token, make_body, deadline, stats)
                           for _ in range(args.connections)))
    seconds = time.monotonic() - started
    lat = sorted(stats["latencies"])
    ms = [1000 * percentile(lat, p) for p in (50, 90, 99)] + [1000 * (lat[-1] if lat else 0)]
    errors = stats["gql"] + stats["http"] + stats["socket"]
    print("BENCH_RESULT|%d|%.1f|%.2f|%.2f|%.2f|%.2f|%d|%d|%d|%d" % (
        len(lat), len(lat) / seconds, *ms, errors, stats["gql"], stats["http"], stats["socket"]))
    if stats["sample"]:
        print("BENCH_SAMPLE_ERROR|" + stats["sample"].replace("\n", " "))


if __name__ == "__main__":
    asyncio.run(main())
