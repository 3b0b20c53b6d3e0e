"""Tests of sprints.core, the pure planner: no database, no Django."""
