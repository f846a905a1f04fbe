/* The queue's small map: one marker per proposal on the page, linking to its review page. */
(function () {
  "use strict";
  var el = document.getElementById("peta-antrian");
  var data = document.getElementById("titik-antrian");
  if (!el || !data || typeof L === "undefined") return;
  var titik = JSON.parse(data.textContent);
  if (!titik.length) { el.hidden = true; return; }
  var peta = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { attribution: el.dataset.atribusi || "", maxZoom: 19 }).addTo(peta);
  var batas = [];
  titik.forEach(function (t) {
    var m = L.circleMarker([t.lat, t.lon], { radius: 7, color: "#0b5d3b", fillOpacity: 0.8 }).addTo(peta);
    var a = document.createElement("a");
    a.href = "u/" + encodeURIComponent(t.kode) + "/";
    a.textContent = t.judul;
    m.bindPopup(a);
    batas.push([t.lat, t.lon]);
  });
  peta.fitBounds(batas, { maxZoom: 15, padding: [20, 20] });
})();
