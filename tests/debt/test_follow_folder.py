"""follow_folder: where a folder link goes when its files were renamed out of it, hop by hop."""
from datetime import UTC, datetime, timedelta

import pytest

from debt.services.renames import follow_folder
from metrics.selectors.history import RenameRow

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def rename(old_path: str, path: str, day: int) -> RenameRow:
    return RenameRow(old_path=old_path, path=path, sha=f"{day:040x}", authored_at=T0 + timedelta(days=day),
                     author="Ada")


@pytest.mark.parametrize(("renames", "anchor", "present", "expected"), [
    pytest.param([rename("pkg/a.py", "lib/pkg/a.py", 1)], None, {"lib/pkg/a.py"}, ("lib/pkg/", 1), id="moved"),
    pytest.param([rename("pkg/a.py", "lib/pkg/a.py", 1)], None, {"pkg/b.py"}, ("pkg/", None),
                 id="a file still in the folder keeps it"),
    pytest.param([rename("pkg/a.py", "lib/pkg/a.py", 1)], T0 + timedelta(days=1), set(), ("pkg/", None),
                 id="renames up to the anchor are not followed"),
    pytest.param([rename("pkg/a.py", "lib/b.py", 1)], None, set(), ("pkg/", None),
                 id="a rename changing the part below the folder says nothing"),
    pytest.param([rename("pkg/a.py", "x/a.py", 1), rename("pkg/b.py", "y/b.py", 2), rename("pkg/c.py", "y/c.py", 3)],
                 None, set(), ("y/", 3), id="most files win, the latest rename of that target is kept"),
    pytest.param([rename("pkg/a.py", "x/a.py", 1), rename("pkg/b.py", "w/b.py", 2)], None, set(), ("w/", 2),
                 id="a tie goes to the first target by name"),
    pytest.param([rename("pkg/a.py", "mid/a.py", 1), rename("mid/a.py", "end/a.py", 2)], None, {"end/a.py"},
                 ("end/", 2), id="hop by hop"),
])
def test_follow_folder(renames, anchor, present, expected):
    prefix, last = follow_folder("pkg/", anchor, renames, present)
    assert (prefix, None if last is None else last.authored_at) == (
        expected[0], None if expected[1] is None else T0 + timedelta(days=expected[1]))
