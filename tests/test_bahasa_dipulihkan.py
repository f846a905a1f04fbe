"""Each test starts in the site's language, whatever the test before it activated (tests/conftest.py).

The two tests run in file order: the first leaves English active on purpose, the second must not see it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def test_meninggalkan_bahasa_inggris_aktif():
    translation.activate("en")
    assert translation.get_language() == "en"


def test_tes_berikutnya_mulai_dalam_bahasa_situs():
    assert translation.get_language() == settings.LANGUAGE_CODE
