"""The `sprint` command."""
