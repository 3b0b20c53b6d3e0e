"""REST viewsets, one module per domain."""
