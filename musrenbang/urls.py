"""Root URLs. Each app adds its own namespace here as it grows."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve as static_serve

from akun import dua_faktor
from akun import views as akun
from dasbor import urls_data as urls_data_dasbor
from data_terbuka import urls_data
from musrenbang import aplikasi, views

urlpatterns = [
    path("", views.beranda, name="beranda"),
    # The installable app (musrenbang/aplikasi.py): the worker must sit at the root to cover the site.
    path("sw.js", aplikasi.service_worker, name="service_worker"),
    path("manifest.webmanifest", aplikasi.manifest, name="manifest"),
    path("masuk/", akun.masuk, name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # Accounts (akun/views.py): Django's URL names, so its views and templates find each other.
    path("daftar/", akun.daftar, name="daftar"),
    path("kata-sandi/lupa/", akun.lupa_kata_sandi, name="password_reset"),
    path("kata-sandi/lupa/terkirim/", akun.lupa_kata_sandi_terkirim, name="password_reset_done"),
    path("kata-sandi/atur-ulang/<uidb64>/<token>/", akun.atur_ulang_kata_sandi, name="password_reset_confirm"),
    path("kata-sandi/selesai/", akun.atur_ulang_kata_sandi_selesai, name="password_reset_complete"),
    path("akun/kata-sandi/", akun.ganti_kata_sandi, name="password_change"),
    path("akun/kata-sandi/selesai/", akun.ganti_kata_sandi_selesai, name="password_change_done"),
    # Two-factor sign-in (akun/dua_faktor.py); the admin signs in through the page above.
    path("akun/dua-faktor/", dua_faktor.status, name="dua_faktor"),
    path("akun/dua-faktor/daftar/", dua_faktor.daftar, name="dua_faktor_daftar"),
    path("akun/dua-faktor/verifikasi/", dua_faktor.verifikasi, name="dua_faktor_verifikasi"),
    path("akun/dua-faktor/matikan/", dua_faktor.matikan, name="dua_faktor_matikan"),
    path("admin/login/", dua_faktor.masuk_admin),
    # The language switch, which also keeps a signed-in person's choice for their messages.
    path("i18n/setlang/", akun.pilih_bahasa, name="set_language"),
    path("admin/", admin.site.urls),
    path("usulan/", include("usulan.urls")),
    path("verifikasi/", include("verifikasi.urls")),
    path("peta/", include("peta.urls")),
    # One "data" namespace for the public downloads and Bappeda's SIPD workbook (two apps, one path).
    path("data/", include((urls_data.urlpatterns + urls_data_dasbor.urlpatterns, urls_data.app_name))),
    path("open311/v2/", include("data_terbuka.urls_open311")),
    path("dasbor/", include("dasbor.urls")),
]

# Public photo copies (metadata-free). Originals are in another folder and never routed here.
# A front web server may serve MEDIA_ROOT/publik itself at scale; this route keeps a single
# gunicorn deployment complete.
urlpatterns += [
    re_path(
        r"^media/publik/(?P<path>.*)$",
        static_serve,
        {"document_root": settings.MEDIA_ROOT / "publik"},
        name="media_publik",
    ),
]
