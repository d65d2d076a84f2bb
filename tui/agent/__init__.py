"""The assistant engine: read-only Claude sessions, typed events, persistence. No Textual here."""
