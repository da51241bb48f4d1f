"""Observation feedback, shared by the practitioner's Observations tab (tui/family) and the
practice lead's home (tui/oversight): the rendering of an observation and its ratings, the
feedback view, the lead's feedback editor and the skills trend."""
