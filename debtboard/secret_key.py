"""The local secret key of the `debtboard` console script: generated once into the data directory, then reused."""
import os
import secrets
from pathlib import Path

KEY_FILE = "secret_key"


def local_secret_key(data_dir: Path) -> str:
    """Return the key stored in `data_dir`, creating it (mode 0600) on first use."""
    path = data_dir / KEY_FILE
    try:
        # O_EXCL: two commands started at once agree on one key; the mode is set at creation, never later.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
