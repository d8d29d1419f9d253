"""Every page text has its English: the catalogue covers what the sources say today."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# The same sources and keywords as babel.cfg and the README's pybabel command.
METHODS = [("torchfin/**.py", "python"), ("torchfin/**/templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
SAME_IN_ENGLISH = {"API"}


def _source_messages() -> dict[str, str]:
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, METHODS, {}, KEYWORDS
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, f"{filename}:{lineno}")
    return found


def test_every_message_of_the_sources_has_an_english_translation():
    with (ROOT / "torchfin/translations/en/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    sources = _source_messages()
    assert len(sources) > 700  # the extraction found the platform's texts at all
    untranslated = {
        text: where
        for text, where in sources.items()
        if text not in SAME_IN_ENGLISH and not (catalogue.get(text) and catalogue.get(text).string)
    }
    assert untranslated == {}
