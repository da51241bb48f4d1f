"""Use cases. The TUI and the CLI call only these; each runs in its own unit of work and checks
access through domain.access before touching a family's records."""
