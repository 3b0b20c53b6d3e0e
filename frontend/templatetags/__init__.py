"""Template tags of debtboard's HTML interface."""
