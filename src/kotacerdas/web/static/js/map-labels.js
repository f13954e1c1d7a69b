// Area name labels on Leaflet maps: kcAreaLabels(map, layer, el) keeps the permanent labels of a layer's areas from
// overlapping. The largest areas are labelled first; a label that would overlap one already shown is hidden (its
// area still names itself in its popup, where it has one) and shows again when a zoom makes room. The number
// hidden is written to el.dataset.labelsHidden.
(function () {
  "use strict";
  function declutter(layer, el) {
    var items = [];
    layer.eachLayer(function (lyr) {
      var tip = lyr.getTooltip && lyr.getTooltip();
      var tipEl = tip && tip.getElement && tip.getElement();
      if (!tipEl) { return; }
      var b = lyr.getBounds();
      items.push({ el: tipEl, size: (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth()) });
    });
    items.sort(function (a, b) { return b.size - a.size; });
    var placed = [];
    var hidden = 0;
    items.forEach(function (it) {
      it.el.style.visibility = "";
      var r = it.el.getBoundingClientRect();
      var clash = placed.some(function (q) { return r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom; });
      if (clash) { it.el.style.visibility = "hidden"; hidden += 1; } else { placed.push(r); }
    });
    el.dataset.labelsHidden = String(hidden);
  }
  window.kcAreaLabels = function (map, layer, el) {
    function again() { if (map.hasLayer(layer)) { declutter(layer, el); } }
    map.on("zoomend moveend viewreset", function () { setTimeout(again, 0); });  // labels placed anew first
    again();
  };
})();
