"""Benchmark the backlog MCP server: startup (spawn to tools/list) and tool latency at 10k features.

Run: python -m bench.mcp_server   (prints tables; nothing is asserted)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import median_ms, p99_ms, print_table
from mcp_server.backlog import MAX_FEATURES
from tests.helpers.backlog_db import make_backlog

RUNS = 7
HANDSHAKE = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "0"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


class Pipe:
    """A server process spoken to with newline-delimited JSON-RPC, as MCP clients do."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 100

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def receive(self, wanted: int) -> dict[str, Any]:
        assert self.proc.stdout is not None
        while True:
            reply: dict[str, Any] = json.loads(self.proc.stdout.readline())
            if reply.get("id") == wanted:
                return reply

    def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        params = {"name": tool, "arguments": arguments}
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": "tools/call", "params": params})
        return self.receive(self.next_id)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def time_startup(argv: list[str]) -> float:
    """Seconds from spawn to the tools/list answer."""
    start = time.perf_counter()
    pipe = Pipe(argv)
    for message in HANDSHAKE:
        pipe.send(message)
    pipe.receive(2)
    elapsed = time.perf_counter() - start
    pipe.close()
    return elapsed


def time_exit(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - start


def startup_table(project: Path) -> None:
    ours = [sys.executable, "-m", "mcp_server", "--project", str(project)]
    baseline = [sys.executable, str(Path(__file__).with_name("mcp_baseline_server.py"))]
    floor = [sys.executable, "-c", "pass"]
    samples: dict[str, list[float]] = {"ours": [], "mcp": [], "floor": []}
    for _ in range(RUNS):  # interleaved so machine noise hits all three alike
        samples["ours"].append(time_startup(ours))
        samples["mcp"].append(time_startup(baseline))
        samples["floor"].append(time_exit(floor))
    ours_ms = median_ms(samples["ours"])
    rows = [
        ["assistant-features-mcp (ours)", f"{ours_ms:.0f}", "1.00"],
        [
            "same server on the mcp package (MCPServer)",
            f"{median_ms(samples['mcp']):.0f}",
            f"{median_ms(samples['mcp']) / ours_ms:.2f}",
        ],
        [
            "python -c pass (interpreter floor)",
            f"{median_ms(samples['floor']):.0f}",
            f"{median_ms(samples['floor']) / ours_ms:.2f}",
        ],
    ]
    print_table(
        f"MCP server startup: spawn to tools/list answer (median of {RUNS})",
        ["server", "ms", "x ours"],
        rows,
    )


def latency_table(project: Path, features: int) -> None:
    rows_in = [
        {
            "name": f"Feature {i}",
            "category": f"Cat {i % 20}",
            "passes": int(i % 3 == 0),
            "dependencies": [i - 1, i - 7] if i > 7 and i % 2 else None,
        }
        for i in range(1, features + 1)
    ]
    make_backlog(project / "features.db", rows_in)
    pipe = Pipe([sys.executable, "-m", "mcp_server", "--project", str(project)])
    for message in HANDSHAKE:
        pipe.send(message)
    pipe.receive(2)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("feature_get_ready", {"limit": 10}),
        ("feature_get_blocked", {"limit": 20}),
        ("feature_get_stats", {}),
        ("feature_list", {"query": "Feature 99", "limit": 50}),
        ("feature_get_by_id", {"feature_id": 5000}),
        ("feature_create", {"category": "B", "name": "n", "description": "d", "steps": ["s"]}),
    ]
    rows = []
    for tool, args in calls:
        samples = []
        for _ in range(25):
            start = time.perf_counter()
            reply = pipe.call(tool, args)
            samples.append(time.perf_counter() - start)
            assert not reply["result"]["isError"], reply
        rows.append([tool, f"{median_ms(samples):.1f}", f"{p99_ms(samples):.1f}"])
    pipe.close()
    print_table(
        f"Tool latency over stdio on a {features:,}-feature backlog (25 calls each)",
        ["tool", "median ms", "p99 ms"],
        rows,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        startup_table(Path(tmp))
        # Below the 10,000-feature cap, so the 25 creates of the last row still succeed.
        latency_table(Path(tmp), MAX_FEATURES - 100)


if __name__ == "__main__":
    main()
