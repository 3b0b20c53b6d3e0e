"""Models of the debt app."""
