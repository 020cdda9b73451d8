"""Name keys for screening: tolerant of case, spacing, punctuation, legal forms and script."""

from __future__ import annotations

import pytest
from kb.names import is_only_legal_form, keys_for, pinyin_key, simple_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "hangzhouhikvisiondigitaltechnology"),
        ("HANGZHOU  HIKVISION digital-technology co ltd", "hangzhouhikvisiondigitaltechnology"),
        ("SenseTime Group Limited", "sensetime"),
        ("Alibaba Group Holding Ltd", "alibaba"),
        ("ＭＥＧＶＩＩ", "megvii"),
        ("杭州海康威视数字技术股份有限公司", "杭州海康威视数字技术"),
        ("旷视科技有限公司", "旷视科技"),
        ("云从科技集团股份有限公司", "云从科技"),
        ("Tesco", "tesco"),  # a name ending in letters of a suffix keeps them
        ("Group", "group"),  # a name that is only a suffix word is kept
        ("", ""),
    ],
)
def test_simple_key(name: str, key: str) -> None:
    assert simple_key(name) == key


def test_pinyin_keys_for_chinese_names() -> None:
    assert pinyin_key("旷视科技") == "kuangshikeji"
    assert pinyin_key("Megvii") is None
    assert keys_for("旷视科技") == {"旷视科技", "kuangshikeji"}
    assert simple_key("Kuangshi Keji") in keys_for("旷视科技")


@pytest.mark.parametrize(
    ("alias", "only"), [("Ltd.", True), ("Co., Ltd.", True), ("Inc", True), ("Baidu, Inc.", False), ("Group Ltd", True)]
)
def test_only_legal_form(alias: str, only: bool) -> None:
    assert is_only_legal_form(alias) is only
