/* Registers the service worker (offline pages and drafts) and guards signing out: a shared family
 * phone must not keep one person's unsent drafts and cached pages for the next. Texts and URLs come
 * from this script tag's data-* attributes (translated in base.html). */
(function () {
  "use strict";
  var skrip = document.currentScript;
  if (!skrip) return;
  var d = skrip.dataset;
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(d.urlSw, { scope: "/" }).catch(function () { /* the site works without */ });
    if (d.masuk) {
      /* Signed in: let the worker keep the resident's pages (it may have installed before signing in). */
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active) reg.active.postMessage({ simpanHalaman: true });
      });
    }
  }

  /* "The next visit": drafts left waiting (or waiting for a sign-in) go as soon as any page opens online. */
  if (window.DrafUsulan && window.indexedDB && navigator.onLine && !document.getElementById("form-usulan")) {
    DrafUsulan.belumTerkirim().then(function (daftar) {
      if (daftar.some(function (x) { return x.url && x.url.buat; })) DrafUsulan.kirimSemua();
    }).catch(function () { /* no drafts store yet */ });
  }

  function bersihkan() {
    var kerja = [];
    if (window.DrafUsulan && window.indexedDB) kerja.push(DrafUsulan.kosongkan());
    if (window.caches) {
      kerja.push(caches.keys().then(function (nama) {
        return Promise.all(nama.map(function (n) { return caches.delete(n); }));
      }));
    }
    return Promise.all(kerja).catch(function () { /* sign out anyway */ });
  }

  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f || f.getAttribute("action") !== d.urlKeluar) return;
    e.preventDefault();
    var belum = window.DrafUsulan && window.indexedDB ? DrafUsulan.belumTerkirim() : Promise.resolve([]);
    belum.catch(function () { return []; }).then(function (daftar) {
      if (daftar.length && !window.confirm(d.pesanKeluar.replace("%(jumlah)s", daftar.length))) return;
      bersihkan().then(function () { f.submit(); });
    });
  });
})();
