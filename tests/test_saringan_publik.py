"""The public filter parser: forgiving of junk, exact about what it keeps."""

from __future__ import annotations

from django.http import QueryDict

from usulan.saringan import SaringanPublik


def test_parse_dan_kembali_ke_query():
    query = QueryDict("status=diterima,ditolak&status=bukan&bidang=5&kecamatan=x&q=+jalan+&siklus=-3")
    s = SaringanPublik.dari_query(query)
    assert s == SaringanPublik(status=("diterima", "ditolak"), bidang=5, q="jalan")
    assert s.sebagai_query() == {"status": "diterima,ditolak", "bidang": "5", "q": "jalan"}


def test_nilai_aneh_diabaikan():
    s = SaringanPublik.dari_query({"desa": "99999999999999", "q": "x" * 500, "status": "diterima"})
    assert s.desa is None and len(s.q) == 100 and s.status == ("diterima",)
