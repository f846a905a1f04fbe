/* The proposal form: pin on a map, "use my location", the photo's GPS, previews, cost, checks before
 * sending and, on the resident's form (data-url-unggah), photos made small and uploaded one by one as
 * soon as they are chosen, plus offline drafts (draf.js). Everything here is an enhancement: without
 * JavaScript the plain fields and file inputs still work. Texts come translated from data-* attributes. */
(function () {
  "use strict";
  var form = document.getElementById("form-usulan");
  if (!form) return;
  var d = form.dataset;
  var inputLat = document.getElementById("id_lat");
  var inputLon = document.getElementById("id_lon");
  var statusLokasi = document.getElementById("status-lokasi");
  var fotoMaks = parseInt(d.fotoMaks || "5", 10);
  var modeWarga = !!d.urlUnggah;
  form.classList.add("dengan-js");
  function isi(teks, nilai) {
    return teks.replace(/%\((\w+)\)s/g, function (_, k) { return nilai[k]; });
  }

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
      /* Leaflet guesses its icon's folder from its stylesheet, which fails with hashed static names:
       * name the files (also kept by the service worker for offline use). */
      var ikon = d.ikonPin ? L.icon({
        iconUrl: d.ikonPin, iconRetinaUrl: d.ikonPin2x, shadowUrl: d.ikonBayangan,
        iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
      }) : new L.Icon.Default();
      pin = L.marker([lat, lon], { draggable: true, keyboard: true, title: "pin", icon: ikon }).addTo(peta);
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

  /* ---------- The kabupaten's outline, fetched once, for checks before sending ---------- */
  var batas = null;
  var janjiBatas = null;
  function muatBatas() {
    if (!janjiBatas) {
      janjiBatas = fetch(d.urlBatas, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (gj) {
          batas = [];
          ((gj && gj.features) || []).forEach(function (f) {
            var g = f.geometry || {};
            var poli = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
            poli.forEach(function (p) { batas.push(p); });
          });
          if (!batas.length) batas = null;
          return batas;
        })
        .catch(function () { janjiBatas = null; return null; }); /* offline without a copy: the server checks */
    }
    return janjiBatas;
  }
  muatBatas();

  function dalamCincin(cincin, x, y) {
    var dalam = false;
    for (var i = 0, j = cincin.length - 1; i < cincin.length; j = i++) {
      var xi = cincin[i][0], yi = cincin[i][1], xj = cincin[j][0], yj = cincin[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) dalam = !dalam;
    }
    return dalam;
  }
  function jarakM(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, a = Math.sin(((lat2 - lat1) * r) / 2), b = Math.sin(((lon2 - lon1) * r) / 2);
    var h = a * a + Math.cos(lat1 * r) * Math.cos(lat2 * r) * b * b;
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  function jarakKeTepi(cincin, lat, lon) {
    /* Metres to the nearest vertex or edge (flat approximation, fine at a few hundred metres). */
    var kx = 111320 * Math.cos((lat * Math.PI) / 180), ky = 110540, min = Infinity;
    for (var i = 0, j = cincin.length - 1; i < cincin.length; j = i++) {
      var ax = (cincin[j][0] - lon) * kx, ay = (cincin[j][1] - lat) * ky;
      var bx = (cincin[i][0] - lon) * kx, by = (cincin[i][1] - lat) * ky;
      var dx = bx - ax, dy = by - ay, t = dx || dy ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy))) : 0;
      var px = ax + t * dx, py = ay + t * dy;
      min = Math.min(min, Math.sqrt(px * px + py * py));
    }
    return min;
  }
  /* true / false, or null while the outline is unknown (the server decides then). */
  function dalamKabupaten(lat, lon) {
    if (!batas) return null;
    var toleransi = parseFloat(d.toleransiM || "300");
    for (var i = 0; i < batas.length; i++) {
      var p = batas[i];
      var diLubang = p.slice(1).some(function (l) { return dalamCincin(l, lon, lat); });
      if (dalamCincin(p[0], lon, lat) && !diLubang) return true;
    }
    for (var k = 0; k < batas.length; k++) {
      if (jarakKeTepi(batas[k][0], lat, lon) <= toleransi) return true;
    }
    return false;
  }

  /* ---------- Photos ---------- */
  var inputGaleri = document.getElementById("id_foto");
  var inputKamera = document.getElementById("id_foto_kamera");
  var daftarPratinjau = document.getElementById("pratinjau-foto");
  var tombolFoto = document.getElementById("tombol-lokasi-foto");
  var pesanFotoGps = document.getElementById("pesan-foto-gps");
  var gpsFoto = null;

  function formatJarak(m) {
    return m >= 1000 ? (m / 1000).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " km" : Math.round(m) + " m";
  }

  /* A photo's GPS is offered, never applied silently; outside the kabupaten it is only mentioned. */
  function tawarkanGps(g) {
    muatBatas().then(function () {
      var dalam = dalamKabupaten(g[0], g[1]);
      if (dalam === false) {
        pesanFotoGps.textContent = d.pesanFotoLuar;
        return;
      }
      var jarakMaks = parseFloat(d.jarakMaksM || "200");
      var p = pin ? pin.getLatLng() : null;
      var jarak = p ? jarakM(g[0], g[1], p.lat, p.lng) : null;
      if (jarak !== null && jarak <= jarakMaks) return; /* the pin is already where the photo was taken */
      gpsFoto = g;
      tombolFoto.hidden = false;
      pesanFotoGps.textContent = jarak !== null ? isi(d.pesanFotoJauh, { jarak: formatJarak(jarak) }) : "";
    });
  }

  function pakaiGpsFoto() {
    if (!gpsFoto) return;
    statusLokasi.textContent = d.pesanFotoGps;
    pesanFotoGps.textContent = "";
    tombolFoto.hidden = true;
    pasangPin(gpsFoto[0], gpsFoto[1], true);
  }
  tombolFoto.addEventListener("click", pakaiGpsFoto);

  function periksaGpsBerkas(f) {
    f.slice(0, 262144).arrayBuffer().then(function (buf) {
      var g = FotoKecil.gps(buf);
      if (g) tawarkanGps(g);
    }).catch(function () { /* no GPS */ });
  }

  var inputCsrf = form.querySelector("[name=csrfmiddlewaretoken]");
  var csrf = inputCsrf ? inputCsrf.value : "";
  /* A page opened from the offline cache holds a stale CSRF token (signing in again rotates it). */
  function tokenSegar() {
    return fetch(d.urlToken, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (t) { csrf = t.csrf; if (inputCsrf) inputCsrf.value = t.csrf; return t; });
  }
  /* Resident's form: each photo is a list item that makes itself small and uploads itself. */
  var foto = []; /* {li, berkas (small copy), nama, token, status: menyiapkan|mengunggah|selesai|gagal} */

  function jumlahFoto() { return foto.length; }

  function butirFoto(item) {
    var li = document.createElement("li");
    li.className = "foto-unggah";
    var img = document.createElement("img");
    img.alt = item.nama;
    img.width = 104; img.height = 104;
    li.appendChild(img);
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", d.pesanMengunggah + " " + item.nama);
    li.appendChild(bar);
    var status = document.createElement("span");
    status.className = "foto-unggah__status";
    li.appendChild(status);
    var ulang = document.createElement("button");
    ulang.type = "button"; ulang.className = "tombol tombol--kecil"; ulang.hidden = true;
    ulang.textContent = d.pesanUlangi;
    ulang.addEventListener("click", function () { unggah(item); });
    li.appendChild(ulang);
    var hapus = document.createElement("button");
    hapus.type = "button"; hapus.className = "tombol tombol--kecil tombol--sekunder";
    hapus.textContent = d.pesanHapus;
    hapus.setAttribute("aria-label", d.pesanHapus + " " + item.nama);
    hapus.addEventListener("click", function () { buang(item); });
    li.appendChild(hapus);
    item.li = li; item.img = img; item.bar = bar; item.statusEl = status; item.ulang = ulang;
    daftarPratinjau.appendChild(li);
  }

  function tandai(item, status, teks) {
    item.status = status;
    item.li.className = "foto-unggah foto-unggah--" + status;
    item.statusEl.textContent = teks || "";
    item.bar.hidden = status !== "mengunggah";
    item.ulang.hidden = status !== "gagal";
    var tersembunyi = item.li.querySelector("input[name=unggahan]");
    if (status === "selesai" && item.token && !tersembunyi) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "unggahan"; input.value = item.token;
      item.li.appendChild(input);
    }
  }

  function unggah(item) {
    if (!navigator.onLine) { tandai(item, "gagal", d.pesanUnggahGagal); return; }
    tandai(item, "mengunggah", d.pesanMengunggah);
    var fd = new FormData();
    fd.append("foto", item.berkas, item.berkas.name || item.nama);
    var xhr = new XMLHttpRequest();
    item.xhr = xhr;
    xhr.open("POST", d.urlUnggah);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        item.bar.value = Math.round((ev.loaded / ev.total) * 100);
        item.statusEl.textContent = d.pesanMengunggah + " " + item.bar.value + "%";
      }
    });
    xhr.addEventListener("load", function () {
      var isiJawab = {};
      try { isiJawab = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 403 && !item.csrfBaru) {
        item.csrfBaru = true;
        tokenSegar().then(function () { unggah(item); }, function () { tandai(item, "gagal", d.pesanUnggahGagal); });
        return;
      }
      if (xhr.status === 201) {
        item.token = isiJawab.token;
        tandai(item, "selesai", d.pesanTerunggah);
      } else if (xhr.status === 400) {
        tandai(item, "ditolak", item.nama + ": " + (isiJawab.pesan || ""));
        item.li.classList.add("isian--galat");
      } else {
        tandai(item, "gagal", isiJawab.pesan || d.pesanUnggahGagal);
      }
    });
    xhr.addEventListener("error", function () { tandai(item, "gagal", d.pesanUnggahGagal); });
    xhr.send(fd);
  }

  function buang(item) {
    if (item.xhr && item.status === "mengunggah") item.xhr.abort();
    if (item.token) {
      fetch(d.urlUnggah + item.token + "/hapus/", {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf, Accept: "application/json" }
      }).catch(function () { /* pruned later */ });
    }
    item.li.remove();
    foto.splice(foto.indexOf(item), 1);
  }

  function tambahBerkas(files) {
    Array.prototype.forEach.call(files, function (f) {
      if (jumlahFoto() >= fotoMaks) { alert(d.pesanTerlaluBanyak); return; }
      var item = { nama: f.name, asli: f, status: "menyiapkan" };
      foto.push(item);
      butirFoto(item);
      tandai(item, "menyiapkan", d.pesanMengecilkan);
      periksaGpsBerkas(f);
      /* The chosen photo at once (browsers apply the EXIF orientation to <img>), then its small copy. */
      var urlAsli = URL.createObjectURL(f);
      item.img.src = urlAsli;
      item.img.onerror = function () { item.img.replaceWith(document.createTextNode(f.name)); };
      FotoKecil.kecilkan(f).then(function (kecil) {
        item.berkas = kecil;
        if (kecil !== f) {
          item.img.src = URL.createObjectURL(kecil);
          URL.revokeObjectURL(urlAsli);
        }
        unggah(item);
      });
    });
  }

  if (modeWarga) {
    /* The photos the server already holds (a refused form): keep them, with a remove button. */
    Array.prototype.forEach.call(daftarPratinjau.querySelectorAll("li[data-token]"), function (li) {
      var item = { li: li, nama: (li.querySelector("img") || {}).alt || "", token: li.dataset.token, status: "selesai" };
      var hapus = document.createElement("button");
      hapus.type = "button"; hapus.className = "tombol tombol--kecil tombol--sekunder";
      hapus.textContent = d.pesanHapus;
      hapus.addEventListener("click", function () { buang(item); });
      li.appendChild(hapus);
      foto.push(item);
      if (li.dataset.lat) tawarkanGps([parseFloat(li.dataset.lat), parseFloat(li.dataset.lon)]);
    });
    [inputGaleri, inputKamera].forEach(function (input) {
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files);
        input.value = ""; /* the files go up on their own: the form must not send them again */
        tambahBerkas(files);
      });
    });
  } else {
    /* Officials' forms (revise, record on behalf): one list from camera and gallery, sent with the form. */
    var berkas = [];
    var bisaGabung = typeof DataTransfer !== "undefined";
    var segarkan = function () {
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
        img.src = URL.createObjectURL(f);
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
      gpsFoto = null;
      tombolFoto.hidden = true;
      berkas.forEach(periksaGpsBerkas);
    };
    var tambah = function (files) {
      for (var i = 0; i < files.length; i++) {
        if (berkas.length >= fotoMaks) { alert(d.pesanTerlaluBanyak); break; }
        berkas.push(files[i]);
      }
      segarkan();
    };
    inputGaleri.addEventListener("change", function (e) {
      if (!bisaGabung) return;
      var baru = Array.prototype.slice.call(e.target.files);
      berkas = berkas.filter(function (f) { return baru.indexOf(f) === -1; });
      tambah(baru);
    });
    inputKamera.addEventListener("change", function (e) { if (bisaGabung) tambah(e.target.files); });
    jumlahFoto = function () { return berkas.length; };
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

  /* ---------- Checks before anything is sent ---------- */
  var ringkasanKlien = document.getElementById("ringkasan-galat-klien");
  var WAJIB = ["judul", "permasalahan", "uraian", "alamat", "bidang", "volume", "jenis_pengusul"];
  if (document.getElementById("id_nama_pengusul") && document.getElementById("id_nama_pengusul").required) {
    WAJIB.push("nama_pengusul");
  }

  function labelIsian(el) {
    var label = form.querySelector("label[for='" + el.id + "']");
    return label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : el.name;
  }

  function bersihkanGalatKlien() {
    Array.prototype.forEach.call(form.querySelectorAll(".galat--klien"), function (p) {
      var isian = p.closest(".isian");
      p.remove();
      if (isian && !isian.querySelector(".galat")) isian.classList.remove("isian--galat");
    });
    ringkasanKlien.hidden = true;
    ringkasanKlien.innerHTML = "";
  }

  function tandaiGalat(el, pesan, daftar) {
    var isian = el.closest(".isian") || el.parentNode;
    var p = document.createElement("p");
    p.className = "galat galat--klien";
    p.id = el.id + "_galat_klien";
    p.textContent = pesan;
    isian.appendChild(p);
    isian.classList.add("isian--galat");
    el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + p.id).trim());
    daftar.push({ el: el, pesan: pesan });
  }

  function periksa() {
    bersihkanGalatKlien();
    var galat = [];
    WAJIB.forEach(function (nama) {
      var el = form.elements[nama];
      if (el && !String(el.value || "").trim()) tandaiGalat(el, isi(d.pesanWajib, { isian: labelIsian(el) }), galat);
    });
    var vol = inputVolume.value.trim();
    if (vol) {
      var angkaVol = Number(vol.replace(",", "."));
      if (!isFinite(angkaVol)) tandaiGalat(inputVolume, isi(d.pesanAngka, { isian: labelIsian(inputVolume) }), galat);
      else if (angkaVol <= 0) tandaiGalat(inputVolume, d.pesanVolumePositif, galat);
    }
    if (!pilihKamus.value && !inputSatuan.value.trim()) {
      tandaiGalat(inputSatuan, isi(d.pesanWajib, { isian: labelIsian(inputSatuan) }), galat);
    }
    var lat = inputLat.value.trim(), lon = inputLon.value.trim();
    [[inputLat, lat], [inputLon, lon]].forEach(function (p) {
      if (p[1] && !isFinite(Number(p[1]))) tandaiGalat(p[0], isi(d.pesanAngka, { isian: labelIsian(p[0]) }), galat);
    });
    if (!lat || !lon) {
      if (modeWarga) tandaiGalat(inputLat, d.pesanLokasiWajib, galat);
    } else if (isFinite(Number(lat)) && isFinite(Number(lon)) && dalamKabupaten(Number(lat), Number(lon)) === false) {
      tandaiGalat(inputLat, d.pesanPinLuar, galat);
    }
    if (modeWarga) {
      if (!foto.length) tandaiGalat(inputGaleri, d.pesanFotoWajib, galat);
      else if (foto.some(function (f) { return f.status === "ditolak"; })) {
        tandaiGalat(inputGaleri, foto.filter(function (f) { return f.status === "ditolak"; })
          .map(function (f) { return f.statusEl.textContent; }).join(" "), galat);
      }
    }
    if (galat.length) {
      var judul = document.createElement("p");
      var kuat = document.createElement("strong");
      kuat.textContent = d.pesanRingkasan;
      judul.appendChild(kuat);
      var ul = document.createElement("ul");
      galat.forEach(function (g) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "#" + g.el.id;
        a.textContent = g.pesan;
        li.appendChild(a);
        ul.appendChild(li);
      });
      ringkasanKlien.appendChild(judul);
      ringkasanKlien.appendChild(ul);
      ringkasanKlien.hidden = false;
      fokusGalat(ringkasanKlien, galat[0].el);
    }
    return galat.length === 0;
  }

  /* Focus the first field in error, then bring the summary into view (it lists every error). */
  function fokusGalat(ringkasan, el) {
    if (el) {
      if (el.type === "file") el = document.getElementById("tombol-galeri") || el;
      if (!el.hasAttribute("tabindex") && el.tagName === "LABEL") el.setAttribute("tabindex", "-1");
      el.focus({ preventScroll: true });
    }
    ringkasan.scrollIntoView({ block: "start" });
  }

  var ringkasanServer = document.getElementById("ringkasan-galat");
  if (ringkasanServer) {
    var pertama = form.querySelector(".isian--galat input:not([type=hidden]), .isian--galat select, .isian--galat textarea");
    fokusGalat(ringkasanServer, pertama);
  }

  /* ---------- Sending ---------- */
  var kemajuan = document.getElementById("kemajuan-unggah");
  var statusKirim = document.getElementById("status-kirim");
  var tombolKirim = document.getElementById("tombol-kirim");
  var inputKunci = document.getElementById("id_kunci_idempoten");

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  /* One key per filled-in form: a double tap or a retry after a lost answer makes one proposal. */
  if (modeWarga && inputKunci && !inputKunci.value) inputKunci.value = uuid();

  function tampilkanJawaban(html, url) {
    document.open();
    document.write(html);
    document.close();
    if (url && url !== window.location.href) history.replaceState(null, "", url);
  }

  form.addEventListener("submit", function (e) {
    if (!periksa()) { e.preventDefault(); return; }
    if (!window.fetch || !window.FormData) return;
    e.preventDefault();
    if (modeWarga && foto.some(function (f) { return f.status !== "selesai"; })) {
      if (!navigator.onLine) { simpanDraf(d.pesanOffline); return; }
      statusKirim.textContent = d.pesanTungguUnggah;
      return;
    }
    if (modeWarga && !navigator.onLine) { simpanDraf(d.pesanOffline); return; }
    var data = new FormData(form);
    if (!modeWarga) {
      /* Officials' forms still carry their files: show the upload's progress. */
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
      xhr.addEventListener("load", function () { tampilkanJawaban(xhr.responseText, xhr.responseURL); });
      xhr.addEventListener("error", function () {
        tombolKirim.disabled = false;
        kemajuan.hidden = true;
        statusKirim.textContent = d.pesanGagalKirim;
      });
      xhr.send(data);
      return;
    }
    tombolKirim.disabled = true;
    statusKirim.textContent = d.pesanMengirim;
    var kirim = function () {
      return fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin" });
    };
    kirim()
      .then(function (r) {
        if (r.status !== 403) return r;
        return tokenSegar().then(function () { data.set("csrfmiddlewaretoken", csrf); return kirim(); });
      })
      .then(function (r) { return r.text().then(function (html) { tampilkanJawaban(html, r.url); }); })
      .catch(function () {
        /* The signal dropped while sending: keep it as a draft, sent (once, thanks to its key) later. */
        tombolKirim.disabled = false;
        simpanDraf(d.pesanOffline);
      });
  });

  /* ---------- Offline drafts (resident's form only) ---------- */
  var tombolDraf = document.getElementById("tombol-draf");
  var kotakDraf = document.getElementById("daftar-draf");
  var isiDraf = document.getElementById("isi-draf");
  if (!modeWarga || !window.DrafUsulan || !window.indexedDB) return;
  tombolDraf.hidden = false;

  function simpanDraf(pesan) {
    var isian = [];
    new FormData(form).forEach(function (nilai, nama) {
      if (typeof nilai !== "string" || nama === "csrfmiddlewaretoken" || nama === "unggahan" || nama === "kunci_idempoten") return;
      isian.push([nama, nilai]);
    });
    var draf = {
      id: inputKunci.value || uuid(),
      dibuat: Date.now(),
      judul: inputJudul.value.trim(),
      isian: isian,
      foto: foto.filter(function (f) { return f.berkas || f.token; }).map(function (f) {
        return { nama: (f.berkas && f.berkas.name) || f.nama, blob: f.berkas || null, token: f.token || "" };
      }),
      url: { buat: form.action || window.location.pathname, unggah: d.urlUnggah, token: d.urlToken },
      status: "menunggu"
    };
    return DrafUsulan.simpan(draf).then(function () {
      statusKirim.textContent = pesan && pesan !== d.pesanDrafTersimpan ? pesan : d.pesanDrafTersimpan;
      /* A fresh form for the next proposal; the draft waits on its own. */
      form.reset();
      foto.slice().forEach(function (f) { f.li.remove(); });
      foto.length = 0;
      if (pin) { peta.removeLayer(pin); pin = null; }
      inputKunci.value = uuid();
      tampilkanDraf();
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) return reg.sync.register("kirim-draf");
        }).catch(function () { /* no Background Sync: the online event and the next visit send it */ });
      }
      if (navigator.onLine) DrafUsulan.kirimSemua().then(tampilkanDraf);
    });
  }
  tombolDraf.addEventListener("click", function () { simpanDraf(d.pesanDrafTersimpan); });

  function teksStatus(x) {
    if (x.status === "terkirim") return d.pesanDrafTerkirim + " " + x.kode_lacak;
    if (x.status === "mengirim") return d.pesanDrafMengirim;
    if (x.status === "ditolak") return d.pesanDrafDitolak + " " + (x.pesan || "");
    if (x.status === "belum_masuk") return d.pesanDrafBelumMasuk;
    return d.pesanDrafMenunggu;
  }

  function tampilkanDraf() {
    return DrafUsulan.semua().then(function (daftar) {
      kotakDraf.hidden = !daftar.length;
      isiDraf.innerHTML = "";
      daftar.forEach(function (x) {
        var li = document.createElement("li");
        li.className = "draf__butir draf__butir--" + x.status;
        li.dataset.status = x.status;
        var judul = document.createElement("strong");
        judul.textContent = x.judul || d.pesanDrafTanpaJudul;
        li.appendChild(judul);
        var status = document.createElement("p");
        status.className = "draf__status";
        status.textContent = teksStatus(x);
        li.appendChild(status);
        if (x.status === "terkirim" && x.lacak) {
          var a = document.createElement("a");
          a.href = x.lacak; a.textContent = x.kode_lacak; a.className = "kode-lacak";
          status.textContent = d.pesanDrafTerkirim + " ";
          status.appendChild(a);
        }
        if (x.status === "ditolak" || x.status === "menunggu") {
          var buka = document.createElement("button");
          buka.type = "button"; buka.className = "tombol tombol--kecil";
          buka.textContent = d.pesanDrafPerbaiki;
          buka.addEventListener("click", function () { bukaDraf(x); });
          li.appendChild(buka);
        }
        if (x.status !== "mengirim") {
          var hapus = document.createElement("button");
          hapus.type = "button"; hapus.className = "tombol tombol--kecil tombol--sekunder";
          hapus.textContent = d.pesanDrafHapus;
          hapus.addEventListener("click", function () { DrafUsulan.hapus(x.id).then(tampilkanDraf); });
          li.appendChild(hapus);
        }
        isiDraf.appendChild(li);
      });
    });
  }
  /* Back into the form to fix what was refused (e.g. a pin outside the kabupaten); same key, so it
   * still makes at most one proposal. */
  function bukaDraf(x) {
    form.reset();
    x.isian.forEach(function (p) {
      var el = form.elements[p[0]];
      if (!el || el.type === "file") return;
      if (el.type === "checkbox") el.checked = true;
      else el.value = p[1];
    });
    inputKunci.value = x.id;
    foto.slice().forEach(function (f) { f.li.remove(); });
    foto.length = 0;
    var berkasDraf = x.foto.filter(function (f) { return f.blob; }).map(function (f) {
      return new File([f.blob], f.nama, { type: f.blob.type || "image/jpeg" });
    });
    tambahBerkas(berkasDraf);
    dariIsian();
    hitungBiaya();
    DrafUsulan.hapus(x.id).then(tampilkanDraf);
    form.scrollIntoView({ block: "start" });
  }
  DrafUsulan.dengar(function () { tampilkanDraf(); });
  if (navigator.serviceWorker) {
    /* The service worker sent a draft in the background. */
    navigator.serviceWorker.addEventListener("message", function (e) {
      if (e.data && e.data.draf) tampilkanDraf();
    });
  }
  function kirimBilaAdaSinyal() {
    if (navigator.onLine) DrafUsulan.kirimSemua().then(tampilkanDraf, tampilkanDraf);
  }
  window.addEventListener("online", kirimBilaAdaSinyal);
  tampilkanDraf().then(kirimBilaAdaSinyal);
})();
