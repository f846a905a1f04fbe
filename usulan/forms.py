"""The proposal form: parses and bounds input; the service decides the rest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from musrenbang.models import Bidang, KamusUsulan, Siklus
from usulan.models import FotoUsulan, JenisPengusul
from usulan.services import IsiUsulan


class InputBanyakFoto(forms.ClearableFileInput):
    allow_multiple_selected = True


class BanyakFotoField(forms.FileField):
    """Several files under one name; decoding and limits are the photo pipeline's job."""

    widget = InputBanyakFoto

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        berkas = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return berkas


class TokenUnggahanField(forms.Field):
    """Tokens of photos uploaded beforehand (hidden inputs, one per photo); whose they are is the service's
    question. A malformed token is not the resident's doing: it is reported as a lost photo."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        hasil = []
        for teks in value if isinstance(value, list | tuple) else [value] if value else []:
            try:
                hasil.append(uuid.UUID(str(teks)))
            except ValueError:
                raise forms.ValidationError(
                    _("Foto yang diunggah sudah tidak tersedia (terpakai atau kedaluwarsa). Pilih fotonya lagi."),
                    code="unggahan_hilang",
                ) from None
        return hasil


class PilihanBidang(forms.ModelChoiceField):
    def label_from_instance(self, obj: Bidang) -> str:
        return obj.nama


class PilihanKamus(forms.ModelChoiceField):
    def label_from_instance(self, obj: KamusUsulan) -> str:
        return f"{obj.nama} ({obj.satuan})"


class FormUsulan(forms.Form):
    judul = forms.CharField(
        label=_("Judul usulan"),
        max_length=150,
        help_text=_("Singkat dan jelas, mis. “Perbaikan drainase Jl. Merdeka RT 03”."),
    )
    permasalahan = forms.CharField(
        label=_("Permasalahan saat ini"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang terjadi sekarang dan siapa yang terdampak."),
    )
    uraian = forms.CharField(
        label=_("Usulan kegiatan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang perlu dibangun atau dilakukan."),
    )
    jenis_pengusul = forms.ChoiceField(label=_("Diusulkan oleh"), choices=JenisPengusul.choices)
    nama_pengusul = forms.CharField(
        label=_("Nama pengusul atau kelompok"),
        max_length=150,
        required=False,
        help_text=_("Kosongkan untuk memakai nama akun Anda. Untuk kelompok, mis. “RT 03 RW 01”."),
    )
    tampilkan_nama = forms.BooleanField(label=_("Tampilkan nama pengusul di halaman publik"), required=False)
    bidang = PilihanBidang(label=_("Bidang"), queryset=Bidang.objects.none(), empty_label=_("— pilih bidang —"))
    kamus = PilihanKamus(
        label=_("Jenis kegiatan (kamus usulan)"),
        queryset=KamusUsulan.objects.none(),
        required=False,
        empty_label=_("— tidak ada yang cocok —"),
        help_text=_("Bila cocok, satuan dan perkiraan biaya mengikuti kamus."),
    )
    volume = forms.DecimalField(
        label=_("Volume"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999999"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    satuan = forms.CharField(label=_("Satuan"), max_length=30, required=False, help_text=_("mis. meter, unit, paket"))
    alamat = forms.CharField(label=_("Alamat atau patokan"), max_length=200)
    dusun = forms.CharField(label=_("Dusun/lingkungan"), max_length=100, required=False)
    rt = forms.RegexField(
        label=_("RT"),
        regex=r"^\d{1,3}$",
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
        error_messages={"invalid": _("RT berupa angka, mis. 003.")},
    )
    rw = forms.RegexField(
        label=_("RW"),
        regex=r"^\d{1,3}$",
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
        error_messages={"invalid": _("RW berupa angka, mis. 001.")},
    )
    lat = forms.FloatField(
        label=_("Lintang"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Bujur"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    foto = BanyakFotoField(
        label=_("Foto lokasi"),
        required=False,
        widget=InputBanyakFoto(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}),
        help_text=_("1–5 foto kondisi saat ini: JPEG, PNG, WebP atau HEIC."),
    )
    foto_kamera = BanyakFotoField(
        label=_("Ambil foto dengan kamera"),
        required=False,
        widget=InputBanyakFoto(attrs={"accept": "image/*", "capture": "environment"}),
    )
    # Photos already uploaded (by the page's script as soon as chosen, or kept from a refused form).
    unggahan = TokenUnggahanField(required=False)
    # The client's key for this submission (an offline draft): a repeated key gives the same proposal.
    kunci_idempoten = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        siklus: Siklus | None,
        foto_wajib: bool = True,
        operator: bool = False,
        foto_lama: Sequence[FotoUsulan] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.siklus = siklus
        self.foto_wajib = foto_wajib
        self.foto_lama = list(foto_lama)
        if self.foto_lama:
            # Revising a returned proposal: the photos it has may be removed (the service checks that
            # at least one remains, counting the new ones).
            self.fields["hapus_foto"] = forms.TypedMultipleChoiceField(
                label=_("Foto yang dihapus"),
                choices=[(f.pk, _("Foto %(n)s") % {"n": i}) for i, f in enumerate(self.foto_lama, 1)],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if operator:
            # Filed on behalf of someone: who they are, and how to reach them (never public).
            self.fields["nama_pengusul"].required = True
            self.fields["nama_pengusul"].help_text = _("Nama warga atau kelompok yang mengusulkan.")
            self.fields["kontak_pengusul"] = forms.CharField(
                label=_("Kontak pengusul (tidak dipublikasikan)"),
                max_length=100,
                required=False,
                help_text=_("E-mail atau nomor HP pengusul: kabar status usulan dikirim ke sini."),
            )
        self._pesan_bernama()
        # Both are ModelChoiceFields (the Meta's foreign keys); self.fields holds them as plain Fields.
        self.fields["bidang"].queryset = Bidang.objects.filter(aktif=True, induk__isnull=False).order_by("nama")  # type: ignore[attr-defined]
        if siklus is not None:
            self.fields["kamus"].queryset = KamusUsulan.objects.filter(siklus=siklus, aktif=True).order_by("nama")  # type: ignore[attr-defined]

    def _pesan_bernama(self) -> None:
        """Every message names its field: "Volume wajib diisi.", never a bare "this field is required",
        which under *Volume*, right below *Bidang*, reads as if the sector were missing."""
        for f in self.fields.values():
            label = f.label
            f.error_messages["required"] = _("%(isian)s wajib diisi.") % {"isian": label}
            if getattr(f, "max_length", None):
                f.error_messages["max_length"] = _("%(isian)s paling banyak %(batas)d karakter.") % {
                    "isian": label,
                    "batas": f.max_length,  # type: ignore[attr-defined]  # a CharField: getattr() above
                }
            if isinstance(f, forms.DecimalField | forms.FloatField):
                f.error_messages["invalid"] = _("%(isian)s harus berupa angka.") % {"isian": label}
            if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
                f.error_messages["invalid_choice"] = _("Pilih %(isian)s dari daftar.") % {"isian": label}
        self.fields["volume"].error_messages["min_value"] = _("Volume harus lebih dari 0.")
        self.fields["volume"].error_messages["max_value"] = _("Volume terlalu besar.")
        for nama, batas in (("lat", 90), ("lon", 180)):
            pesan = _("%(isian)s harus di antara -%(batas)d dan %(batas)d.") % {
                "isian": self.fields[nama].label,
                "batas": batas,
            }
            self.fields[nama].error_messages["min_value"] = self.fields[nama].error_messages["max_value"] = pesan

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # clean() returns cleaned_data: never None
        if not data.get("kamus") and not (data.get("satuan") or "").strip() and "satuan" not in self.errors:
            self.add_error("satuan", _("Isi satuan, atau pilih jenis kegiatan dari kamus."))
        ada_lat, ada_lon = data.get("lat") is not None, data.get("lon") is not None
        if ada_lat != ada_lon:
            self.add_error("lat", _("Isi lintang dan bujur sekaligus, atau kosongkan keduanya."))
        jumlah = len(data.get("foto") or []) + len(data.get("foto_kamera") or []) + len(data.get("unggahan") or [])
        tersisa = len(self.foto_lama) - len(set(data.get("hapus_foto") or []))
        if jumlah == 0 and (self.foto_wajib or (self.foto_lama and tersisa <= 0)):
            self.add_error("foto", _("Lampirkan minimal satu foto lokasi."))
        elif jumlah > settings.FOTO_JUMLAH_MAKS:
            self.add_error(
                "foto", _("Paling banyak %(jumlah)d foto per usulan.") % {"jumlah": settings.FOTO_JUMLAH_MAKS}
            )
        return data

    def semua_foto(self) -> list[Any]:
        return [*(self.cleaned_data.get("foto") or []), *(self.cleaned_data.get("foto_kamera") or [])]

    def isi(self) -> IsiUsulan:
        d = self.cleaned_data
        return IsiUsulan(
            judul=d["judul"],
            permasalahan=d["permasalahan"],
            uraian=d["uraian"],
            bidang=d["bidang"],
            kamus=d.get("kamus"),
            volume=d["volume"],
            satuan=(d.get("satuan") or "").strip(),
            alamat=d["alamat"],
            dusun=d.get("dusun") or "",
            rt=d.get("rt") or "",
            rw=d.get("rw") or "",
            lat=d.get("lat"),
            lon=d.get("lon"),
            jenis_pengusul=d["jenis_pengusul"],
            nama_pengusul=(d.get("nama_pengusul") or "").strip(),
            kontak_pengusul=(d.get("kontak_pengusul") or "").strip(),
            tampilkan_nama=bool(d.get("tampilkan_nama")),
        )
