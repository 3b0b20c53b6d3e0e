"""Repositories, scans, git history, static analysis and hotspot scores."""
