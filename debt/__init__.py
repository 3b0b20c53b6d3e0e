"""The technical-debt register: items, links to code, interest, discovery."""
