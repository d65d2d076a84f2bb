"""The feature-backlog MCP server, usable by any MCP client; it never imports the TUI."""

__version__ = "0.1.0"
