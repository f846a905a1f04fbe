/* e-Musrenbang service worker (rendered by musrenbang/aplikasi.py; version {{ versi }}).
 * Opens residents' pages and their assets without a signal, and sends offline drafts when it returns
 * (Background Sync). Caches nothing else: officials' pages, POSTs and data other than the kabupaten
 * outline always go to the network. Signing out clears these caches (aplikasi/pasang.js). */
"use strict";
importScripts("{{ draf_js }}");

var CACHE = "musrenbang-{{ versi }}";
var ASET = {{ aset_json|safe }};
var HALAMAN = {{ halaman_json|safe }};
var BATAS = {{ batas_json|safe }};
var LACAK = {{ lacak_json|safe }};

function halamanWarga(url) {
  /* The listed pages, and tracking pages of one proposal (public data) once visited. */
  return HALAMAN.indexOf(url.pathname) !== -1 || (url.pathname.indexOf(LACAK) === 0 && url.pathname !== LACAK);
}

/* Pages as the signed-in resident sees them now; a page that redirects (signed out) is skipped. */
function simpanHalaman(c, hanyaYangKurang) {
  return Promise.all(HALAMAN.map(function (u) {
    return (hanyaYangKurang ? c.match(u) : Promise.resolve(null)).then(function (ada) {
      if (ada) return;
      return fetch(u, { credentials: "same-origin" }).then(function (r) {
        if (r.ok && !r.redirected) return c.put(u, r);
      });
    }).catch(function () { /* offline now: kept on the next visit */ });
  }));
}

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return Promise.all([c.addAll(ASET.concat([BATAS])), simpanHalaman(c, false)]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (nama) {
    return Promise.all(nama.filter(function (n) { return n.indexOf("musrenbang-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function dariJaringan(req, kunci) {
  return fetch(req).then(function (r) {
    if (r.ok && !r.redirected && r.type === "basic") {
      var salinan = r.clone();
      caches.open(CACHE).then(function (c) { return c.put(kunci || req, salinan); });
    }
    return r;
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (ASET.indexOf(url.pathname) !== -1) {
    /* Hashed names never change content: the cache answers first. */
    e.respondWith(caches.match(req).then(function (r) { return r || dariJaringan(req); }));
  } else if (url.pathname === BATAS) {
    e.respondWith(dariJaringan(req).catch(function () { return caches.match(req, { ignoreSearch: true }); }));
  } else if (req.mode === "navigate" && halamanWarga(url)) {
    /* The network first (fresh status, fresh CSRF token); the cached copy when there is no signal. */
    var kunci = url.origin + url.pathname;
    e.respondWith(dariJaringan(req, kunci).catch(function () {
      return caches.match(kunci).then(function (r) { return r || caches.match(HALAMAN[0]); });
    }));
  }
});

function beritahuHalaman() {
  return self.clients.matchAll({ type: "window" }).then(function (semua) {
    semua.forEach(function (k) { k.postMessage({ draf: true }); });
  });
}

self.addEventListener("sync", function (e) {
  if (e.tag === "kirim-draf") e.waitUntil(DrafUsulan.kirimSemua().then(beritahuHalaman));
});

self.addEventListener("message", function (e) {
  if (e.data && e.data.simpanHalaman) {
    e.waitUntil(caches.open(CACHE).then(function (c) { return simpanHalaman(c, true); }));
  }
  if (e.data && e.data.hapusCache) {
    e.waitUntil(caches.keys().then(function (nama) {
      return Promise.all(nama.map(function (n) { return caches.delete(n); }));
    }));
  }
});
