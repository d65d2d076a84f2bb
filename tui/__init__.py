"""assistant-tui: a read-only Claude assistant for a code project, in the terminal."""

__version__ = "0.1.0"
