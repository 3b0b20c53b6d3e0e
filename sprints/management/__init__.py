"""Management commands of the sprints app."""
