/* The public map (/peta/): outlines, clusters or points of the current view from /peta/data/, popups
   fetched on demand, a list that follows the view, filters and view kept in the URL.
   Everything it needs comes from data-* attributes on #peta-publik and the JSON in #label-status-peta. */
(function () {
  "use strict";
  var el = document.getElementById("peta-publik");
  if (!el || typeof L === "undefined" || !window.fetch) return;
  var d = el.dataset;
  var labelStatus = JSON.parse(document.getElementById("label-status-peta").textContent);
  var form = document.getElementById("form-saringan");
  var daftar = document.getElementById("daftar-tampilan");
  var ringkas = document.getElementById("ringkas-tampilan");
  var zoomTitik = parseInt(d.zoomTitik, 10);
  var MAKS_DAFTAR = 25;

  // Status colours come from the legend's CSS, so the stylesheet stays their only source.
  var warna = {};
  Array.prototype.forEach.call(document.querySelectorAll(".legenda [data-status]"), function (s) {
    warna[s.dataset.status] = getComputedStyle(s).backgroundColor;
  });

  var peta = L.map(el, { minZoom: +d.zoomMin, maxZoom: +d.zoomMaks, zoomControl: true });
  if (d.tiles) L.tileLayer(d.tiles, { attribution: d.atribusi || "", maxZoom: 19 }).addTo(peta);
  if (d.z && d.lat && d.lon) {
    peta.setView([+d.lat, +d.lon], +d.z);
  } else if (d.kotak) {
    var k = d.kotak.split(",").map(Number);
    peta.fitBounds([[k[1], k[0]], [k[3], k[2]]]);
  } else {
    peta.setView(d.pusat.split(",").map(Number), +d.zoom);
  }

  var lapisUsulan = L.layerGroup().addTo(peta);
  var kontrolLapis = L.control.layers(null, {}, { collapsed: true }).addTo(peta);
  kontrolLapis.addOverlay(lapisUsulan, d.namaUsulan);

  function teks(pola, n) {
    return pola.replace("{n}", n.toLocaleString(document.documentElement.lang || "id"));
  }

  // --- URL and filters ---------------------------------------------------------------------
  function paramSaringan() {
    var p = new URLSearchParams();
    var status = [];
    new FormData(form).forEach(function (nilai, nama) {
      if (nama === "z" || nama === "lat" || nama === "lon" || nilai === "") return;
      if (nama === "status") status.push(nilai);
      else p.set(nama, nilai);
    });
    if (status.length) p.set("status", status.join(","));
    return p;
  }

  // The open-data links below the map carry the filters (never the view: a download is the whole area).
  var unduhan = document.getElementById("unduh-data");

  function perbaruiUnduhan() {
    if (!unduhan) return;
    var p = paramSaringan();
    // The round shown, when the form has no round choice (a single round): the downloads' own default
    // is the active round only.
    if (!p.has("siklus") && unduhan.dataset.siklus) p.set("siklus", unduhan.dataset.siklus);
    var query = p.toString();
    Array.prototype.forEach.call(unduhan.querySelectorAll("a[data-unduh]"), function (a) {
      a.href = a.dataset.unduh + (query ? "?" + query : "");
    });
  }

  function simpanTampilan() {
    var pusat = peta.getCenter();
    var nilai = { z: String(peta.getZoom()), lat: pusat.lat.toFixed(5), lon: pusat.lng.toFixed(5) };
    var p = paramSaringan();
    Object.keys(nilai).forEach(function (nama) {
      p.set(nama, nilai[nama]);
      form.elements[nama].value = nilai[nama];  // a plain submit keeps the view too
    });
    history.replaceState(null, "", location.pathname + "?" + p.toString());
    perbaruiUnduhan();
  }

  // --- Markers -------------------------------------------------------------------------------
  // A point's popup is bound when its marker is made, so a tap, the list's button and Enter on the
  // focused marker (Leaflet opens a bound popup on keypress) all open the same popup; its content is
  // fetched once, when it first opens.
  function buatTitik(f, latlng) {
    var lapis = L.marker(latlng, {
      icon: L.divIcon({ className: "titik titik--" + f.status, iconSize: [18, 18] }),
      title: f.judul,
      alt: f.judul,
    });
    lapis.kode = f.kode;
    lapis.status = f.status;
    // The padding keeps the opened popup below the zoom and layer buttons, which sit above popups.
    lapis.bindPopup(d.pesanMemuat, { maxWidth: 260, autoPanPaddingTopLeft: [10, 80], autoPanPaddingBottomRight: [10, 10] });
    lapis.on("popupopen", function () {
      if (lapis.dimuat) return;
      lapis.dimuat = true;
      fetch(d.urlPopup.replace("KODE", encodeURIComponent(f.kode)))
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { lapis.setPopupContent(html); })
        .catch(function () { lapis.dimuat = false; lapis.setPopupContent(d.pesanGagal); });
    });
    // A marker kept only because its popup was open leaves with the popup.
    lapis.on("popupclose", function () {
      if (lapis.yatim) { lapisUsulan.removeLayer(lapis); delete penanda[lapis.kode]; }
    });
    return lapis;
  }

  function ikonKlaster(f, urutan) {
    // A ring split by status (conic-gradient through CSSOM: no inline style attribute, CSP-safe).
    var bagian = [], awal = 0;
    f.per_status.forEach(function (n, i) {
      if (!n) return;
      var akhir = awal + (n / f.jumlah) * 360;
      bagian.push(warna[urutan[i]] + " " + awal.toFixed(1) + "deg " + akhir.toFixed(1) + "deg");
      awal = akhir;
    });
    var ukuran = Math.round(28 + Math.min(16, Math.log10(f.jumlah) * 5));
    var cincin = document.createElement("div");
    cincin.className = "klaster";
    cincin.style.background = "conic-gradient(" + bagian.join(",") + ")";
    var angka = document.createElement("span");
    angka.textContent = f.jumlah > 9999 ? Math.round(f.jumlah / 1000) + "k" : String(f.jumlah);
    cincin.appendChild(angka);
    return L.divIcon({ html: cincin, className: "klaster-ikon", iconSize: [ukuran, ukuran] });
  }

  function perbesar(latlng) {
    var z = peta.getZoom() + 2;
    if (z >= zoomTitik - 1) z = Math.max(z, zoomTitik);
    peta.setView(latlng, Math.min(z, peta.getMaxZoom()));
  }

  // Proposals at exactly the same spot (one building, several requests) are spread on a small ring
  // around it, a fixed number of pixels at every zoom, so each can be told apart and tapped.
  function posisiTitik(fitur) {
    var kelompok = {};
    fitur.forEach(function (f) {
      var kunci = f.lat + "," + f.lon;
      (kelompok[kunci] = kelompok[kunci] || []).push(f);
    });
    var posisi = {};
    Object.keys(kelompok).forEach(function (kunci) {
      var anggota = kelompok[kunci];
      var pusat = L.latLng(anggota[0].lat, anggota[0].lon);
      if (anggota.length === 1) { posisi[anggota[0].kode] = pusat; return; }
      var z = peta.getZoom();
      var px = peta.project(pusat, z);
      var jari = Math.min(40, 12 + 3 * anggota.length);
      anggota.forEach(function (f, i) {
        var sudut = (2 * Math.PI * i) / anggota.length - Math.PI / 2;
        posisi[f.kode] = peta.unproject(px.add([jari * Math.cos(sudut), jari * Math.sin(sudut)]), z);
      });
    });
    return posisi;
  }

  var penanda = {};   // proposal code → its marker, kept across reloads while it is in view
  var klaster = [];

  // A reload after a pan or zoom updates the markers by proposal code: a marker still in view stays
  // (with its open popup and keyboard focus), new ones are added, the rest removed, except the marker
  // whose popup is open, which stays until the popup closes.
  function gambar(data) {
    klaster.forEach(function (lapis) { lapisUsulan.removeLayer(lapis); });
    klaster = [];
    var ada = {};
    if (data.jenis === "titik") {
      var posisi = posisiTitik(data.fitur);
      data.fitur.forEach(function (f) {
        ada[f.kode] = true;
        var lapis = penanda[f.kode];
        if (lapis && lapis.status !== f.status) {
          lapis.status = f.status;
          lapis.setIcon(L.divIcon({ className: "titik titik--" + f.status, iconSize: [18, 18] }));
        }
        if (!lapis) {
          lapis = penanda[f.kode] = buatTitik(f, posisi[f.kode]);
          lapisUsulan.addLayer(lapis);
        } else if (!lapis.getLatLng().equals(posisi[f.kode])) {
          lapis.setLatLng(posisi[f.kode]);
        }
        lapis.yatim = false;
      });
    } else {
      data.fitur.forEach(function (f) {
        var lapis = L.marker([f.lat, f.lon], {
          icon: ikonKlaster(f, data.urutan_status),
          title: teks(d.pesanKelompok, f.jumlah),
          alt: teks(d.pesanKelompok, f.jumlah),
        });
        lapis.on("click", function () { perbesar(lapis.getLatLng()); });
        klaster.push(lapisUsulan.addLayer(lapis) && lapis);
      });
    }
    Object.keys(penanda).forEach(function (kode) {
      if (ada[kode]) return;
      var lapis = penanda[kode];
      if (lapis.isPopupOpen()) { lapis.yatim = true; return; }
      lapisUsulan.removeLayer(lapis);
      delete penanda[kode];
    });
    tulisDaftar(data);
  }

  // --- The list beside/below the map ---------------------------------------------------------
  function butir(f) {
    var li = document.createElement("li");
    li.className = "butir-peta";
    var a = document.createElement("a");
    a.href = d.urlLacak.replace("KODE", encodeURIComponent(f.kode));
    a.textContent = f.judul;
    var info = document.createElement("div");
    info.className = "bantuan kode-lacak";
    info.textContent = f.kode;
    var lencana = document.createElement("span");
    lencana.className = "lencana lencana--" + f.status;
    lencana.textContent = labelStatus[f.status] || f.status;
    var tombol = document.createElement("button");
    tombol.type = "button";
    tombol.className = "tautan tunjukkan";
    tombol.textContent = d.pesanTunjukkan;
    tombol.addEventListener("click", function () {
      var lapis = penanda[f.kode];
      if (!lapis) return;
      el.scrollIntoView({ block: "nearest" });
      lapis.openPopup();
    });
    tombol.dataset.kode = f.kode;
    li.append(a, info, lencana, " ", tombol);
    return li;
  }

  // The list is rebuilt on every reload (the popup's own pan causes one): a keyboard user who was on a
  // "Tunjukkan di peta" button stays on that proposal's button.
  function tulisDaftar(data) {
    var fokus = daftar.contains(document.activeElement) ? document.activeElement.dataset.kode : null;
    isiDaftar(data);
    var tombol = fokus && daftar.querySelector('button[data-kode="' + CSS.escape(fokus) + '"]');
    if (tombol) tombol.focus({ preventScroll: true });
  }

  function isiDaftar(data) {
    daftar.textContent = "";
    if (!data.total) {
      ringkas.textContent = d.pesanKosong;
      return;
    }
    ringkas.textContent = teks(d.pesanJumlah, data.total);
    if (data.jenis === "titik") {
      data.fitur.slice(0, MAKS_DAFTAR).forEach(function (f) { daftar.appendChild(butir(f)); });
      if (data.fitur.length > MAKS_DAFTAR) {
        var lain = document.createElement("li");
        lain.className = "bantuan";
        lain.textContent = teks(d.pesanLainnya, data.fitur.length - MAKS_DAFTAR);
        daftar.appendChild(lain);
      }
      return;
    }
    // Clusters: how many of each status are in view, and how to get to single proposals.
    var jumlah = data.urutan_status.map(function () { return 0; });
    data.fitur.forEach(function (f) { f.per_status.forEach(function (n, i) { jumlah[i] += n; }); });
    data.urutan_status.forEach(function (s, i) {
      if (!jumlah[i]) return;
      var li = document.createElement("li");
      li.className = "butir-peta";
      var lencana = document.createElement("span");
      lencana.className = "lencana lencana--" + s;
      lencana.textContent = labelStatus[s] || s;
      li.append(lencana, " " + jumlah[i].toLocaleString(document.documentElement.lang || "id"));
      daftar.appendChild(li);
    });
    var saran = document.createElement("li");
    saran.className = "bantuan";
    saran.textContent = d.pesanPerbesar;
    daftar.appendChild(saran);
  }

  // --- Loading ---------------------------------------------------------------------------------
  var pengendali = null;

  function muat() {
    if (pengendali) pengendali.abort();
    pengendali = window.AbortController ? new AbortController() : null;
    var b = peta.getBounds();
    var p = paramSaringan();
    p.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(6); }).join(","));
    p.set("zoom", String(peta.getZoom()));
    el.setAttribute("aria-busy", "true");
    return fetch(d.urlData + "?" + p.toString(), pengendali ? { signal: pengendali.signal } : {})
      .then(function (r) {
        if (r.ok) return r.json();
        // Too many requests: the server says how long to wait, in the page's language.
        if (r.status === 429) {
          return r.json().then(function (j) { return Promise.reject({ pesan: j && j.galat }); },
                               function () { return Promise.reject(r.status); });
        }
        return Promise.reject(r.status);
      })
      .then(function (data) {
        el.removeAttribute("aria-busy");
        gambar(data);
      })
      .catch(function (galat) {
        if (galat && galat.name === "AbortError") return;
        el.removeAttribute("aria-busy");
        ringkas.textContent = (galat && galat.pesan) || d.pesanGagal;
      });
  }

  function segarkan() {
    simpanTampilan();
    return muat();
  }

  peta.on("moveend", segarkan);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    segarkan();
  });
  form.addEventListener("change", function (e) {
    // Another round changes the whole page (its summary, its first list): load it, keeping the view.
    if (e.target && e.target.name === "siklus") {
      simpanTampilan();
      form.submit();
      return;
    }
    segarkan();
  });

  // Outlines after the proposals (markers first on a slow connection), each a layer one can hide.
  function muatBatas() {
    [["kabkota", d.urlBatasKabkota, d.namaBatasKabkota],
     ["kecamatan", d.urlBatasKecamatan, d.namaBatasKecamatan],
     ["desa", d.urlBatasDesa, d.namaBatasDesa]].forEach(function (t) {
      fetch(t[1])
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (geojson) {
          var lapis = L.geoJSON(geojson, { interactive: false, className: "batas batas--" + t[0] }).addTo(peta);
          lapis.bringToBack();
          kontrolLapis.addOverlay(lapis, t[2]);
        })
        .catch(function () { /* outlines are an aid; the proposals still show */ });
    });
  }

  segarkan().then(muatBatas);
})();
