"""A small closed-loop HTTP/1.1 load generator on raw asyncio streams.

Each client keeps one keep-alive connection and sends its next request as soon as the previous
answer has arrived. Requests are pre-encoded, so the generator's own cost per request stays far
below the server's (it shares the machine's cores with it).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


def encode_post(
    host: str, port: int, path: str, body: dict[str, object], token: str | None
) -> bytes:
    payload = json.dumps(body).encode()
    headers = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        "Connection: keep-alive",
    ]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload


def encode_get(host: str, port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n".encode()


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    bodies_with_errors: int = 0
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return status, body
        body += await reader.readexactly(size)
        await reader.readexactly(2)


async def run_load(
    host: str,
    port: int,
    next_request: Callable[[int, int], bytes],
    *,
    clients: int,
    seconds: float,
    max_requests: int | None = None,
    check_errors: bool = True,
) -> LoadResult:
    """`next_request(client, n)` gives client `client`'s n-th request."""
    result = LoadResult()
    deadline = time.perf_counter() + seconds
    sent = 0

    async def client(index: int) -> None:
        nonlocal sent
        reader, writer = await asyncio.open_connection(host, port)
        n = 0
        try:
            while time.perf_counter() < deadline and (max_requests is None or sent < max_requests):
                sent += 1
                request = next_request(index, n)
                n += 1
                started = time.perf_counter()
                writer.write(request)
                status, body = await _read_response(reader)
                result.latencies.append(time.perf_counter() - started)
                if status != 200:
                    result.failures += 1
                elif check_errors and b'"errors":[{' in body:
                    result.bodies_with_errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    result.elapsed = time.perf_counter() - started
    return result


def summarise(samples: Sequence[float]) -> str:
    return ", ".join(f"{s * 1000:.1f}" for s in samples)
