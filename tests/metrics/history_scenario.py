"""A small repository with a known history for the mining and scoring tests (real git, fixed authors and dates).

Day offsets from tests.gitrepo.BASE_DATE (2024-01-01 12:00 UTC); the scanned tip is c10 at day 100.

c1  d0   Ada    add app/core.py (10 lines), README.md, .mailmap, CODEOWNERS, logo.png (binary)
c2  d10  Grace  (as "G. Hopper <grace@old.example.com>", mapped by .mailmap) app/core.py +5 -1
c3  d20  Ada    rename app/core.py -> app/engine.py, one line inserted at the top (+1 -0)
c4  d30  Grace  add "docs/naïve file.py" (4 lines); change logo.png (binary)
c5  d40  Ada    on branch feature: app/engine.py +2 -2
c6  d45  Grace  on main: add app/util.py (5 lines)
m   d50  Ada    merge feature into main (skipped by default)
c7  d60  Ada    delete app/util.py
c8  d70  Grace  re-add app/util.py (3 lines)
c9  d80  bot    dependabot[bot] changes README.md (excluded from measures)
c10 d100 Grace  app/engine.py +1 -1, app/util.py +1 -0
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.gitrepo import BASE_DATE, GitRepo

ADA = "Ada Lovelace <ada@example.com>"
GRACE = "Grace Hopper <grace@example.com>"
GRACE_OLD = "G. Hopper <grace@old.example.com>"
BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
NAIVE = "docs/naïve file.py"

CORE_V1 = (
    "def alpha(x):\n    if x:\n        return 1\n    return 0\n\n\n"
    "def beta(y):\n    for i in y:\n        print(i)\n    return y\n"
)
CORE_V2 = CORE_V1.replace("return 1", "return 2") + "\n\ndef gamma():\n    return 3\n"
ENGINE_V3 = "# engine\n" + CORE_V2
ENGINE_V5 = ENGINE_V3.replace("        print(i)\n    return y\n", "        print(i, y)\n    return list(y)\n")
ENGINE_V10 = ENGINE_V5.replace("return 3", "return 4")
UTIL_V6 = "def helper():\n    return 1\n\n\nVALUE = 2\n"
UTIL_V8 = "def helper(n):\n    if n:\n        return n * 2\n"
UTIL_V10 = UTIL_V8 + "    return 0\n"
NAIVE_V4 = "def naive():\n    return 1\n\nX = 2\n"
MAILMAP = "Grace Hopper <grace@example.com> G. Hopper <grace@old.example.com>\n"
CODEOWNERS = (
    "# owners of debtboard's test repository\n"
    "*       @org/everyone\n"
    "app/    @ada\n"
    "/docs/*.py grace@example.com  # the docs team\n"
    "app/util.py\n"
    "[bad].py @x\n"
    "!negated @y\n"
    "README.md not-an-owner\n"
)
LOGO_V1 = b"\x89PNG\r\n\x1a\n\x00\x00\x00binary-one"
LOGO_V4 = b"\x89PNG\r\n\x1a\n\x00\x00\x00binary-two"


def day(offset: float) -> datetime:
    """BASE_DATE plus `offset` days."""
    return BASE_DATE + timedelta(days=offset)


@dataclass
class Scenario:
    """The built repository and the ids of its commits by name (c1..c10, merge)."""

    repo: GitRepo
    shas: dict[str, str] = field(default_factory=dict)

    @property
    def tip(self) -> str:
        return self.shas["c10"]


def build_scenario(repo: GitRepo) -> Scenario:
    """Commit the scenario's history into an empty repository."""
    scenario = Scenario(repo=repo)
    shas = scenario.shas
    shas["c1"] = repo.commit("Add the core", author=ADA, date=day(0), files={
        "app/core.py": CORE_V1, "README.md": "# demo\n", ".mailmap": MAILMAP, "CODEOWNERS": CODEOWNERS,
        "logo.png": LOGO_V1,
    })
    shas["c2"] = repo.commit("Return two, add gamma", author=GRACE_OLD, date=day(10), files={"app/core.py": CORE_V2})
    repo.move("app/core.py", "app/engine.py")
    shas["c3"] = repo.commit("Rename core to engine", author=ADA, date=day(20), files={"app/engine.py": ENGINE_V3})
    shas["c4"] = repo.commit("Add docs, new logo", author=GRACE, date=day(30),
                             files={NAIVE: NAIVE_V4, "logo.png": LOGO_V4})
    repo.git("checkout", "-q", "-b", "feature")
    shas["c5"] = repo.commit("Beta returns a list", author=ADA, date=day(40), files={"app/engine.py": ENGINE_V5})
    repo.git("checkout", "-q", "main")
    shas["c6"] = repo.commit("Add util", author=GRACE, date=day(45), files={"app/util.py": UTIL_V6})
    merge_env = {"GIT_AUTHOR_NAME": "Ada Lovelace", "GIT_AUTHOR_EMAIL": "ada@example.com",
                 "GIT_AUTHOR_DATE": day(50).isoformat(), "GIT_COMMITTER_NAME": "Ada Lovelace",
                 "GIT_COMMITTER_EMAIL": "ada@example.com", "GIT_COMMITTER_DATE": day(50).isoformat()}
    repo.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature", env=merge_env)
    shas["merge"] = repo.head()
    repo.remove("app/util.py")
    shas["c7"] = repo.commit("Drop util", author=ADA, date=day(60))
    shas["c8"] = repo.commit("Util is back", author=GRACE, date=day(70), files={"app/util.py": UTIL_V8})
    shas["c9"] = repo.commit("Bump the readme", author=BOT, date=day(80), files={"README.md": "# demo v2\n"})
    shas["c10"] = repo.commit("Gamma returns four", author=GRACE, date=day(100),
                              files={"app/engine.py": ENGINE_V10, "app/util.py": UTIL_V10})
    return scenario
