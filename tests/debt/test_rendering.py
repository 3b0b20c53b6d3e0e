"""Markdown descriptions and comments are rendered with scripts, event handlers and unsafe URLs removed."""
import pytest

from debt.rendering import render_markdown
from debt.selectors.items import debt_item_description_html
from debt.services.items import debt_item_create
from tests.debt.factories import make_repository


@pytest.mark.parametrize(
    ("source", "present", "absent"),
    [
        ("Fix *this*", ["<em>this</em>"], []),
        ("<script>alert('x')</script>Hi", ["Hi"], ["<script", "alert("]),
        ("[click](javascript:alert(1))", ["click"], ["javascript:"]),
        ('<a href="javascript:alert(1)">x</a>', ["x"], ["javascript:"]),
        ('<img src=x onerror="alert(1)">', [], ["onerror", "<img"]),
        ("[docs](https://example.com/a)", ['href="https://example.com/a"', 'rel="noopener noreferrer nofollow"'], []),
        ("```\n<b>raw</b>\n```", ["&lt;b&gt;raw&lt;/b&gt;"], ["<b>raw</b>"]),
        ('<iframe src="https://evil.example"></iframe>ok', ["ok"], ["<iframe"]),
        ("nul\x00byte", ["nulbyte"], ["\x00"]),
    ],
)
def test_render_markdown_is_sanitised(source, present, absent):
    html = render_markdown(source)
    for fragment in present:
        assert fragment in html
    for fragment in absent:
        assert fragment not in html


@pytest.mark.django_db
def test_item_description_renders_safely():
    item = debt_item_create(repository=make_repository(), title="x",
                            description="**Bold** <script>steal()</script> [a](javascript:steal())")
    html = debt_item_description_html(item=item)
    assert "<strong>Bold</strong>" in html
    assert "script" not in html and "javascript" not in html
    assert "<script>" in item.description  # the source is kept as written
