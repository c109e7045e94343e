#!/usr/bin/env python3
"""Writes test-data/langid-sample.tsv: a labelled sample for measuring language identification.

Each line is `language<TAB>catalog<TAB>text`: a translated message of a GNU gettext catalog
installed on Debian 12 (/usr/share/locale/<locale>/LC_MESSAGES/<catalog>.mo), whose language is
known from its folder. English lines are the catalogs' source strings (msgid). Messages are kept
when they read as prose: 120 to 700 characters, at most two option-like words ("-x", "--name"),
at most two format directives, no "<" markup, no URL; line breaks and runs of spaces become one
space. Per language the first PER_LANGUAGE messages in order of their msgid, from the catalogs in
CATALOGS order. Deterministic for the same installed catalogs.

Run from the repository root: python3 tools/langid-sample/make-sample.py
"""
import gettext
import os
import re
import sys

PER_LANGUAGE = 12
# ISO 639-1 code -> locale folder
LOCALES = {
    "bg": "bg", "cs": "cs", "da": "da", "de": "de", "el": "el", "es": "es", "et": "et",
    "fi": "fi", "fr": "fr", "hu": "hu", "it": "it", "lt": "lt", "lv": "lv", "nl": "nl",
    "pl": "pl", "pt": "pt", "ro": "ro", "sk": "sk", "sl": "sl", "sv": "sv", "ca": "ca",
    "hr": "hr", "ru": "ru", "zh": "zh_CN", "ja": "ja", "ko": "ko", "ar": "ar", "tr": "tr",
}
CATALOGS = ["coreutils", "bash", "findutils", "grep", "diffutils", "tar", "glib20", "gtk20",
            "apt", "dpkg", "PackageKit", "appstream"]
OPTION = re.compile(r"(?:^|\s)--?[A-Za-z]")
DIRECTIVE = re.compile(r"%[-0-9.*]*[a-zA-Z]|\{[0-9a-z_]*\}")


def prose(text):
    text = re.sub(r"\s+", " ", text.replace("\t", " ")).strip()
    if not 120 <= len(text) <= 700:
        return None
    if len(OPTION.findall(text)) > 2 or len(DIRECTIVE.findall(text)) > 2:
        return None
    if "<" in text or "http" in text or "@" in text:
        return None
    return text


def messages(locale, catalog):
    path = f"/usr/share/locale/{locale}/LC_MESSAGES/{catalog}.mo"
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        translations = gettext.GNUTranslations(f)
    pairs = []
    for msgid, msgstr in translations._catalog.items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, n)
            msgid = msgid[0]
        if not msgid or not msgstr:
            continue
        pairs.append((msgid, msgstr))
    pairs.sort()
    return pairs


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "test-data/langid-sample.tsv"
    lines = []
    english = []
    for language, locale in LOCALES.items():
        kept = []
        seen = set()
        for catalog in CATALOGS:
            for msgid, msgstr in messages(locale, catalog):
                text = prose(msgstr)
                if text is None or text in seen or prose(msgid) == text:
                    continue  # untranslated messages are English, not this language
                seen.add(text)
                kept.append((catalog, text))
                if len(kept) == PER_LANGUAGE:
                    break
            if len(kept) == PER_LANGUAGE:
                break
        lines += [(language, catalog, text) for catalog, text in kept]
    for catalog in CATALOGS:
        for msgid, _ in messages("de", catalog):
            if len(english) < PER_LANGUAGE and prose(msgid):
                english.append((catalog, prose(msgid)))
    lines += [("en", catalog, text) for catalog, text in english]
    lines.sort(key=lambda line: line[0])
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for language, catalog, text in lines:
            f.write(f"{language}\t{catalog}\t{text}\n")
    counts = {}
    for language, _, _ in lines:
        counts[language] = counts.get(language, 0) + 1
    print(out, len(lines), "lines", counts)


main()
