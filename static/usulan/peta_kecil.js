/* A small read-only map with one marker, for pages that show a single proposal. */
(function () {
  "use strict";
  var el = document.getElementById("peta-lacak");
  if (!el || typeof L === "undefined") return;
  var titik = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  var peta = L.map(el, { scrollWheelZoom: false, dragging: !L.Browser.mobile }).setView(titik, 16);
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { attribution: el.dataset.atribusi || "", maxZoom: 19 }).addTo(peta);
  L.circleMarker(titik, { radius: 9, color: "#0b5d3b", fillOpacity: 0.8 }).addTo(peta);
})();
