"""One more level is one more row in the level table (and its rows in the transition table): with a
"forum" level between the kecamatan and Bappeda added to copies of both tables, the officials'
queues, the ranks, who hears next, the SIPD workbook's level columns and Open311's
agency_responsible all follow, with no other edit.

The forum is convened by Bappeda for the kabupaten (role bappeda, Bappeda's window); its status
`lolos_forum` is real for this test only (added to Status, the status CHECK constraints dropped inside
the test's transaction, so both come back afterwards). Usulan has no spare rank column, so the forum
reuses the nullable `peringkat_desa` and the copied desa level gives no rank.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from akun.models import Peran
from kabar.models import Notifikasi
from musrenbang.models import Tahapan
from tests.skenario import buat_usulan
from usulan.models import Aksi, Status, Usulan
from verifikasi import jenjang, selectors, services
from verifikasi import transitions as t
from verifikasi.selectors import Saringan, antrian_verifikasi

FORUM = "lolos_forum"
_FORUM_PERAN = frozenset({Peran.BAPPEDA, Peran.ADMIN})


def _tambah_status(nilai: str, nama: str, label: str) -> None:
    """Make `nilai` a member of Status for the test (the enum is closed; Django reads these maps)."""
    anggota = str.__new__(Status, nilai)
    anggota._name_, anggota._value_, anggota._label_ = nama, nilai, label
    anggota.__objclass__ = Status
    Status._member_map_[nama] = anggota
    Status._value2member_map_[nilai] = anggota
    Status._member_names_.append(nama)


def _buang_status(nilai: str, nama: str) -> None:
    Status._member_names_.remove(nama)
    del Status._member_map_[nama]
    del Status._value2member_map_[nilai]


@pytest.fixture
def dengan_forum(db, monkeypatch) -> Iterator[None]:
    _tambah_status(FORUM, "LOLOS_FORUM", "Lolos forum")
    with connection.cursor() as c:
        tabel = connection.ops.quote_name(Usulan._meta.db_table)
        # Pending deferred checks would refuse ALTER TABLE; check them now, then defer again.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute(
            f"ALTER TABLE {tabel} DROP CONSTRAINT usulan_status_valid, DROP CONSTRAINT usulan_status_publik_valid"
        )
        c.execute("SET CONSTRAINTS ALL DEFERRED")
    desa, kecamatan, bappeda = jenjang.JENJANG
    forum = jenjang.Jenjang(
        nama="forum",
        peran=Peran.BAPPEDA,
        tahapan=Tahapan.BAPPEDA,
        menunggu=(Status.LOLOS_KECAMATAN,),
        lolos=FORUM,
        wilayah="siklus__kabkota",
        sebutan="Forum %(nama)s",
        kolom_peringkat="peringkat_desa",
        kolom_sipd="Rekomendasi Forum",
    )
    monkeypatch.setattr(
        jenjang,
        "JENJANG",
        (
            dataclasses.replace(desa, kolom_peringkat=None),
            kecamatan,
            forum,
            dataclasses.replace(bappeda, menunggu=(FORUM,)),
        ),
    )
    # Bappeda's rows (and the OPD's) now start after the forum; the forum's own rows come in between.
    salinan = {}
    for (status, aksi), aturan in t.TABEL.items():
        if status == Status.LOLOS_KECAMATAN and aksi != Aksi.TARIK:
            status = FORUM
        salinan[(status, aksi)] = aturan
    salinan.update(
        {
            (Status.LOLOS_KECAMATAN, Aksi.TERUSKAN): t.Aturan(FORUM, _FORUM_PERAN, (Tahapan.BAPPEDA,)),
            (Status.LOLOS_KECAMATAN, Aksi.KEMBALIKAN): t.Aturan(
                Status.DIKEMBALIKAN, _FORUM_PERAN, (Tahapan.BAPPEDA,), alasan_wajib=True
            ),
            (FORUM, Aksi.TARIK): t.Aturan(Status.DITARIK, frozenset({t.PENGUSUL}), ()),
        }
    )
    monkeypatch.setattr(t, "TABEL", salinan)
    yield
    _buang_status(FORUM, "LOLOS_FORUM")


def _baris_ringkasan(pengguna, kode: str) -> int:
    return sum(n.isi.count(kode) for n in Notifikasi.objects.filter(penerima=pengguna, kunci_ringkasan__isnull=False))


def _open311(client, kode: str) -> dict:
    respons = client.get(reverse("open311:request", kwargs={"kode": kode, "format": "json"}))
    assert respons.status_code == 200
    (permintaan,) = respons.json()
    return permintaan


def _sipd(client) -> tuple[tuple, dict[str, dict]]:
    respons = client.get(reverse("data:sipd"))
    assert respons.status_code == 200
    buku = openpyxl.load_workbook(io.BytesIO(b"".join(respons.streaming_content)))
    semua = list(buku.worksheets[0].iter_rows(values_only=True))
    return semua[0], {b[0]: dict(zip(semua[0], b, strict=True)) for b in semua[1:]}


def test_tingkat_forum_diikuti_tanpa_suntingan_lain(
    dengan_forum, client, warga, siklus, desa, karimun, operator_desa, operator_kecamatan, bappeda, admin_user
):
    u = buat_usulan(warga, siklus, desa)
    t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=4)
    t.teruskan(usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=2)

    # Open311: lolos_kecamatan is now held by the forum.
    assert _open311(client, u.kode_lacak)["agency_responsible"] == f"Forum {karimun.nama}"
    sebelum = _baris_ringkasan(bappeda, u.kode_lacak)

    # The forum passes it on: its rank goes into its own column, the kecamatan's stays.
    t.teruskan(usulan_id=u.pk, pelaku=bappeda, peran=Peran.BAPPEDA, peringkat=1)
    u.refresh_from_db()
    assert (u.status, u.status_publik) == (FORUM, FORUM)
    assert (u.peringkat_desa, u.peringkat_kecamatan) == (1, 2)

    # Who hears next: Bappeda's digest gets the arrival, the proposer the new public status.
    assert _baris_ringkasan(bappeda, u.kode_lacak) == sebelum + 1
    kabar = Notifikasi.objects.filter(penerima=warga, usulan=u, kode_pesan="status_usulan")
    assert [n.subjek for n in kabar.filter(saluran="email").order_by("pk")][-1] == f"Usulan {u.kode_lacak}: Lolos forum"

    # The queues: Bappeda and the administrator work on it at its new status, the kecamatan no more.
    assert u in antrian_verifikasi(bappeda, Peran.BAPPEDA, Saringan())
    assert u in antrian_verifikasi(admin_user, Peran.ADMIN, Saringan())
    assert u not in antrian_verifikasi(operator_kecamatan, Peran.KECAMATAN, Saringan())
    assert t.aksi_tersedia(u, Peran.BAPPEDA) == [Aksi.MINTA_REKOMENDASI, Aksi.GABUNGKAN, Aksi.PUTUSKAN]

    # The ranks: the forum orders what it passed on, in its column.
    assert list(selectors.usulan_untuk_peringkat(bappeda, Peran.BAPPEDA)) == [u]
    assert services.peringkat_atur(pelaku=bappeda, peran=Peran.BAPPEDA, urutan={u.pk: 3}) == 1
    u.refresh_from_db()
    assert (u.peringkat_desa, u.peringkat_kecamatan) == (3, 2)
    with pytest.raises(ValidationError, match="peringkat"):
        services.peringkat_atur(pelaku=operator_desa, peran=Peran.DESA, urutan={u.pk: 1})  # the desa ranks nothing

    # The SIPD workbook: one column per level, the forum's between the kecamatan's and the OPD's.
    client.force_login(bappeda)
    kolom, baris = _sipd(client)
    i = kolom.index("Rekomendasi Kecamatan")
    assert kolom[i : i + 3] == ("Rekomendasi Kecamatan", "Rekomendasi Forum", "Rekomendasi SKPD")
    b = baris[u.kode_lacak]
    assert (b["Rekomendasi Kelurahan"], b["Rekomendasi Kecamatan"], b["Rekomendasi Forum"]) == (
        "Teruskan",
        "Teruskan (peringkat 2)",
        "Teruskan (peringkat 3)",
    )

    # Open311 again: now Bappeda holds it.
    client.logout()
    assert _open311(client, u.kode_lacak)["agency_responsible"] == f"Bappeda {karimun.nama}"


def test_kembali_dari_forum_diajukan_ulang_ke_forum(
    dengan_forum, warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, alasan
):
    u = buat_usulan(warga, siklus, desa)
    t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    t.kembalikan(usulan_id=u.pk, pelaku=bappeda, peran=Peran.BAPPEDA, alasan_kode=alasan, catatan="Lengkapi volume")
    assert set(t.ajukan_ulang_ke()) == {Status.DIAJUKAN, Status.LOLOS_DESA, Status.LOLOS_KECAMATAN}
    sebelum = _baris_ringkasan(bappeda, u.kode_lacak)
    t.ajukan_ulang(usulan_id=u.pk, pelaku=warga)
    u.refresh_from_db()
    assert u.status == Status.LOLOS_KECAMATAN  # back to the forum, which returned it
    assert _baris_ringkasan(bappeda, u.kode_lacak) == sebelum + 1
