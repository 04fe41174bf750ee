"""A small Flask site that serves the article, or one section, in the reader's language.

Run it from a checkout with Flask installed (``pip install flask``)::

    flask --app examples/flask_app run

then open http://127.0.0.1:5000/ (the whole article) or
http://127.0.0.1:5000/sections/dosage-and-safety (one section). The language
comes from the browser's ``Accept-Language`` header; ``?lang=de`` overrides it.

The page embeds ``article.embed(...)`` as ``{{ embed }}`` and links painread's
stylesheet (``painread.stylesheet()``, served at ``/painread.css``). Autoescaping is on and
there is no ``|safe``: the embed's ``__html__`` hands Jinja2 the already escaped
fragment, which carries the medical disclaimer and the safety notices.
"""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from jinja2 import DictLoader

import painread

PAGE = """<!DOCTYPE html>
<html lang="{{ info.tag }}" dir="{{ info.direction }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="stylesheet" href="{{ url_for('stylesheet') }}">
<style>
.site-nav { max-inline-size: 46rem; margin-inline: auto; padding-inline: 1rem; }
.site-nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.5rem 0; }
.site-nav ul { padding: 0; list-style: none; }
.site-nav a { display: inline-block; min-block-size: 24px; padding-block: 0.125rem; }
</style>
</head>
<body>
<nav class="site-nav" aria-label="Site">
<ul>
<li><a href="{{ url_for('whole_article', lang=lang) }}">{{ article.title.text }}</a></li>
{% for entry in article.toc -%}
<li><a href="{{ url_for('one_section', section_id=entry.id, lang=lang) }}">
{{- entry.title }}</a></li>
{% endfor -%}
</ul>
<ul>
{% for choice in languages -%}
<li><a href="?lang={{ choice.tag }}" lang="{{ choice.tag }}" dir="{{ choice.direction }}">
{{- choice.display_name }}</a></li>
{% endfor -%}
</ul>
</nav>
<main>{{ embed }}</main>
</body>
</html>
"""

ERROR = """<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>{{ status }}</title></head>
<body><h1>{{ status }}</h1><p>{{ message }}</p></body>
</html>
"""


def create_app() -> Flask:
    """The application; Flask's ``--app`` option finds this factory by its name."""
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"page.html": PAGE, "error.html": ERROR})
    # Flask escapes .html templates already; saying so keeps it true if a name changes.
    app.jinja_env.autoescape = True

    @app.get("/painread.css")
    def stylesheet() -> Response:
        return Response(painread.stylesheet(), mimetype="text/css")

    @app.get("/")
    def whole_article() -> Response:
        article = _article()
        return _page(article, article.embed(), article.title.text)

    @app.get("/sections/<section_id>")
    def one_section(section_id: str) -> Response:
        article = _article()
        section = article.section(section_id)  # UnknownSectionError -> 404 below
        title = f"{section.title.text} | {article.title.text}"
        return _page(article, article.embed(section=section_id), title)

    @app.errorhandler(painread.InvalidLocaleError)
    def bad_locale(error: painread.InvalidLocaleError) -> tuple[str, int]:
        return render_template("error.html", status="400 Bad Request", message=error), 400

    @app.errorhandler(painread.UnknownSectionError)
    def no_such_section(error: painread.UnknownSectionError) -> tuple[str, int]:
        return render_template("error.html", status="404 Not Found", message=error), 404

    return app


def _article() -> painread.Article:
    """The article in ``?lang=`` if given, else in the best match for Accept-Language.

    ``?lang=`` is validated by :func:`painread.load` (a malformed or unknown code
    raises InvalidLocaleError, answered with 400); a well-formed code that is not
    installed is served in English, as a header would be. The header is only
    negotiated, never trusted: unusable entries in it are skipped.
    """
    chosen = request.args.get("lang")
    if chosen is None:
        return painread.load(painread.negotiate(request.headers.get("Accept-Language")))
    return painread.load(chosen)


def _page(article: painread.Article, embed: object, title: str) -> Response:
    info = painread.locale_info(article.locale)
    html = render_template(
        "page.html",
        article=article,
        embed=embed,
        info=info,
        title=title,
        lang=request.args.get("lang"),
        languages=[painread.locale_info(code) for code in painread.available_locales()],
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Language"] = info.tag
    response.vary.add("Accept-Language")
    return response


if __name__ == "__main__":
    create_app().run()
