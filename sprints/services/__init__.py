"""Use cases of the sprints app, one module per concern (teams, cadence, budgets, scheduling, alerts, snapshots)."""
