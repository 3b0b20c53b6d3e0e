"""Management commands of the debt register."""
