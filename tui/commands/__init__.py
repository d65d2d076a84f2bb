"""Headless subcommands of assistant-tui (no Textual import)."""
