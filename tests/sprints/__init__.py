"""Tests of the sprints app."""
