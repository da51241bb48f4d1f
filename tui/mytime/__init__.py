"""My time: a practitioner's own recording time and manual entries."""
