"""A small Django site that serves the article, or one section, in the reader's language.

Everything Django needs is in this one file: settings, URLs and views. The one
template is ``templates/page.html``. Run it from a checkout with Django
installed (``pip install django``)::

    python examples/django_app/kratom_site.py runserver

then open http://127.0.0.1:8000/ (the whole article) or
http://127.0.0.1:8000/sections/dosage-and-safety (one section).

Django's ``LocaleMiddleware`` picks the language from the browser's
``Accept-Language`` header among ``LANGUAGES`` (every language painread
serves) and sets ``request.LANGUAGE_CODE``; the view hands that to
``painread.negotiate``. The template prints ``embed.html()`` as ``{{ embed }}``
with autoescaping on and no ``|safe``: it is a ``markupsafe.Markup`` whose
``__html__`` hands Django the already escaped fragment, which carries the
medical disclaimer and the safety notices.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

import painread

HERE = Path(__file__).resolve().parent

# --- settings ---------------------------------------------------------------------------------

DEBUG = os.environ.get("KRATOM_SITE_DEBUG") == "1"
SECRET_KEY = os.environ.get("KRATOM_SITE_SECRET_KEY", "only-for-the-example-set-your-own")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = __name__
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [
    (painread.locale_info(code).tag.lower(), painread.locale_info(code).display_name)
    for code in painread.available_locales()
]
MIDDLEWARE = [
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
]
INSTALLED_APPS: list[str] = []
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "OPTIONS": {"autoescape": True},
    }
]

# --- views ------------------------------------------------------------------------------------


def _page(request: HttpRequest, section: str | None) -> HttpResponse:
    article = painread.load(painread.negotiate(request.LANGUAGE_CODE))
    try:
        # Django turns any value that is not a string into one with str() before
        # escaping it, which would give the plain-text format; Markup is a string
        # whose __html__ Django honours.
        embed = article.embed(section=section).html()
    except painread.UnknownSectionError as error:
        raise Http404(str(error)) from error
    title = article.section(section).title.text if section else article.title.text
    context = {
        "article": article,
        "info": painread.locale_info(article.locale),
        "title": title,
        "embed": embed,
    }
    return render(request, "page.html", context)


def whole_article(request: HttpRequest) -> HttpResponse:
    """The whole article, disclaimer and notices included."""
    return _page(request, None)


def one_section(request: HttpRequest, section_id: str) -> HttpResponse:
    """One section, with the disclaimer and the notices that apply to it."""
    return _page(request, section_id)


urlpatterns = [
    path("", whole_article, name="whole_article"),
    path("sections/<slug:section_id>", one_section, name="one_section"),
]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_site")
    sys.path.insert(0, str(HERE))
    execute_from_command_line(sys.argv)
