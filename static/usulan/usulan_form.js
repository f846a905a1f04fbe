/* The proposal form: pin on a map, "use my location", the photo's GPS, previews, cost and upload
 * progress. Everything here is an enhancement: without JavaScript the plain fields still work.
 * Texts come translated from the template's data-* attributes. */
(function () {
  "use strict";
  var form = document.getElementById("form-usulan");
  if (!form) return;
  var d = form.dataset;
  var inputLat = document.getElementById("id_lat");
  var inputLon = document.getElementById("id_lon");
  var statusLokasi = document.getElementById("status-lokasi");
  var fotoMaks = parseInt(d.fotoMaks || "5", 10);

  /* ---------- Map and pin ---------- */
  var pusat = (d.pusat || "0.8,103.45").split(",").map(Number);
  var peta = L.map("peta-usulan", { scrollWheelZoom: false }).setView(pusat, parseInt(d.zoom || "10", 10));
  if (d.tiles) {
    L.tileLayer(d.tiles, { attribution: d.atribusi || "", maxZoom: 19 }).addTo(peta);
  }
  var pin = null;

  function angka(x) { return Math.round(x * 1e6) / 1e6; }

  function pasangPin(lat, lon, geser) {
    if (!pin) {
      pin = L.marker([lat, lon], { draggable: true, keyboard: true, title: "pin" }).addTo(peta);
      pin.on("dragend", function () {
        var p = pin.getLatLng();
        isiKoordinat(p.lat, p.lng);
      });
    } else {
      pin.setLatLng([lat, lon]);
    }
    if (geser) peta.setView([lat, lon], Math.max(peta.getZoom(), 16));
    isiKoordinat(lat, lon);
  }

  function isiKoordinat(lat, lon) {
    inputLat.value = angka(lat);
    inputLon.value = angka(lon);
    cariSerupa();
  }

  peta.on("click", function (e) { pasangPin(e.latlng.lat, e.latlng.lng, false); });

  function dariIsian() {
    var lat = parseFloat(inputLat.value), lon = parseFloat(inputLon.value);
    if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      pasangPin(lat, lon, true);
    }
  }
  inputLat.addEventListener("change", dariIsian);
  inputLon.addEventListener("change", dariIsian);
  if (inputLat.value && inputLon.value) dariIsian();

  /* ---------- Use my location ---------- */
  var tombolSaya = document.getElementById("tombol-lokasi-saya");
  if (navigator.geolocation) {
    tombolSaya.hidden = false;
    tombolSaya.addEventListener("click", function () {
      tombolSaya.disabled = true;
      statusLokasi.textContent = d.pesanMencari;
      navigator.geolocation.getCurrentPosition(function (pos) {
        tombolSaya.disabled = false;
        statusLokasi.textContent = d.pesanDitemukan;
        pasangPin(pos.coords.latitude, pos.coords.longitude, true);
      }, function (err) {
        tombolSaya.disabled = false;
        statusLokasi.textContent = err.code === 1 ? d.pesanDitolak : d.pesanGagal;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  /* ---------- Photos: one list from camera and gallery, previews, GPS from EXIF ---------- */
  var inputGaleri = document.getElementById("id_foto");
  var inputKamera = document.getElementById("id_foto_kamera");
  var daftarPratinjau = document.getElementById("pratinjau-foto");
  var tombolFoto = document.getElementById("tombol-lokasi-foto");
  var berkas = [];
  var gpsFoto = null;
  var bisaGabung = typeof DataTransfer !== "undefined";

  function tambah(files) {
    for (var i = 0; i < files.length; i++) {
      if (berkas.length >= fotoMaks) { alert(d.pesanTerlaluBanyak); break; }
      berkas.push(files[i]);
    }
    segarkan();
  }

  function segarkan() {
    if (bisaGabung) {
      var dt = new DataTransfer();
      berkas.forEach(function (f) { dt.items.add(f); });
      inputGaleri.files = dt.files;
      inputKamera.value = "";
    }
    daftarPratinjau.innerHTML = "";
    berkas.forEach(function (f, i) {
      var li = document.createElement("li");
      var img = document.createElement("img");
      img.alt = f.name;
      img.src = URL.createObjectURL(f); /* browsers apply the EXIF orientation to <img> */
      img.onerror = function () { img.replaceWith(document.createTextNode(f.name)); };
      li.appendChild(img);
      if (bisaGabung) {
        var hapus = document.createElement("button");
        hapus.type = "button";
        hapus.className = "tombol tombol--kecil";
        hapus.textContent = d.pesanHapus;
        hapus.setAttribute("aria-label", d.pesanHapus + " " + f.name);
        hapus.addEventListener("click", function () { berkas.splice(i, 1); segarkan(); });
        li.appendChild(hapus);
      }
      daftarPratinjau.appendChild(li);
    });
    periksaGps();
  }

  function ganti(e) {
    if (!bisaGabung) return; /* old browsers: each input submits its own files */
    tambah(e.target.files);
  }
  inputGaleri.addEventListener("change", function (e) {
    /* Setting .files below fires no event; a user's choice replaces the input's list, so rebuild. */
    var baru = Array.prototype.slice.call(e.target.files);
    var lama = berkas.filter(function (f) { return baru.indexOf(f) === -1; });
    berkas = lama;
    tambah(baru);
  });
  inputKamera.addEventListener("change", ganti);

  function periksaGps() {
    gpsFoto = null;
    tombolFoto.hidden = true;
    var jpeg = berkas.filter(function (f) { return /jpe?g$/i.test(f.type) || /\.jpe?g$/i.test(f.name); });
    (function coba(i) {
      if (i >= jpeg.length) return;
      jpeg[i].slice(0, 262144).arrayBuffer().then(function (buf) {
        var g = bacaGpsJpeg(new DataView(buf));
        if (g) {
          gpsFoto = g;
          tombolFoto.hidden = false;
          if (!pin) pakaiGpsFoto();
        } else {
          coba(i + 1);
        }
      }).catch(function () { coba(i + 1); });
    })(0);
  }

  function pakaiGpsFoto() {
    if (!gpsFoto) return;
    statusLokasi.textContent = d.pesanFotoGps;
    pasangPin(gpsFoto[0], gpsFoto[1], true);
  }
  tombolFoto.addEventListener("click", pakaiGpsFoto);

  /* A small EXIF reader: GPS latitude/longitude from a JPEG's APP1 segment, or null. */
  function bacaGpsJpeg(v) {
    try {
      if (v.getUint16(0) !== 0xffd8) return null;
      var o = 2;
      while (o + 4 < v.byteLength) {
        var penanda = v.getUint16(o), panjang = v.getUint16(o + 2);
        if (penanda === 0xffe1 && v.getUint32(o + 4) === 0x45786966) return bacaTiff(v, o + 10);
        if ((penanda & 0xff00) !== 0xff00) return null;
        o += 2 + panjang;
      }
    } catch (e) { return null; }
    return null;
  }

  function bacaTiff(v, t) {
    var le = v.getUint16(t) === 0x4949;
    function u16(p) { return v.getUint16(t + p, le); }
    function u32(p) { return v.getUint32(t + p, le); }
    function tag(ifd, cari) {
      var n = u16(ifd);
      for (var i = 0; i < n; i++) {
        var e = ifd + 2 + i * 12;
        if (u16(e) === cari) return e;
      }
      return -1;
    }
    var ifd0 = u32(4);
    var eGps = tag(ifd0, 0x8825);
    if (eGps < 0) return null;
    var gps = u32(eGps + 8);
    function ref(kode) {
      var e = tag(gps, kode);
      return e < 0 ? "" : String.fromCharCode(v.getUint8(t + e + 8));
    }
    function dms(kode) {
      var e = tag(gps, kode);
      if (e < 0) return NaN;
      var p = u32(e + 8), nilai = 0, bagi = [1, 60, 3600];
      for (var i = 0; i < 3; i++) {
        var a = u32(p + i * 8), b = u32(p + i * 8 + 4);
        if (b === 0) return NaN;
        nilai += a / b / bagi[i];
      }
      return nilai;
    }
    var lr = ref(1), lat = dms(2), br = ref(3), lon = dms(4);
    if (!lr || !br || !isFinite(lat) || !isFinite(lon) || (lat === 0 && lon === 0)) return null;
    if (lr === "S") lat = -lat;
    if (br === "W") lon = -lon;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return [lat, lon];
  }

  /* ---------- Catalogue item: unit and estimated cost as the resident types ---------- */
  var pilihKamus = document.getElementById("id_kamus");
  var inputVolume = document.getElementById("id_volume");
  var inputSatuan = document.getElementById("id_satuan");
  var pilihBidang = document.getElementById("id_bidang");
  var kotakBiaya = document.getElementById("perkiraan-biaya");
  var nilaiBiaya = document.getElementById("nilai-biaya");
  var rupiah = new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0 });

  function hitungBiaya() {
    var opsi = pilihKamus.options[pilihKamus.selectedIndex];
    var harga = opsi && opsi.dataset.harga ? parseFloat(opsi.dataset.harga) : NaN;
    if (opsi && opsi.dataset.satuan) {
      inputSatuan.value = opsi.dataset.satuan;
      inputSatuan.readOnly = true;
    } else {
      inputSatuan.readOnly = false;
    }
    var volume = parseFloat((inputVolume.value || "").replace(",", "."));
    if (isFinite(harga) && isFinite(volume) && volume > 0) {
      kotakBiaya.hidden = false;
      nilaiBiaya.textContent = rupiah.format(Math.round(harga * volume));
    } else {
      kotakBiaya.hidden = true;
    }
  }
  pilihKamus.addEventListener("change", function () {
    var opsi = pilihKamus.options[pilihKamus.selectedIndex];
    if (opsi && opsi.dataset.bidang && !pilihBidang.value) pilihBidang.value = opsi.dataset.bidang;
    hitungBiaya();
  });
  inputVolume.addEventListener("input", hitungBiaya);
  hitungBiaya();

  /* ---------- Duplicate hints near the pin ---------- */
  var kotakSerupa = document.getElementById("usulan-serupa");
  var inputJudul = document.getElementById("id_judul");
  var tundaSerupa = null;
  function cariSerupa() {
    clearTimeout(tundaSerupa);
    tundaSerupa = setTimeout(function () {
      if (!inputLat.value || !inputLon.value) return;
      var q = new URLSearchParams({ lat: inputLat.value, lon: inputLon.value, judul: inputJudul.value });
      fetch(d.urlSerupa + "?" + q.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { kotakSerupa.innerHTML = html; })
        .catch(function () { /* hints are optional */ });
    }, 500);
  }
  inputJudul.addEventListener("change", cariSerupa);

  /* ---------- Submit with visible upload progress ---------- */
  var kemajuan = document.getElementById("kemajuan-unggah");
  var statusKirim = document.getElementById("status-kirim");
  var tombolKirim = document.getElementById("tombol-kirim");
  form.addEventListener("submit", function (e) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    e.preventDefault();
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    tombolKirim.disabled = true;
    kemajuan.hidden = false;
    statusKirim.textContent = d.pesanMengunggah;
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        kemajuan.value = Math.round((ev.loaded / ev.total) * 100);
        statusKirim.textContent = d.pesanMengunggah + " " + kemajuan.value + "%";
      }
    });
    xhr.addEventListener("load", function () {
      /* Show the page the server answered with (the tracking page, or the form with messages). */
      var tujuan = xhr.responseURL || window.location.href;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (tujuan !== window.location.href) history.replaceState(null, "", tujuan);
    });
    xhr.addEventListener("error", function () {
      tombolKirim.disabled = false;
      kemajuan.hidden = true;
      statusKirim.textContent = d.pesanGagalKirim;
    });
    xhr.send(data);
  });
})();
