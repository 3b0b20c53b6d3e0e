"""Markdown to safe HTML for item descriptions and comments (Markdown, then nh3 sanitising)."""
import markdown
import nh3

from debtboard.text import clean_text

ALLOWED_TAGS: frozenset[str] = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


def render_markdown(source: str) -> str:
    """Render Markdown to HTML with raw HTML, scripts and unsafe URLs removed."""
    html = markdown.markdown(
        clean_text(source), extensions=["fenced_code", "tables", "sane_lists"], output_format="html"
    )
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
