"""The transition table is complete: every status is final or has a way out, every action is reachable."""

from __future__ import annotations

from usulan.models import STATUS_FINAL, Aksi, Status
from verifikasi.transitions import AJUKAN_ULANG_KE, BARU, PENGUSUL, TABEL


def test_setiap_status_final_atau_punya_jalan_keluar():
    for status in Status.values:
        keluar = [(a, r) for (s, a), r in TABEL.items() if s == status]
        if status in STATUS_FINAL:
            # Final statuses only allow Bappeda's draft handling before publication.
            assert {a for a, _ in keluar} <= {Aksi.PUTUSKAN, Aksi.TERBITKAN}, status
        else:
            assert keluar, f"{status} has no way out"
            assert any(r.ke not in (None, status) or a == Aksi.PUTUSKAN for a, r in keluar), status


def test_setiap_aksi_petugas_ada_di_tabel():
    dipakai = {a for (_s, a) in TABEL}
    assert dipakai == set(Aksi.values)  # submission too: a row from BARU (no proposal yet) to diajukan


def test_alasan_wajib_untuk_kembalikan_tolak_gabungkan():
    for (_s, a), aturan in TABEL.items():
        assert aturan.alasan_wajib == (a in {Aksi.KEMBALIKAN, Aksi.TOLAK, Aksi.GABUNGKAN}), a


def test_setiap_status_bisa_dicapai_dari_diajukan():
    tercapai, antre = {Status.DIAJUKAN}, [Status.DIAJUKAN]
    while antre:
        s = antre.pop()
        for (dari, a), r in TABEL.items():
            tujuan = [r.ke] if r.ke else ([Status.DITERIMA, Status.DITOLAK] if a == Aksi.PUTUSKAN else [])
            for t in tujuan:
                if dari == s and t not in tercapai:
                    tercapai.add(t)
                    antre.append(t)
    assert tercapai == set(Status.values)


def test_ajukan_ulang_kembali_ke_setiap_tingkat_yang_bisa_mengembalikan():
    dikembalikan_dari = {s for (s, a), r in TABEL.items() if a == Aksi.KEMBALIKAN and r.ke == Status.DIKEMBALIKAN}
    assert set(AJUKAN_ULANG_KE) == dikembalikan_dari
    for asal, aturan in AJUKAN_ULANG_KE.items():
        assert aturan.ke == asal and aturan.peran == {PENGUSUL} and aturan.tahapan, asal


def test_pengajuan_adalah_baris_tabel(usulan):
    """The submission's history row is the table's submission row (from BARU, no proposal yet)."""
    aturan = TABEL[(BARU, Aksi.AJUKAN)]
    (r,) = usulan.riwayat.all()
    assert (r.aksi, r.dari_status, r.ke_status, r.peran, r.publik) == (Aksi.AJUKAN, BARU, aturan.ke, PENGUSUL, True)
    assert usulan.status == usulan.status_publik == aturan.ke


def test_hanya_langkah_internal_yang_tidak_publik():
    # Publication is a public row like any other: it shows the drafted decision.
    internal = {a for (_s, a), r in TABEL.items() if not r.publik}
    assert internal == {Aksi.MINTA_REKOMENDASI, Aksi.REKOMENDASIKAN, Aksi.PUTUSKAN}
    assert all(r.publik for (_s, a), r in TABEL.items() if a == Aksi.TERBITKAN)
