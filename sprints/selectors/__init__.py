"""Reads of the sprints app, one module per concern (teams, sprint figures, history, alerts)."""
