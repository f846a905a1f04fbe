"""Forms of the officials' actions. They only parse; the transition functions decide."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.models import AlasanKode, PerangkatDaerah
from verifikasi.models import HasilKeputusan

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _alasan() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Kode alasan"), queryset=AlasanKode.objects.filter(aktif=True), empty_label=_("— pilih alasan —")
    )


def _catatan(label: StrOrPromise, wajib: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=2000, required=wajib, widget=forms.Textarea(attrs={"rows": 3}))


class PilihanOPD(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PerangkatDaerah) -> str:
        return f"{obj.singkatan} — {obj.nama}"


class FormAksi(forms.Form):
    paksa_jadwal = forms.BooleanField(label=_("Lakukan di luar jadwal (wewenang admin, dicatat)"), required=False)


class FormTeruskan(FormAksi):
    peringkat = forms.IntegerField(
        label=_("Peringkat"),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=_("1 = paling mendesak. Bisa diatur ulang di halaman peringkat."),
    )
    catatan = _catatan(_("Catatan (publik)"), wajib=False)


class FormAlasan(FormAksi):
    alasan_kode = _alasan()
    catatan = _catatan(_("Alasan (dibaca pengusul dan publik)"))


class FormGabungkan(FormAlasan):
    ke_kode = forms.CharField(
        label=_("Kode lacak usulan tujuan"), max_length=24, help_text=_("Usulan yang sama yang dipertahankan.")
    )


class FormMintaRekomendasi(FormAksi):
    opd = PilihanOPD(
        label=_("OPD yang dimintai rekomendasi"),
        queryset=PerangkatDaerah.objects.filter(aktif=True),
        widget=forms.CheckboxSelectMultiple,
    )
    catatan = _catatan(_("Catatan untuk OPD"), wajib=False)


class FormRekomendasi(forms.Form):
    layak = forms.TypedChoiceField(
        label=_("Kelayakan teknis"),
        choices=[("1", _("Layak")), ("0", _("Tidak layak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    volume = forms.DecimalField(
        label=_("Volume disesuaikan"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    biaya = forms.DecimalField(
        label=_("Biaya disesuaikan (Rp)"), max_digits=17, decimal_places=2, min_value=0, required=False
    )
    catatan = _catatan(_("Catatan teknis"))


class FormPutuskan(FormAksi):
    hasil = forms.ChoiceField(label=_("Keputusan"), choices=HasilKeputusan.choices, widget=forms.RadioSelect)
    perangkat_daerah = forms.ModelChoiceField(
        label=_("OPD pelaksana"), queryset=PerangkatDaerah.objects.filter(aktif=True), required=False
    )
    volume = forms.DecimalField(
        label=_("Volume disepakati"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    biaya = forms.DecimalField(
        label=_("Pagu disepakati (Rp)"), max_digits=17, decimal_places=2, min_value=Decimal("0"), required=False
    )
    tahun = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100, required=False)
    alasan_kode = forms.ModelChoiceField(
        label=_("Kode alasan (bila ditolak)"), queryset=AlasanKode.objects.filter(aktif=True), required=False
    )
    alasan = _catatan(_("Alasan keputusan (akan diumumkan)"))


class FormTerbitkanSemua(forms.Form):
    kecamatan = forms.IntegerField(required=False, widget=forms.HiddenInput)
