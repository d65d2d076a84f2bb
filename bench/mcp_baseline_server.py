"""Baseline for bench/mcp_server.py: the same kind of stdio server built on the mcp package.

Only here to measure what importing ``mcp`` costs at startup; it serves one trivial tool.
"""

from mcp.server.mcpserver import MCPServer

server = MCPServer("baseline")


@server.tool()
def feature_get_stats() -> str:
    """Return nothing useful; the benchmark only lists tools."""
    return "{}"


if __name__ == "__main__":
    server.run("stdio")
