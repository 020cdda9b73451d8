"""Company names reduced to keys for screening, the same way here and in the browser.

The build does the heavy part (pinyin for Chinese names) and ships the keys; the
browser (``docs/assets/kb/screening.js``) repeats only :func:`simple_key`: Unicode
NFKC, case folding, dropping punctuation and spaces, and removing legal-form
suffixes from the list exported with the index. Keep the two in step; a test
compares them on the same inputs.
"""

from __future__ import annotations

import re
import unicodedata

# Legal forms at the end of a name ("Co., Ltd.", 有限公司...). Latin ones are whole words,
# matched after case folding; Chinese ones are matched as trailing text, longest first.
LATIN_SUFFIXES = (
    "co",
    "company",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "llc",
    "plc",
    "group",
    "holding",
    "holdings",
    "gmbh",
    "ag",
    "sa",
    "spa",
    "bv",
    "nv",
    "pte",
    "pty",
)
CHINESE_SUFFIXES = (
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "集团有限公司",
    "集團有限公司",
    "控股有限公司",
    "有限公司",
    "集团公司",
    "集團公司",
    "控股",
    "集团",
    "集團",
    "公司",
)


# Runs of characters for which str.isalnum() holds: \w is exactly those plus "_".
TOKEN_RE = re.compile(r"[^\W_]+")


def _tokens(name: str) -> list[str]:
    """Runs of letters and digits, case-folded, after NFKC (full-width letters become ASCII)."""
    return TOKEN_RE.findall(unicodedata.normalize("NFKC", name).lower())  # lower(), as JavaScript's toLowerCase()


def _strip_chinese_suffix(token: str) -> str:
    for suffix in CHINESE_SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return token[: -len(suffix)]
    return token


def name_words(name: str) -> list[str]:
    """The words of a name without case, punctuation or a trailing legal form."""
    tokens = _tokens(name)
    while len(tokens) > 1 and tokens[-1] in LATIN_SUFFIXES:
        tokens.pop()
    if tokens:
        stripped = _strip_chinese_suffix(tokens[-1])
        while stripped != tokens[-1]:
            tokens[-1] = stripped
            stripped = _strip_chinese_suffix(tokens[-1])
    return tokens


def simple_key(name: str) -> str:
    """The key the browser computes too: no case, spacing, punctuation or legal-form suffix."""
    return "".join(name_words(name))


def has_chinese(name: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in name)


def pinyin_key(name: str) -> str | None:
    """The toneless pinyin of a Chinese name, as a key (旷视科技 -> kuangshikeji)."""
    if not has_chinese(name):
        return None
    from pypinyin import lazy_pinyin  # imported here: its dictionary is large and only screening needs it

    core = simple_key(name)
    return simple_key(" ".join(lazy_pinyin(core))) or None


def keys_for(name: str) -> set[str]:
    """Every key under which ``name`` is found."""
    keys = {simple_key(name)}
    if pinyin := pinyin_key(name):
        keys.add(pinyin)
    return {key for key in keys if key}


def is_only_legal_form(name: str) -> bool:
    """True for an alias such as ``Ltd.`` that a stray comma split off a longer name."""
    tokens = _tokens(name)
    return bool(tokens) and all(token in LATIN_SUFFIXES for token in tokens)
