from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

# Each language is offered under its own name, and declared with its BCP 47 tag.
NATIVE_NAMES = {"en": "English", "sr-latn": "Srpski", "sr": "Српски"}
HREFLANG = {"en": "en", "sr-latn": "sr-Latn", "sr": "sr-Cyrl"}


def site(request):
    """The language switcher: the current page in each interface language."""
    current = get_language()
    path = request.get_full_path()
    return {
        "language_versions": [
            {
                "code": code,
                "hreflang": HREFLANG[code],
                "name": NATIVE_NAMES[code],
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
        "html_lang": HREFLANG.get(current, current),
        "site_url": settings.SITE_URL,
    }
