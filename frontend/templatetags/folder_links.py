"""The `path_links` tag: a repository path with each folder segment linking to its folder page."""
from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("frontend/partials/path_links.html")
def path_links(repository_name: str, path: str, window: str = "", with_leaf: bool = True) -> dict[str, Any]:
    """Render `path` ("src/shop/cart.py") as links to "src/" and "src/shop/", then the file name as text."""
    folders, _, leaf = path.rpartition("/")
    parts = [part for part in folders.split("/") if part]
    crumbs = [{"name": part, "path": "/".join(parts[:depth + 1]) + "/"} for depth, part in enumerate(parts)]
    return {"repository": {"name": repository_name}, "crumbs": crumbs, "leaf": leaf if with_leaf else "",
            "window": window}
