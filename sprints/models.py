"""Models of the sprints app."""
