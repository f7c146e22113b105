"""The dependency rule of the project's apps (README, "Layout"), read from the code.

Every import in an app, at the top of a module or inside a function, must name
the app itself, a layer below it, or something outside the project.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app and the project apps it may import. Above all of them, config wires
# everything together and nothing imports it.
MAY_IMPORT = {
    "edge": set(),
    "pagecache": set(),
    "articles": {"edge", "pagecache"},
    "pages": {"edge", "pagecache", "articles"},
    "comments": {"edge", "pagecache", "articles"},
    "wordpress": {"edge", "pagecache", "articles", "pages", "comments"},
    "newsroom": {"edge", "pagecache", "articles", "pages", "comments", "wordpress"},
}
PROJECT = {*MAY_IMPORT, "config"}


def imported_apps(source):
    """The project apps a module's source imports, with the line of each import."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in PROJECT:
                yield top, node.lineno


def forbidden_imports(app, source):
    allowed = MAY_IMPORT[app] | {app}
    return [(top, line) for top, line in imported_apps(source) if top not in allowed]


def modules(app):
    return sorted((ROOT / app).rglob("*.py"))


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_app_imports_only_the_layers_below_it(app):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in modules(app)
        for top, line in forbidden_imports(app, path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_project_app_has_a_rule():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(MAY_IMPORT)


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("articles", "from comments.models import Comment\n", [("comments", 1)]),
        ("articles", "def f():\n    import comments.posting\n", [("comments", 2)]),
        ("comments", "from config.settings import DEBUG\n", [("config", 1)]),
        ("pagecache", "from articles import models\n", [("articles", 1)]),
        ("comments", "from articles.models import Article\nimport pagecache\n", []),
        ("edge", "from . import logging\nimport django\n", []),
    ],
)
def test_the_check_finds_a_forbidden_import(app, source, expected):
    assert forbidden_imports(app, source) == expected
