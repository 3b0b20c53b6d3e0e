"""The REST interface at /api/v1/."""
