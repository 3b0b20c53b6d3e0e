"""Webhook signatures and push payloads (pure): constant-time checks, branch names, the tracked branch."""
import hashlib
import hmac

import pytest

from metrics.core.webhooks import (
    GITHUB,
    GITLAB,
    WebhookPayloadInvalid,
    branch_name_check,
    github_signature_valid,
    gitlab_token_valid,
    push_parse,
    tracked_branch,
)

SECRET = "s3cret-Ünïcode"
BODY = b'{"ref":"refs/heads/main"}'
SIGNATURE = "sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("secret", "body", "header", "valid"),
    [
        (SECRET, BODY, SIGNATURE, True),
        (SECRET, BODY, SIGNATURE.upper().replace("SHA256=", "sha256="), False),  # hex digests are lower case
        (SECRET, BODY + b" ", SIGNATURE, False),
        ("other", BODY, SIGNATURE, False),
        (SECRET, BODY, SIGNATURE.removeprefix("sha256="), False),
        (SECRET, BODY, "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(), False),
        (SECRET, BODY, "", False),
        (SECRET, BODY, None, False),
        ("", BODY, "sha256=" + hmac.new(b"", BODY, hashlib.sha256).hexdigest(), False),  # no secret: nothing passes
        (SECRET, BODY, "sha256=\udcff", False),  # a header that is not ASCII does not crash the comparison
    ],
)
def test_github_signature(secret, body, header, valid):
    assert github_signature_valid(secret=secret, body=body, header=header) is valid


@pytest.mark.parametrize(
    ("secret", "header", "valid"),
    [("tok", "tok", True), ("tok", "tok ", False), ("tok", "TOK", False), ("tok", None, False), ("", "", False),
     ("tok", "tök", False)],
)
def test_gitlab_token(secret, header, valid):
    assert gitlab_token_valid(secret=secret, header=header) is valid


@pytest.mark.parametrize("name", ["main", "feature/x-1", "release-2.0", "ünïcode", "a" * 255])
def test_branch_names_git_allows(name):
    assert branch_name_check(name) == name


@pytest.mark.parametrize("name", ["", "ma\x00in", "ma\nin", "ma\x1bin", "tab\tbed", "with space", "a..b", "a@{1}",
                                  "-rf", "/lead", "trail/", "x.lock", "dot.", "star*", "co:lon", "a" * 256,
                                  "del\x7f", "a//b", "back\\slash"])
def test_branch_names_git_refuses(name):
    with pytest.raises(WebhookPayloadInvalid):
        branch_name_check(name)


def test_a_github_push_is_read():
    push = push_parse(provider=GITHUB, payload={"ref": "refs/heads/main", "after": "a" * 40, "deleted": False,
                                                "repository": {"default_branch": "main"}})
    assert (push.branch, push.deleted, push.default_branch) == ("main", False, "main")


def test_a_gitlab_push_deleting_a_branch_is_read():
    push = push_parse(provider=GITLAB, payload={"ref": "refs/heads/old", "after": "0" * 40,
                                                "project": {"default_branch": "main"}})
    assert (push.branch, push.deleted, push.default_branch) == ("old", True, "main")


def test_a_tag_push_has_no_branch():
    assert push_parse(provider=GITHUB, payload={"ref": "refs/tags/v1.0"}).branch is None


@pytest.mark.parametrize(
    "payload",
    [[], "push", None, {}, {"ref": 7}, {"ref": "refs/heads/ma\x00in"}, {"ref": "refs/heads/a\rb"},
     {"ref": "refs/tags/v\x01"}, {"ref": "refs/heads/main", "after": 5},
     {"ref": "refs/heads/main", "repository": {"default_branch": "x\ny"}}],
)
def test_payloads_that_are_not_pushes_are_refused(payload):
    with pytest.raises(WebhookPayloadInvalid):
        push_parse(provider=GITHUB, payload=payload)


@pytest.mark.parametrize(
    ("revision", "default_branch", "expected"),
    [("HEAD", "main", "main"), ("HEAD", "", ""), ("main", "trunk", "main"), ("refs/heads/dev", "main", "dev"),
     ("origin/release", "main", "release"), (" main ", "x", "main")],
)
def test_tracked_branch(revision, default_branch, expected):
    assert tracked_branch(default_revision=revision, default_branch=default_branch) == expected
