"""The verification flow: one transition table and one function per action.

Every action runs in one transaction, locks the proposal row, checks the table, the actor's role
and area and the round's calendar window (an administrator may act outside it; that is recorded),
writes exactly one append-only RiwayatStatus row, and queues notifications in the same
transaction (so they are sent if, and only if, the change is committed). An illegal move raises
TransisiDitolak with a sentence a person can read.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import Penugasan, Peran
from kabar import notifikasi
from musrenbang.models import AlasanKode, PerangkatDaerah, Tahapan
from usulan.kalimat import kalimat
from usulan.models import STATUS_FINAL, Aksi, RiwayatStatus, Status, Usulan
from verifikasi import jenjang
from verifikasi.models import HasilKeputusan, KeputusanBappeda, Pagu, RekomendasiOPD, StatusRekomendasi
from verifikasi.permissions import boleh_bertindak, usulan_terlihat

if TYPE_CHECKING:
    from musrenbang.models import Pengguna

PENGUSUL = "pengusul"
Kalimat = tuple[str, dict[str, Any]]  # a system sentence as data: code and parameters (usulan.kalimat)


class TransisiDitolak(Exception):
    """An action that may not happen now; str(exc) explains why, for the person who tried."""


@dataclass(frozen=True)
class Aturan:
    """One row of the table: who may do it, in which calendar window, what it requires."""

    ke: str | None  # the new status; None: decided by the action (putuskan) or unchanged
    peran: frozenset[str]
    tahapan: tuple[str, ...]  # windows in which it is allowed (any of them); () = always
    alasan_wajib: bool = False  # reason code and text required
    # The public sees this step: its history row is public and the public status becomes the new
    # status (for `terbitkan`, the decision Bappeda drafted). False: internal until published.
    publik: bool = True


_DESA = frozenset({Peran.DESA, Peran.ADMIN})
_KEC = frozenset({Peran.KECAMATAN, Peran.ADMIN})
_BAPPEDA = frozenset({Peran.BAPPEDA, Peran.ADMIN})
_OPD = frozenset({Peran.OPD})
_PENGUSUL = frozenset({PENGUSUL})

S, A = Status, Aksi
# The status before submission: a proposal that does not exist yet.
BARU = ""
TABEL: dict[tuple[str, str], Aturan] = {
    # Submission by the resident (usulan.services.usulan_buat writes it; a desa operator recording a
    # proposal on someone's behalf may also do so within the desa level's window).
    (BARU, A.AJUKAN): Aturan(S.DIAJUKAN, _PENGUSUL, (Tahapan.PENGAJUAN,)),
    # Desa/kelurahan
    (S.DIAJUKAN, A.TERUSKAN): Aturan(S.LOLOS_DESA, _DESA, (Tahapan.DESA,)),
    (S.DIAJUKAN, A.KEMBALIKAN): Aturan(S.DIKEMBALIKAN, _DESA, (Tahapan.DESA,), alasan_wajib=True),
    (S.DIAJUKAN, A.TOLAK): Aturan(S.DITOLAK, _DESA, (Tahapan.DESA,), alasan_wajib=True),
    (S.DIAJUKAN, A.GABUNGKAN): Aturan(S.DIGABUNG, _DESA, (Tahapan.DESA,), alasan_wajib=True),
    # Kecamatan
    (S.LOLOS_DESA, A.TERUSKAN): Aturan(S.LOLOS_KECAMATAN, _KEC, (Tahapan.KECAMATAN,)),
    (S.LOLOS_DESA, A.KEMBALIKAN): Aturan(S.DIKEMBALIKAN, _KEC, (Tahapan.KECAMATAN,), alasan_wajib=True),
    (S.LOLOS_DESA, A.TOLAK): Aturan(S.DITOLAK, _KEC, (Tahapan.KECAMATAN,), alasan_wajib=True),
    (S.LOLOS_DESA, A.GABUNGKAN): Aturan(S.DIGABUNG, _KEC, (Tahapan.KECAMATAN,), alasan_wajib=True),
    # Bappeda, with OPD advice
    (S.LOLOS_KECAMATAN, A.MINTA_REKOMENDASI): Aturan(None, _BAPPEDA, (Tahapan.BAPPEDA,), publik=False),
    (S.LOLOS_KECAMATAN, A.REKOMENDASIKAN): Aturan(None, _OPD, (Tahapan.BAPPEDA,), publik=False),
    (S.LOLOS_KECAMATAN, A.GABUNGKAN): Aturan(S.DIGABUNG, _BAPPEDA, (Tahapan.BAPPEDA,), alasan_wajib=True),
    (S.LOLOS_KECAMATAN, A.PUTUSKAN): Aturan(None, _BAPPEDA, (Tahapan.BAPPEDA,), publik=False),
    # A draft decision may be changed, then published; only then is it final for everyone.
    (S.DITERIMA, A.PUTUSKAN): Aturan(None, _BAPPEDA, (Tahapan.BAPPEDA,), publik=False),
    (S.DITOLAK, A.PUTUSKAN): Aturan(None, _BAPPEDA, (Tahapan.BAPPEDA,), publik=False),
    (S.DITERIMA, A.TERBITKAN): Aturan(None, _BAPPEDA, ()),
    (S.DITOLAK, A.TERBITKAN): Aturan(None, _BAPPEDA, ()),
    # The proposer. They act on the public status (see _jalankan): an unpublished Bappeda draft is
    # not final for them, so they may still withdraw (the draft is then void).
    # Resubmission goes back to the level that returned it: see ajukan_ulang_ke().
    (S.DIKEMBALIKAN, A.AJUKAN_ULANG): Aturan(None, _PENGUSUL, (Tahapan.PENGAJUAN, Tahapan.DESA, Tahapan.KECAMATAN)),
    (S.DIAJUKAN, A.TARIK): Aturan(S.DITARIK, _PENGUSUL, ()),
    (S.DIKEMBALIKAN, A.TARIK): Aturan(S.DITARIK, _PENGUSUL, ()),
    (S.LOLOS_DESA, A.TARIK): Aturan(S.DITARIK, _PENGUSUL, ()),
    (S.LOLOS_KECAMATAN, A.TARIK): Aturan(S.DITARIK, _PENGUSUL, ()),
}


def ajukan_ulang_ke() -> dict[str, Aturan]:
    """Where a resubmitted proposal goes, by the status the last `kembalikan` came from: back to the
    level that returned it (a kecamatan's return does not make the desa verify it again), allowed
    while that level's window is open; a return to the status a submission leads to (the first
    level) also within the submission's window. Derived from both tables: every level that may
    return a proposal from one of its waiting statuses."""
    pengajuan = TABEL[(BARU, A.AJUKAN)]
    hasil = {}
    for j in jenjang.semua():
        for s in j.menunggu:
            kembali = TABEL.get((s, A.KEMBALIKAN))
            if kembali is None or kembali.ke != S.DIKEMBALIKAN:
                continue
            tahapan = (*pengajuan.tahapan, j.tahapan) if s == pengajuan.ke else (j.tahapan,)
            hasil[s] = Aturan(s, _PENGUSUL, tahapan)
    return hasil


AJUKAN_ULANG_KE = ajukan_ulang_ke()  # as the tables stand at start-up; the flow calls ajukan_ulang_ke()


def status_kerja(peran: str) -> list[str]:
    """What a role works on by default (its inbox): the statuses at which the transition table lets it
    act; an administrator, who may act at every level, sees every level's waiting statuses."""
    if peran == Peran.ADMIN:
        return list(jenjang.status_menunggu())
    return list(dict.fromkeys(s for (s, _a), aturan in TABEL.items() if s != BARU and peran in aturan.peran))


def jenjang_pemegang(status: str) -> jenjang.Jenjang:
    """The level answerable for a proposal in `status`: the level holding it, else the last level
    whose role may act on it (a Bappeda draft or decision), else the first level (returned to the
    proposer, withdrawn, or no status yet)."""
    j = jenjang.di(status)
    if j is not None:
        return j
    peran = {p for (s, _a), aturan in TABEL.items() if s == status for p in aturan.peran}
    semua = jenjang.semua()
    return next((k for k in reversed(semua) if k.peran in peran), semua[0])


def aksi_tersedia(usulan: Usulan, peran: str) -> list[str]:
    """The actions `peran` may take on the proposal's current status, by the table alone. The
    proposer acts on the public status (see _jalankan); the proposer's pages ask this too."""
    status = usulan.status_publik if peran == PENGUSUL else usulan.status
    return [a for (s, a), aturan in TABEL.items() if s == status and peran in aturan.peran]


def _status_pengajuan() -> str:
    """The status a submission leads to (the table's submission row)."""
    ke = TABEL[(BARU, A.AJUKAN)].ke
    if ke is None:  # the table is declared wrongly: a submission must lead to a status
        raise RuntimeError("TABEL[(BARU, AJUKAN)] has no target status")
    return ke


def dikembalikan_dari(usulan_id: int) -> str:
    """The status the proposal was in when it was last returned (diajukan: by the desa, lolos_desa:
    by the kecamatan), read from its history."""
    return (
        RiwayatStatus.objects.filter(usulan_id=usulan_id, aksi=A.KEMBALIKAN)
        .order_by("-waktu", "-pk")
        .values_list("dari_status", flat=True)
        .first()
    ) or _status_pengajuan()


def _aturan(usulan: Usulan, aksi: str, status: str) -> Aturan | None:
    aturan = TABEL.get((status, aksi))
    if aturan is not None and aksi == A.AJUKAN_ULANG:
        ke = ajukan_ulang_ke()
        return ke.get(dikembalikan_dari(usulan.pk), ke[_status_pengajuan()])
    return aturan


def _keputusan_terbit(usulan: Usulan) -> bool:
    keputusan = getattr(usulan, "keputusan", None)
    return keputusan is not None and keputusan.diterbitkan_pada is not None


def _jalankan(
    *,
    usulan_id: int,
    aksi: str,
    pelaku: Pengguna,
    peran: str,
    ubah: Callable[[Usulan], str | None],
    alasan_kode: AlasanKode | None = None,
    catatan: str = "",
    kalimat_sistem: Kalimat | Callable[[str], Kalimat] | None = None,
    paksa_jadwal: bool = False,
    pada: datetime.datetime | None = None,
) -> Usulan:
    """The common core of every action. `ubah` applies the action's own changes to the locked row
    and returns the new status (or None to keep it). `catatan` is what the person typed;
    `kalimat_sistem` the system's own sentence as data (usulan.kalimat), or a function of the new
    status giving it (a default note that depends on where the action led)."""
    pada = pada or timezone.now()
    catatan = (catatan or "").strip()
    with transaction.atomic():
        usulan = (
            Usulan.objects.select_for_update(of=("self",))
            .select_related("siklus__kabkota", "desa", "kecamatan", "pengguna")
            .get(pk=usulan_id)
        )
        # The proposer sees, and acts on, the public status: Bappeda's unpublished draft stays hidden.
        pengusul = peran == PENGUSUL
        dari = usulan.status_publik if pengusul else usulan.status
        aturan = _aturan(usulan, aksi, dari)
        if aturan is None or peran not in aturan.peran:
            # At another level, or already handled: say where it stands now.
            raise TransisiDitolak(
                _(
                    "Usulan %(kode)s sekarang berstatus “%(status)s”, jadi tidak bisa di-%(aksi)s. "
                    "Mungkin sudah ditangani petugas lain; muat ulang halaman."
                )
                % {
                    "kode": usulan.kode_lacak,
                    "status": usulan.get_status_publik_display() if pengusul else usulan.get_status_display(),
                    "aksi": Aksi(aksi).label.lower(),
                }
            )
        if not boleh_bertindak(pelaku, usulan, peran):
            raise TransisiDitolak(_("Usulan ini di luar wilayah atau penugasan Anda."))
        di_luar_jadwal = False
        if aturan.tahapan and not any(usulan.siklus.terbuka(t, pada) for t in aturan.tahapan):
            if not (paksa_jadwal and peran == Peran.ADMIN):
                raise TransisiDitolak(_("Jadwal tahap ini sedang tidak dibuka. Lihat jadwal tahapan di beranda."))
            di_luar_jadwal = True
        if aturan.alasan_wajib and (alasan_kode is None or not catatan):
            raise TransisiDitolak(_("Pilih kode alasan dan tulis alasannya."))
        if len(catatan) > 2000:
            raise TransisiDitolak(_("Catatan paling panjang 2000 karakter."))

        ke = ubah(usulan) or aturan.ke or dari
        if callable(kalimat_sistem):
            kalimat_sistem = kalimat_sistem(ke)
        kode_kalimat, data_kalimat = kalimat_sistem or ("", None)
        usulan.status = ke
        publik, publik_lama = aturan.publik, usulan.status_publik
        if publik:
            # A public step shows the new status (publication: the drafted decision); only public
            # steps move the time the public sees (the map's Last-Modified).
            usulan.status_publik = ke
            usulan.diperbarui_publik = pada
        usulan.save()
        RiwayatStatus.objects.create(
            usulan=usulan,
            aksi=aksi,
            dari_status=dari,
            ke_status=ke,
            pelaku=pelaku,
            peran=peran,
            alasan_kode=alasan_kode,
            catatan=catatan,
            kalimat=kode_kalimat,
            kalimat_data=data_kalimat,
            publik=publik,
            di_luar_jadwal=di_luar_jadwal,
        )
        if usulan.status_publik != publik_lama:
            _kabari_pengusul(usulan, pelaku, aksi)
        if ke != dari:
            _kabari_tingkat_berikut(usulan)
    return usulan


# --- Notifications -----------------------------------------------------------------------------
def _kabari_pengusul(usulan: Usulan, pelaku: Pengguna, aksi: str) -> None:
    """The proposer hears of every public change: at the recorded contact when the proposal was filed
    on their behalf (the account is then an operator's or a partner app's, and none of its actions
    are the proposer's own), else at their account, except for their own withdrawal."""
    tautan = settings.SITUS_URL + f"/usulan/lacak/{usulan.kode_lacak}/"
    # As data: worded in the recipient's language when sent (kabar.pesan), not in the actor's.
    data = {"kode": usulan.kode_lacak, "judul": usulan.judul, "status": usulan.status_publik, "tautan": tautan}
    pesan: dict[str, Any] = {"pesan": ("status_usulan", data), "usulan": usulan}
    if usulan.atas_nama:
        notifikasi.antrekan_kontak(usulan.kontak_pengusul, **pesan)  # no contact recorded: nobody
        return
    if usulan.pengguna_id == pelaku.pk and aksi != A.AJUKAN_ULANG:
        return  # the proposer's own withdrawal needs no message to themselves; a resubmission is confirmed
    notifikasi.antrekan(usulan.pengguna, **pesan)


def petugas_jenjang(usulan: Usulan, j: jenjang.Jenjang) -> QuerySet[Penugasan]:
    """The active assignments of the level's officials in the proposal's area."""
    return Penugasan.objects.filter(peran=j.peran, wilayah_id=jenjang.wilayah_id(usulan, j), aktif=True)


def _kabari_tingkat_berikut(usulan: Usulan) -> None:
    """The officials of the level a proposal has just arrived at (passed on, or resubmitted to it)
    get one digest a day listing the work that arrived (the level table's `dikabari`)."""
    j = jenjang.di(usulan.status)
    if j is None or not j.dikabari:
        return
    baris = f"{usulan.kode_lacak} — {usulan.judul} ({usulan.desa.nama})"
    for p in petugas_jenjang(usulan, j).select_related("pengguna"):
        notifikasi.antrekan_ringkasan(p.pengguna, baris=baris, usulan=usulan)


def _kabari_opd(usulan: Usulan, opd: Sequence[PerangkatDaerah]) -> None:
    baris = f"{usulan.kode_lacak} — {usulan.judul} ({usulan.desa.nama})"
    petugas = Penugasan.objects.filter(peran=Peran.OPD, perangkat_daerah__in=opd, aktif=True).select_related("pengguna")
    for p in petugas:
        notifikasi.antrekan_ringkasan(p.pengguna, baris=baris, usulan=usulan)


# --- Ceilings ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CekPagu:
    pagu: Decimal
    terpakai: Decimal  # estimated cost already passed on at this level, this one included
    blokir: bool

    @property
    def lewat(self) -> bool:
        return self.terpakai > self.pagu


def cek_pagu(usulan: Usulan, peran: str, *, kunci: bool = False) -> CekPagu | None:
    """The ceiling of the desa (or kecamatan) against what passing this proposal on would total.

    `kunci` (inside a transaction; `teruskan` does it): lock the Pagu row first, so passings-on under
    the same ceiling take turns and each sums what the ones before it committed. Without the lock two
    concurrent ones could each see room for itself and together exceed a blocking ceiling.
    """
    j = next((k for k in jenjang.dengan_peran(peran) if k.pagu), None)
    if j is None:
        return None
    wilayah_id = jenjang.wilayah_id(usulan, j)
    pagu_qs = Pagu.objects.filter(siklus_id=usulan.siklus_id, wilayah_id=wilayah_id)
    pagu = (pagu_qs.select_for_update() if kunci else pagu_qs).first()
    if pagu is None:
        return None
    saring = {f"{j.wilayah}_id": wilayah_id}
    sudah = Usulan.objects.filter(siklus_id=usulan.siklus_id, status__in=jenjang.lolos_dari(j), **saring).exclude(
        pk=usulan.pk
    ).aggregate(t=Sum("perkiraan_biaya"))["t"] or Decimal(0)
    return CekPagu(pagu=pagu.jumlah, terpakai=sudah + (usulan.perkiraan_biaya or Decimal(0)), blokir=pagu.blokir)


# --- Actions -----------------------------------------------------------------------------------
def teruskan(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    peran: str,
    peringkat: int | None = None,
    catatan: str = "",
    paksa_jadwal: bool = False,
) -> Usulan:
    """Desa or kecamatan passes the proposal on to the next level, with a rank (1 = most urgent).

    A ceiling (Pagu) set to block refuses passing on more estimated cost than it allows.
    """
    if peringkat is not None and peringkat < 1:
        raise TransisiDitolak(_("Peringkat dimulai dari 1."))

    def ubah(u: Usulan) -> None:
        # The level holding it passes it on (the table let this role act there; an administrator
        # acts as that level).
        tingkat = jenjang.di(u.status)
        if tingkat is None:
            return
        cek = cek_pagu(u, tingkat.peran, kunci=True) if tingkat.pagu else None
        if cek and cek.lewat and cek.blokir:
            raise TransisiDitolak(
                _("Pagu terlampaui: Rp %(terpakai)s dari pagu Rp %(pagu)s. Usulan tidak bisa diteruskan.")
                % {"terpakai": f"{cek.terpakai:,.0f}".replace(",", "."), "pagu": f"{cek.pagu:,.0f}".replace(",", ".")}
            )
        if tingkat.kolom_peringkat:
            setattr(u, tingkat.kolom_peringkat, peringkat)

    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.TERUSKAN,
        pelaku=pelaku,
        peran=peran,
        ubah=ubah,
        catatan=catatan,
        paksa_jadwal=paksa_jadwal,
    )


def kembalikan(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    peran: str,
    alasan_kode: AlasanKode | None,
    catatan: str,
    paksa_jadwal: bool = False,
) -> Usulan:
    """Send the proposal back to the proposer for revision, with a reason code and a note."""
    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.KEMBALIKAN,
        pelaku=pelaku,
        peran=peran,
        ubah=lambda u: None,
        alasan_kode=alasan_kode,
        catatan=catatan,
        paksa_jadwal=paksa_jadwal,
    )


def tolak(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    peran: str,
    alasan_kode: AlasanKode | None,
    catatan: str,
    paksa_jadwal: bool = False,
) -> Usulan:
    """Reject at the desa or kecamatan level; the reason code and text are published at once."""
    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.TOLAK,
        pelaku=pelaku,
        peran=peran,
        ubah=lambda u: None,
        alasan_kode=alasan_kode,
        catatan=catatan,
        paksa_jadwal=paksa_jadwal,
    )


def gabungkan(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    peran: str,
    ke_usulan_id: int | None,
    alasan_kode: AlasanKode | None,
    catatan: str,
    paksa_jadwal: bool = False,
) -> Usulan:
    """Merge a duplicate into another proposal of the same round that is still alive."""

    def ubah(u: Usulan) -> None:
        tujuan = Usulan.objects.filter(pk=ke_usulan_id, siklus_id=u.siklus_id).exclude(pk=u.pk).first()  # type: ignore[misc]
        if tujuan is None:
            raise TransisiDitolak(_("Pilih usulan tujuan penggabungan dari siklus yang sama."))
        # The target may lie outside the official's area (a duplicate across a border). Bappeda's
        # unpublished draft is then judged as the public sees the target, so a refusal cannot reveal it.
        terlihat = usulan_terlihat(pelaku, peran).filter(pk=tujuan.pk).exists()
        if (tujuan.status if terlihat else tujuan.status_publik) in STATUS_FINAL - {Status.DITERIMA}:
            raise TransisiDitolak(_("Usulan tujuan sudah ditolak, ditarik, atau digabung; pilih yang lain."))
        u.digabung_ke = tujuan

    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.GABUNGKAN,
        pelaku=pelaku,
        peran=peran,
        ubah=ubah,
        alasan_kode=alasan_kode,
        catatan=catatan,
        paksa_jadwal=paksa_jadwal,
    )


def minta_rekomendasi(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    peran: str,
    opd: Sequence[PerangkatDaerah],
    catatan: str = "",
    paksa_jadwal: bool = False,
) -> Usulan:
    """Bappeda routes the proposal to one or more OPD for a technical recommendation."""
    if not opd:
        raise TransisiDitolak(_("Pilih minimal satu OPD."))

    def ubah(u: Usulan) -> None:
        baru = [o for o in opd if not RekomendasiOPD.objects.filter(usulan=u, perangkat_daerah=o).exists()]
        if not baru:
            raise TransisiDitolak(_("Rekomendasi dari OPD itu sudah diminta."))
        for o in baru:
            RekomendasiOPD.objects.create(usulan=u, perangkat_daerah=o, diminta_oleh=pelaku)
        _kabari_opd(u, baru)

    nama = ", ".join(o.singkatan for o in opd)
    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.MINTA_REKOMENDASI,
        pelaku=pelaku,
        peran=peran,
        ubah=ubah,
        catatan=catatan,
        kalimat_sistem=None if (catatan or "").strip() else kalimat("diminta_rekomendasi", opd=nama),
        paksa_jadwal=paksa_jadwal,
    )


def rekomendasikan(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    layak: bool,
    volume: Decimal | None,
    biaya: Decimal | None,
    catatan: str,
    pada: datetime.datetime | None = None,
) -> Usulan:
    """An OPD the proposal is routed to gives its opinion: feasible or not, adjusted volume and cost."""
    if not (catatan or "").strip():
        raise TransisiDitolak(_("Tulis catatan teknis rekomendasi."))
    for nilai in (volume, biaya):
        if nilai is not None and nilai < 0:
            raise TransisiDitolak(_("Volume dan biaya tidak boleh negatif."))

    def ubah(u: Usulan) -> None:
        from verifikasi.permissions import wewenang

        permintaan = list(
            RekomendasiOPD.objects.select_for_update().filter(
                usulan=u, perangkat_daerah_id__in=wewenang(pelaku).opd, status=StatusRekomendasi.DIMINTA
            )
        )
        if not permintaan:
            raise TransisiDitolak(_("Rekomendasi OPD Anda untuk usulan ini sudah diberikan."))
        for r in permintaan:
            r.status = StatusRekomendasi.DIBERIKAN
            r.layak, r.volume, r.biaya, r.catatan = layak, volume, biaya, catatan.strip()
            r.direkomendasikan_oleh, r.direkomendasikan_pada = pelaku, pada or timezone.now()
            r.save()

    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.REKOMENDASIKAN,
        pelaku=pelaku,
        peran=Peran.OPD,
        ubah=ubah,
        catatan=catatan,
        kalimat_sistem=kalimat("layak" if layak else "tidak_layak"),
        pada=pada,
    )


def putuskan(
    *,
    usulan_id: int,
    pelaku: Pengguna,
    peran: str,
    hasil: str,
    alasan: str,
    perangkat_daerah: PerangkatDaerah | None = None,
    volume: Decimal | None = None,
    biaya: Decimal | None = None,
    tahun: int | None = None,
    alasan_kode: AlasanKode | None = None,
    paksa_jadwal: bool = False,
) -> Usulan:
    """Bappeda decides: accept (with the responsible OPD, agreed volume, cost and budget year) or
    reject (with a reason code). The decision stays internal until `terbitkan`."""
    if hasil not in HasilKeputusan.values:
        raise TransisiDitolak(_("Pilih hasil keputusan: diterima atau ditolak."))
    if not (alasan or "").strip():
        raise TransisiDitolak(_("Tulis alasan keputusan; alasan ini akan diumumkan."))
    if hasil == HasilKeputusan.DITERIMA and (perangkat_daerah is None or biaya is None or biaya <= 0):
        raise TransisiDitolak(_("Usulan yang diterima perlu OPD pelaksana dan pagu yang disepakati."))
    if hasil == HasilKeputusan.DITOLAK and alasan_kode is None:
        raise TransisiDitolak(_("Pilih kode alasan penolakan."))

    def ubah(u: Usulan) -> str:
        if _keputusan_terbit(u):
            raise TransisiDitolak(_("Keputusan untuk usulan ini sudah diterbitkan dan tidak bisa diubah."))
        if u.status == Status.DITOLAK and not hasattr(u, "keputusan"):
            raise TransisiDitolak(_("Usulan ini sudah ditolak di tingkat sebelumnya."))
        KeputusanBappeda.objects.update_or_create(
            usulan=u,
            defaults={
                "hasil": hasil,
                "perangkat_daerah": perangkat_daerah if hasil == HasilKeputusan.DITERIMA else None,
                "volume": volume if hasil == HasilKeputusan.DITERIMA else None,
                "biaya": biaya if hasil == HasilKeputusan.DITERIMA else None,
                "tahun": (tahun or u.siklus.tahun) if hasil == HasilKeputusan.DITERIMA else None,
                "alasan_kode": alasan_kode if hasil == HasilKeputusan.DITOLAK else None,
                "alasan": alasan.strip(),
                "diputuskan_oleh": pelaku,
                "diputuskan_pada": timezone.now(),
            },
        )
        return Status.DITERIMA if hasil == HasilKeputusan.DITERIMA else Status.DITOLAK

    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.PUTUSKAN,
        pelaku=pelaku,
        peran=peran,
        ubah=ubah,
        alasan_kode=alasan_kode if hasil == HasilKeputusan.DITOLAK else None,
        catatan=alasan,
        paksa_jadwal=paksa_jadwal,
    )


def terbitkan(*, usulan_id: int, pelaku: Pengguna, peran: str) -> Usulan:
    """Publish one Bappeda decision: the public now sees the outcome, the OPD and the reason."""

    def ubah(u: Usulan) -> None:
        keputusan = getattr(u, "keputusan", None)
        if keputusan is None:
            raise TransisiDitolak(_("Usulan ini belum diputuskan Bappeda."))
        if keputusan.diterbitkan_pada is not None:
            raise TransisiDitolak(_("Keputusan ini sudah diterbitkan."))
        keputusan.diterbitkan_pada = timezone.now()
        keputusan.save(update_fields=["diterbitkan_pada"])
        # The core shows the drafted status to the public: this row of the table is public.

    keputusan = (
        KeputusanBappeda.objects.filter(usulan_id=usulan_id).select_related("alasan_kode", "perangkat_daerah").first()
    )
    # The published sentence as data: each reader gets it in their language (usulan.kalimat).
    diterima = None
    if keputusan and keputusan.hasil == HasilKeputusan.DITERIMA:
        # An accepted decision names its agency (the form and the table's check require it).
        diterima = kalimat("diterima_rkpd", tahun=keputusan.tahun, opd=keputusan.perangkat_daerah.nama)  # type: ignore[union-attr]
    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.TERBITKAN,
        pelaku=pelaku,
        peran=peran,
        ubah=ubah,
        alasan_kode=keputusan.alasan_kode if keputusan else None,
        catatan=keputusan.alasan if keputusan else "",
        kalimat_sistem=diterima,
    )


def terbitkan_semua(*, pelaku: Pengguna, peran: str, siklus_id: int, kecamatan_id: int | None = None) -> int:
    """Publish every decided, unpublished proposal of a round (or of one kecamatan) at once.

    All or nothing: one transaction for the whole batch, so a round is announced together.
    """
    with transaction.atomic():
        calon = KeputusanBappeda.objects.filter(usulan__siklus_id=siklus_id, diterbitkan_pada__isnull=True)
        if kecamatan_id:
            calon = calon.filter(usulan__kecamatan_id=kecamatan_id)
        jumlah = 0
        for usulan_id in calon.order_by("usulan_id").values_list("usulan_id", flat=True):
            terbitkan(usulan_id=usulan_id, pelaku=pelaku, peran=peran)
            jumlah += 1
    return jumlah


def ajukan_ulang(
    *, usulan_id: int, pelaku: Pengguna, ubah_isi: Callable[[Usulan], None] | None = None, catatan: str = ""
) -> Usulan:
    """The proposer resubmits after a return; `ubah_isi` applies their edits to the locked row.

    The proposal goes back to the level that returned it (AJUKAN_ULANG_KE): to the desa (diajukan)
    within the resident's or the desa's window, to the kecamatan (lolos_desa) within the kecamatan's.
    """

    def ubah(u: Usulan) -> str | None:
        desa_lama = u.desa_id
        if ubah_isi is not None:
            try:
                ubah_isi(u)
            except ValidationError as exc:
                raise TransisiDitolak(" ".join(exc.messages)) from None
        awal = ajukan_ulang_ke()[_status_pengajuan()]
        if u.desa_id != desa_lama and dikembalikan_dari(u.pk) != awal.ke:
            # Moved into another desa: that desa has never verified it, so it starts there.
            if not any(u.siklus.terbuka(t) for t in awal.tahapan):
                raise TransisiDitolak(
                    _("Lokasi baru ada di desa/kelurahan lain, dan jadwal verifikasi desa sedang tidak dibuka.")
                )
            pertama = jenjang.di(awal.ke) if awal.ke is not None else None
            if pertama is not None and pertama.kolom_peringkat:
                setattr(u, pertama.kolom_peringkat, None)  # its old desa's rank is void
            return awal.ke
        return None

    def kalimat_bawaan(ke: str) -> Kalimat:
        return kalimat("diajukan_ulang_kecamatan" if ke == S.LOLOS_DESA else "diajukan_ulang")

    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.AJUKAN_ULANG,
        pelaku=pelaku,
        peran=PENGUSUL,
        ubah=ubah,
        catatan=catatan,
        kalimat_sistem=None if catatan.strip() else kalimat_bawaan,
    )


def tarik(*, usulan_id: int, pelaku: Pengguna, catatan: str = "") -> Usulan:
    """The proposer withdraws the proposal before any final decision it can see: an unpublished
    Bappeda decision is a draft, not final, so it may be withdrawn then too, and the draft is void
    (deleted; the internal history keeps what it said, and no batch publishes it any more)."""

    def ubah(u: Usulan) -> None:
        KeputusanBappeda.objects.filter(usulan=u, diterbitkan_pada__isnull=True).delete()

    return _jalankan(
        usulan_id=usulan_id,
        aksi=A.TARIK,
        pelaku=pelaku,
        peran=PENGUSUL,
        ubah=ubah,
        catatan=catatan,
        kalimat_sistem=None if catatan.strip() else kalimat("ditarik_pengusul"),
    )
