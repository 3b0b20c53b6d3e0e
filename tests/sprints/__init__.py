"""Tests of the sprints app (teams, cadence, budgets, scheduling, alerts, the planner)."""
