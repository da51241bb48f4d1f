"""The administrator's screens: users and teams (domain/services/admin.py)."""
