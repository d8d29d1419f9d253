"""A sentence in both languages of the platform, for results stored and shown later in either."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Said:
    """A sentence in Chinese and English."""

    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        """The stored form: {"zh": ..., "en": ...}."""
        return {"zh": self.zh, "en": self.en}

    def in_language(self, language: str) -> str:
        """The sentence in `language`: English for "en", Chinese otherwise."""
        return self.en if language == "en" else self.zh
