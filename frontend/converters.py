"""URL converters of the HTML routes: a repository path may hold any character git allows, newlines included."""


class RepositoryPathConverter:
    """A file path inside a repository: one or more characters of any kind (Django's `path` stops at a newline).

    Git allows every byte but NUL in a path; a NUL in the address is refused earlier (debtboard.middleware).
    """

    regex = r"[^\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
