/* Offline drafts of the proposal form, kept in IndexedDB and sent when the signal returns.
 * Runs in the page and in the service worker (Background Sync): no DOM here, only IndexedDB and fetch.
 * Each draft's id is its idempotency key: the server answers a repeated key with the proposal it
 * already made, so a draft whose answer was lost is sent again safely and still makes one proposal.
 * A draft record: {id, dibuat, judul, isian: [[name, value]...], foto: [{nama, blob, token}],
 *   url: {buat, unggah, token}, status: menunggu|mengirim|terkirim|ditolak|belum_masuk, pesan, kode_lacak, lacak} */
(function (global) {
  "use strict";
  var NAMA_DB = "musrenbang-draf";
  var TOKO = "draf";

  function buka() {
    return new Promise(function (selesai, gagal) {
      var req = indexedDB.open(NAMA_DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(TOKO, { keyPath: "id" }); };
      req.onsuccess = function () { selesai(req.result); };
      req.onerror = function () { gagal(req.error); };
    });
  }

  function transaksi(mode, kerja) {
    return buka().then(function (db) {
      return new Promise(function (selesai, gagal) {
        var tx = db.transaction(TOKO, mode);
        var hasil = kerja(tx.objectStore(TOKO));
        tx.oncomplete = function () { db.close(); selesai(hasil && "result" in hasil ? hasil.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); gagal(tx.error); };
      });
    });
  }

  function simpan(draf) { return transaksi("readwrite", function (s) { return s.put(draf); }); }
  function ambil(id) { return transaksi("readonly", function (s) { return s.get(id); }); }
  function hapus(id) { return transaksi("readwrite", function (s) { return s.delete(id); }); }
  function semua() {
    return transaksi("readonly", function (s) { return s.getAll(); }).then(function (d) {
      return (d || []).sort(function (a, b) { return a.dibuat - b.dibuat; });
    });
  }
  function kosongkan() {
    return buka().then(function (db) { db.close(); }).then(function () {
      return new Promise(function (selesai) {
        var req = indexedDB.deleteDatabase(NAMA_DB);
        req.onsuccess = req.onerror = req.onblocked = function () { selesai(); };
      });
    });
  }
  function belumTerkirim() {
    return semua().then(function (d) { return d.filter(function (x) { return x.status !== "terkirim"; }); });
  }

  var pemberitahu = [];
  function beritahu(draf) { pemberitahu.forEach(function (f) { try { f(draf); } catch (e) { /* a view */ } }); }
  function ubah(draf, status, lain) {
    draf.status = status;
    Object.keys(lain || {}).forEach(function (k) { draf[k] = lain[k]; });
    return simpan(draf).then(function () { beritahu(draf); return draf; });
  }

  function json(r) { return r.json().catch(function () { return {}; }); }

  /* A request that never ends (a dead link that looks alive) must not hold the sending lock forever. */
  function ambilDalam(url, opsi, ms) {
    if (global.AbortSignal && AbortSignal.timeout) opsi.signal = AbortSignal.timeout(ms);
    return fetch(url, opsi);
  }

  /* Send one draft: a fresh CSRF token, each photo not yet uploaded, then the form with its key. */
  function kirimSatu(draf, ulangFoto) {
    var csrf = "";
    return ambilDalam(draf.url.token, { credentials: "same-origin", cache: "no-store" }, 30000)
      .then(json).then(function (t) {
      if (!t.masuk) throw { status: "belum_masuk" };
      csrf = t.csrf;
      /* "Sending" only once the server answered: offline the draft keeps saying it waits. */
      return ubah(draf, "mengirim", { pesan: "" });
    }).then(function () {
      return draf.foto.reduce(function (janji, f) {
        return janji.then(function () {
          if (f.token) return;
          var fd = new FormData();
          fd.append("foto", f.blob, f.nama);
          return ambilDalam(draf.url.unggah, {
            method: "POST", body: fd, credentials: "same-origin",
            headers: { "X-CSRFToken": csrf, Accept: "application/json" }
          }, 180000).then(function (r) {
            return json(r).then(function (isi) {
              if (r.status === 201) { f.token = isi.token; return simpan(draf); }
              if (r.status === 401) throw { status: "belum_masuk" };
              if (r.status === 400) throw { status: "ditolak", pesan: f.nama + ": " + (isi.pesan || "") };
              throw { status: "menunggu" };
            });
          });
        });
      }, Promise.resolve());
    }).then(function () {
      var fd = new FormData();
      draf.isian.forEach(function (p) { fd.append(p[0], p[1]); });
      draf.foto.forEach(function (f) { fd.append("unggahan", f.token); });
      fd.set("kunci_idempoten", draf.id);
      return ambilDalam(draf.url.buat, {
        method: "POST", body: fd, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" }
      }, 120000);
    }).then(function (r) {
      return json(r).then(function (isi) {
        if (r.ok && isi.kode_lacak) {
          /* Sent: keep the record for its tracking code, drop the photos to free the phone's space. */
          draf.foto = draf.foto.map(function (f) { return { nama: f.nama, token: f.token }; });
          return ubah(draf, "terkirim", { kode_lacak: isi.kode_lacak, lacak: isi.url });
        }
        if (r.status === 401) throw { status: "belum_masuk" };
        if (isi.kode === "unggahan_hilang" && !ulangFoto && draf.foto.every(function (f) { return f.blob; })) {
          /* The uploads expired (pruned after a day): upload the kept copies again, once. */
          draf.foto.forEach(function (f) { f.token = ""; });
          return kirimSatu(draf, true);
        }
        if (r.status === 400 || r.status === 409) throw { status: "ditolak", pesan: isi.pesan || "" };
        throw { status: "menunggu" };
      });
    }).catch(function (e) {
      /* A network failure (TypeError) or a server hiccup: wait for the next chance. */
      var status = e && e.status ? e.status : "menunggu";
      return ubah(draf, status, { pesan: (e && e.pesan) || "" });
    });
  }

  function kirimSemua() {
    if (global.navigator && navigator.onLine === false) return Promise.resolve();
    function kerja() {
      return semua().then(function (daftar) {
        return daftar.filter(function (d) { return d.status === "menunggu" || d.status === "mengirim" || d.status === "belum_masuk"; })
          .reduce(function (j, d) { return j.then(function () { return kirimSatu(d); }); }, Promise.resolve());
      });
    }
    /* One sender at a time across the page and the service worker (the key still guards the server). */
    if (global.navigator && navigator.locks) return navigator.locks.request("musrenbang-kirim-draf", kerja);
    return kerja();
  }

  global.DrafUsulan = {
    simpan: simpan, ambil: ambil, hapus: hapus, semua: semua, kosongkan: kosongkan,
    belumTerkirim: belumTerkirim, kirimSemua: kirimSemua, kirimSatu: kirimSatu,
    dengar: function (f) { pemberitahu.push(f); }
  };
})(self);
