"""Photos upload one by one as soon as they are chosen; the form then only names them by token.

A refused form keeps them (also after a full-page POST without JavaScript), a submit attaches them
atomically and only once, only their owner can use them, and old unused ones are pruned."""

from __future__ import annotations

import datetime
import io
import os
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import gambar
from tests.usulan.test_usulan_halaman import _data
from usulan.models import FotoUsulan, UnggahanFoto, Usulan
from usulan.unggahan import FOLDER

# Each test starts with an empty MEDIA_ROOT, so it can count exactly the files it leaves.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_kosong")]


def _berkas_unggahan() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "privat" / FOLDER
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _unggah(client: Client, berkas) -> dict:
    jawab = client.post(reverse("usulan:unggah_foto"), {"foto": berkas}, headers={"accept": "application/json"})
    assert jawab.status_code == 201, jawab.content
    return jawab.json()


def test_unggah_satu_foto_diperiksa_dan_disimpan_privat(client, warga, siklus, foto_moro, titik_moro):
    client.force_login(warga)
    data = _unggah(client, foto_moro("a"))
    u = UnggahanFoto.objects.get()
    assert data["token"] == str(u.token) and u.pengguna == warga
    # The pipeline's findings are kept for the verifiers' flags later.
    assert abs(u.lat - titik_moro.y) < 1e-4 and u.merek_kamera == "TestCam" and u.diambil_pada is not None
    assert abs(data["lat"] - titik_moro.y) < 1e-4
    # The three files sit in the private storage; the thumbnail is served to its owner only.
    for jalur in (u.asli, u.web, u.thumbnail):
        assert jalur.startswith(f"{FOLDER}/") and storages["privat"].exists(jalur)
    kecil = client.get(data["url_kecil"])
    assert kecil.status_code == 200 and kecil["Content-Type"] == "image/jpeg"
    assert kecil["Cache-Control"].startswith("private")
    lain = Client()
    assert lain.get(data["url_kecil"]).status_code == 404


def test_unggah_perlu_masuk_dan_csrf(warga, siklus, foto_moro):
    tamu = Client()
    jawab = tamu.post(reverse("usulan:unggah_foto"), {"foto": foto_moro()})
    assert jawab.status_code == 401 and jawab.json()["kode"] == "belum_masuk"
    ketat = Client(enforce_csrf_checks=True)
    ketat.force_login(warga)
    assert ketat.post(reverse("usulan:unggah_foto"), {"foto": foto_moro()}).status_code == 403
    assert not UnggahanFoto.objects.exists() and not _berkas_unggahan()


def test_foto_rusak_ditolak_dengan_pesan(client, warga, siklus):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(warga)
    rusak = SimpleUploadedFile("rusak.jpg", gambar.jpeg()[:400], "image/jpeg")
    jawab = client.post(reverse("usulan:unggah_foto"), {"foto": rusak})
    assert jawab.status_code == 400 and jawab.json()["kode"] == "rusak"
    assert "rusak atau tidak utuh" in jawab.json()["pesan"]
    assert not UnggahanFoto.objects.exists() and not _berkas_unggahan()


def test_unggah_dibatasi_per_jam(client, warga, siklus, foto_moro, settings):
    settings.BATAS_UNGGAH_FOTO_PER_JAM_AKUN = 2
    client.force_login(warga)
    _unggah(client, foto_moro("1"))
    _unggah(client, foto_moro("2"))
    jawab = client.post(reverse("usulan:unggah_foto"), {"foto": foto_moro("3")})
    assert jawab.status_code == 429 and int(jawab["Retry-After"]) > 0
    assert "Terlalu banyak foto" in jawab.json()["pesan"]
    assert UnggahanFoto.objects.count() == 2


def test_kirim_dengan_token_melampirkan_foto_dan_bendera(
    client, warga, siklus, titik_moro, foto_moro, django_capture_on_commit_callbacks
):
    client.force_login(warga)
    jauh = _unggah(client, foto_moro("jauh", lat=titik_moro.y + 0.01))
    dekat = _unggah(client, foto_moro("dekat"))
    berkas_sebelum = _berkas_unggahan()
    assert len(berkas_sebelum) == 6
    with django_capture_on_commit_callbacks(execute=True):
        jawab = client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[jauh["token"], dekat["token"]]))
    usulan = Usulan.objects.get()
    assert jawab.status_code == 302 and jawab["Location"] == reverse("usulan:lacak", args=[usulan.kode_lacak])
    foto = list(usulan.foto.order_by("urutan"))
    assert len(foto) == 2
    # The flags come from the upload's EXIF exactly as from a file sent with the form.
    assert foto[0].bendera_jauh and foto[0].jarak_dari_pin_m > 1000 and not foto[1].bendera_jauh
    assert foto[0].merek_kamera == "TestCam" and foto[0].diambil_pada is not None
    for f in foto:
        assert storages["privat"].exists(f.asli) and storages["default"].exists(f.web)
        assert not f.asli.startswith(FOLDER)
    # Attached: the pending rows and their files are gone.
    assert not UnggahanFoto.objects.exists() and not _berkas_unggahan()


def test_galat_formulir_tidak_menghilangkan_foto(client, warga, siklus, titik_moro, foto_moro):
    client.force_login(warga)
    a = _unggah(client, foto_moro("a"))
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, volume="", unggahan=[a["token"]]))
    assert jawab.status_code == 400
    teks = jawab.content.decode()
    # The error names its field, and the photo is still attached, shown and carried by the form.
    assert "Volume wajib diisi." in teks and "Bidang ini tidak boleh kosong" not in teks
    assert a["url_kecil"] in teks and f'value="{a["token"]}"' in teks
    assert UnggahanFoto.objects.count() == 1 and not Usulan.objects.exists()
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[a["token"]]))
    assert jawab.status_code == 302 and Usulan.objects.get().foto.count() == 1


def test_tanpa_js_berkas_disimpan_sebagai_unggahan_saat_galat(client, warga, siklus, titik_moro, foto_moro):
    """A full-page POST with files and a mistake: the files are kept and shown, not asked for again."""
    client.force_login(warga)
    jawab = client.post(reverse("usulan:buat"), {**_data(titik_moro, alamat=""), "foto": [foto_moro("x")]})
    assert jawab.status_code == 400
    u = UnggahanFoto.objects.get()
    teks = jawab.content.decode()
    assert "Alamat atau patokan wajib diisi." in teks
    assert f'value="{u.token}"' in teks and reverse("usulan:unggahan_kecil", args=[u.token]) in teks
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[str(u.token)]))
    assert jawab.status_code == 302
    assert Usulan.objects.get().foto.get().sha256 == u.sha256
    assert not UnggahanFoto.objects.exists()


def test_kirim_gagal_membiarkan_unggahan_utuh(client, warga, siklus, titik_moro, foto_moro):
    client.force_login(warga)
    a = _unggah(client, foto_moro("a"))
    berkas = _berkas_unggahan()
    # A pin outside Karimun: refused by the service after the form was fine.
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, lat="-6.2", lon="106.8", unggahan=[a["token"]]))
    assert jawab.status_code == 400 and "di luar wilayah" in jawab.content.decode()
    assert not Usulan.objects.exists() and not FotoUsulan.objects.exists()
    assert UnggahanFoto.objects.filter(token=a["token"]).exists() and _berkas_unggahan() == berkas
    # Nothing half-stored in the public or private photo folders either.
    for tempat in ("publik", "privat"):
        folder = Path(settings.MEDIA_ROOT) / tempat / "usulan"
        assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    assert client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[a["token"]])).status_code == 302


def test_token_terpakai_atau_milik_orang_lain_ditolak(
    client, warga, orang_luar, siklus, titik_moro, foto_moro, django_capture_on_commit_callbacks
):
    client.force_login(warga)
    a = _unggah(client, foto_moro("a"))
    lain = Client()
    lain.force_login(orang_luar)
    jawab = lain.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[a["token"]]))
    assert jawab.status_code == 400 and "sudah tidak tersedia" in jawab.content.decode()
    assert not Usulan.objects.exists() and UnggahanFoto.objects.filter(token=a["token"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[a["token"]])).status_code == 302
    # Used once: a second proposal cannot take the same upload.
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, judul="Lagi", unggahan=[a["token"]]))
    assert jawab.status_code == 400 and Usulan.objects.count() == 1
    # Neither can the owner remove someone else's, nor a stranger see it.
    b = _unggah(client, foto_moro("b"))
    assert lain.post(reverse("usulan:hapus_unggahan", args=[b["token"]])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("usulan:hapus_unggahan", args=[b["token"]])).status_code == 200
        assert client.post(reverse("usulan:hapus_unggahan", args=[b["token"]])).status_code == 404
    assert not UnggahanFoto.objects.exists()
    assert not _berkas_unggahan()


def test_token_rusak_jadi_galat_foto(client, warga, siklus, titik_moro):
    client.force_login(warga)
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=["bukan-token"]))
    assert jawab.status_code == 400 and "sudah tidak tersedia" in jawab.content.decode()


def test_json_kunci_idempoten_jawaban_hilang_lalu_ulang(client, warga, siklus, titik_moro, foto_moro):
    """A draft is sent, the server commits, the answer is lost; the phone retries: same proposal, one row."""
    client.force_login(warga)
    kunci = str(uuid.uuid4())
    a = _unggah(client, foto_moro("a"))
    pertama = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, unggahan=[a["token"]], kunci_idempoten=kunci),
        headers={"accept": "application/json"},
    )
    assert pertama.status_code == 200
    kode = pertama.json()["kode_lacak"]
    # The phone never saw that answer: it uploads the photo again (new token) and repeats the submit.
    b = _unggah(client, foto_moro("a"))
    ulang = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, unggahan=[b["token"]], kunci_idempoten=kunci),
        headers={"accept": "application/json"},
    )
    assert ulang.status_code == 200 and ulang.json()["kode_lacak"] == kode
    assert ulang.json()["url"] == reverse("usulan:lacak", args=[kode])
    # The same tokens again (already used) still answer with the proposal, not an error.
    lagi = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, unggahan=[a["token"]], kunci_idempoten=kunci),
        headers={"accept": "application/json"},
    )
    assert lagi.json()["kode_lacak"] == kode
    assert Usulan.objects.count() == 1 and FotoUsulan.objects.count() == 1
    # The retry's spare upload is still pending: the prune command removes it later.
    assert list(UnggahanFoto.objects.values_list("token", flat=True)) == [uuid.UUID(b["token"])]


def test_json_kunci_sama_setelah_jendela_tutup(client, warga, siklus, titik_moro, foto_moro):
    client.force_login(warga)
    kunci = str(uuid.uuid4())
    a = _unggah(client, foto_moro("a"))
    pertama = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, unggahan=[a["token"]], kunci_idempoten=kunci),
        headers={"accept": "application/json"},
    )
    siklus.jadwaltahapan_set.update(selesai=timezone.now() - datetime.timedelta(minutes=1))
    ulang = client.post(
        reverse("usulan:buat"), _data(titik_moro, kunci_idempoten=kunci), headers={"accept": "application/json"}
    )
    assert ulang.status_code == 200 and ulang.json()["kode_lacak"] == pertama.json()["kode_lacak"]
    baru = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, kunci_idempoten=str(uuid.uuid4())),
        headers={"accept": "application/json"},
    )
    assert baru.status_code == 409 and baru.json()["kode"] == "jendela_tertutup"
    assert "sudah ditutup" in baru.json()["pesan"]


def test_json_alasan_ditolak_dan_belum_masuk(client, warga, siklus, titik_moro, foto_moro):
    tamu = Client()
    jawab = tamu.post(reverse("usulan:buat"), _data(titik_moro), headers={"accept": "application/json"})
    assert jawab.status_code == 401 and jawab.json()["kode"] == "belum_masuk"
    client.force_login(warga)
    a = _unggah(client, foto_moro("a"))
    jawab = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, lat="-6.2", lon="106.8", unggahan=[a["token"]]),
        headers={"accept": "application/json"},
    )
    assert jawab.status_code == 400 and jawab.json()["kode"] == "tidak_valid"
    assert "di luar wilayah" in jawab.json()["galat"]["lat"][0]
    hilang = client.post(
        reverse("usulan:buat"),
        _data(titik_moro, unggahan=[str(uuid.uuid4())]),
        headers={"accept": "application/json"},
    )
    assert hilang.status_code == 400 and hilang.json()["kode"] == "unggahan_hilang"


def test_token_csrf_segar(client, warga):
    jawab = Client().get(reverse("usulan:token_csrf"))
    assert jawab.json()["masuk"] is False and len(jawab.json()["csrf"]) >= 32
    assert jawab["Cache-Control"] == "no-store"
    client.force_login(warga)
    assert client.get(reverse("usulan:token_csrf")).json()["masuk"] is True


def test_hapus_unggahan_usang_tanpa_yatim(client, warga, siklus, foto_moro):
    """Old unused uploads go, rows and files; fresh ones stay; stray files without a row go too."""
    client.force_login(warga)
    lama = _unggah(client, foto_moro("lama"))
    baru = _unggah(client, foto_moro("baru"))
    UnggahanFoto.objects.filter(token=lama["token"]).update(dibuat=timezone.now() - datetime.timedelta(hours=25))
    u_lama = UnggahanFoto.objects.get(token=lama["token"])
    berkas_lama = {Path(j).name for j in (u_lama.asli, u_lama.web, u_lama.thumbnail)}
    # A file left by a process killed between the file and its row, two days old.
    yatim = Path(settings.MEDIA_ROOT) / "privat" / FOLDER / "yatim_web.jpg"
    yatim.write_bytes(b"x")
    dua_hari_lalu = time.time() - 48 * 3600
    os.utime(yatim, (dua_hari_lalu, dua_hari_lalu))
    assert len(_berkas_unggahan()) == 7

    keluar = io.StringIO()
    call_command("hapus_unggahan_usang", stdout=keluar)
    assert "1 unggahan dan 4 berkas dihapus." in keluar.getvalue()
    assert list(UnggahanFoto.objects.values_list("token", flat=True)) == [uuid.UUID(baru["token"])]
    sisa = _berkas_unggahan()
    assert len(sisa) == 3 and not sisa & berkas_lama and "yatim_web.jpg" not in sisa

    # --jam 1 leaves an upload of a few minutes alone; a younger limit is refused.
    call_command("hapus_unggahan_usang", "--jam", "1", stdout=io.StringIO())
    assert UnggahanFoto.objects.count() == 1 and len(_berkas_unggahan()) == 3
    UnggahanFoto.objects.update(dibuat=timezone.now() - datetime.timedelta(hours=2))
    call_command("hapus_unggahan_usang", "--jam", "1", stdout=io.StringIO())
    assert not UnggahanFoto.objects.exists() and not _berkas_unggahan()


def test_salinan_diunggah_lebih_dulu_tetap_diberi_bendera(
    client, warga, orang_luar, siklus, titik_moro, django_capture_on_commit_callbacks
):
    """The perceptual hash travels with a pending upload: a WhatsApp-style copy of another proposal's
    photo, uploaded before the form is sent, is still flagged as the same photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.usulan.test_foto_sidik import FOTO, salinan_pillow

    jalur = FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg"
    client.force_login(warga)
    asli = _unggah(client, SimpleUploadedFile("asli.jpg", jalur.read_bytes(), "image/jpeg"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("usulan:buat"), _data(titik_moro, unggahan=[asli["token"]]))
    pertama = Usulan.objects.get(pengguna=warga)
    tetangga = Client()
    tetangga.force_login(orang_luar)
    wa = SimpleUploadedFile("wa.jpg", salinan_pillow(jalur)["1600-q60 (WhatsApp)"], "image/jpeg")
    salinan = _unggah(tetangga, wa)
    assert UnggahanFoto.objects.get(token=salinan["token"]).dhash is not None
    with django_capture_on_commit_callbacks(execute=True):
        tetangga.post(reverse("usulan:buat"), _data(titik_moro, judul="Saluran air", unggahan=[salinan["token"]]))
    foto = Usulan.objects.get(pengguna=orang_luar).foto.get()
    assert foto.sha256 != pertama.foto.get().sha256 and foto.dhash is not None
    assert foto.duplikat_dari == pertama
