"""Pure-Python analysis core: git history, radon and flake8 adapters, scoring. No Django here."""
