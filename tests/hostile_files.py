"""Files that break analysers, each with the error kind debtboard records for it (shared by the pool and
service tests)."""

# A real, valid file that takes flake8 and radon about two seconds: a huge generated module.
SLOW = b"".join(b"def f%d(x):\n    return x if x else [y for y in x if y]\n" % i for i in range(2500))

HOSTILE = {
    "syntax.py": (b"def f(:\n", "syntax"),
    "python2.py": (b'print "hello"\n', "syntax"),
    "cookie.py": (b"# coding: no-such-codec\nx = 1\n", "encoding"),
    "latin1.py": (b"x = 1\ny = 2\ns = '\xe9'\n", "encoding"),
    "nul.py": (b"x = 1\n\x00\n", "null_byte"),
    "image.py": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary"),
    "deep.py": (b"x = " + b" + ".join([b"1"] * 3000) + b"\n", "recursion"),
    "huge.py": (b"x = 1\n" * 40_000, "too_large"),
    "slow.py": (SLOW, "timeout"),
}
