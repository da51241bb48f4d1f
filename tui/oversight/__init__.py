"""Oversight screens: the team manager's and the practice lead's homes."""
