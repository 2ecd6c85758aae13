/* Frontline web map: the list of events in view and in the time window, and the download of
 * what is shown.
 *
 * The list is a column of buttons, so every event is reachable by keyboard and read out by a
 * screen reader, not only drawn on the canvas. Events arrive sorted by date, so each order
 * the list offers is one pass over them (a bucket per status or type), whatever their number;
 * only the first MAX_ROWS are put on the page. Article text goes in as text only, and a CSV
 * cell that a spreadsheet would run as a formula is quoted as text.
 */
(function () {
  "use strict";

  var F = window.Frontline = window.Frontline || {};
  var parts = F.parts = F.parts || [];
  var MAX_ROWS = 200;
  var STATUS_RANK = {confirmed: 0, disputed: 1, claimed: 2, reported: 3};
  var SORTS = {date: "Date, newest first", status: "Status, most sure first", type: "Type"};

  /* Indices of the events drawn in the map's current view, in date order (undated last). */
  function inView(view) {
    var map = view.map, b = map.getPixelBounds(), o = map.getPixelOrigin();
    var x0 = b.min.x - o.x, x1 = b.max.x - o.x, y0 = b.min.y - o.y, y1 = b.max.y - o.y;
    var out = [];
    for (var i = 0; i < view.items.length; i++) {
      if (!view.visible[i] || !view.layerOn[view.items[i].layer]) { continue; }
      var x = view.px[i], y = view.py[i];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) { out.push(i); }
    }
    return out;
  }

  /* ``idx`` (date order) in the chosen order: newest first within each bucket. */
  function ordered(view, idx, sort) {
    var style = view.style, buckets = new Map(), dated = [], undated = [];
    idx.forEach(function (i) { (view.items[i].rec.date ? dated : undated).push(i); });
    var byDate = dated.reverse().concat(undated);
    if (sort === "date") { return byDate; }
    byDate.forEach(function (i) {
      var rec = view.items[i].rec;
      var key = sort === "status" ? String(STATUS_RANK[rec.status] === undefined ? 9 :
        STATUS_RANK[rec.status]) : (style.type_labels[rec.type] || rec.type);
      if (!buckets.has(key)) { buckets.set(key, []); }
      buckets.get(key).push(i);
    });
    var out = [];
    Array.from(buckets.keys()).sort().forEach(function (k) { out = out.concat(buckets.get(k)); });
    return out;
  }

  function rowText(rec, style) {
    return [rec.date || "undated", style.type_labels[rec.type] || rec.type, rec.place,
            style.status_labels[rec.status] || rec.status];
  }

  /* ---- downloads ---- */

  function feature(rec, style) {
    return {type: "Feature", id: rec.id, geometry: {type: "Point", coordinates: [rec.lon, rec.lat]},
            properties: {id: rec.id, date: rec.date, type: rec.type,
                         type_label: style.type_labels[rec.type] || rec.type,
                         status: rec.status, actor: rec.actor, place: rec.place,
                         admin1: rec.admin1 || null, precision: rec.precision || null,
                         summary: rec.summary || null,
                         outlets: outlets(rec), sources: rec.sources.length,
                         urls: rec.sources.map(function (s) { return s.url; }).filter(Boolean)}};
  }

  function outlets(rec) {
    var seen = [];
    rec.sources.forEach(function (s) {
      if (s.outlet && seen.indexOf(s.outlet) < 0) { seen.push(s.outlet); }
    });
    return seen;
  }

  var CSV_COLUMNS = ["id", "date", "type", "status", "actor", "place", "admin1", "lat", "lon",
                     "precision", "sources", "outlets", "urls"];

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }

  function csv(recs) {
    var lines = [CSV_COLUMNS.join(",")];
    recs.forEach(function (rec) {
      var row = {id: rec.id, date: rec.date, type: rec.type, status: rec.status,
                 actor: rec.actor, place: rec.place, admin1: rec.admin1, lat: rec.lat,
                 lon: rec.lon, precision: rec.precision, sources: rec.sources.length,
                 outlets: outlets(rec).join("; "),
                 urls: rec.sources.map(function (s) { return s.url; }).filter(Boolean)
                   .join(" ")};
      lines.push(CSV_COLUMNS.map(function (c) { return csvCell(row[c]); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function save(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  /* ---- the panel ---- */

  function panel(view, L) {
    var el = F.el, style = view.style, map = view.map, sort = "date", pending = false;
    var aside = el("aside", "fl-panel");
    aside.id = "fl-panel";
    aside.setAttribute("aria-label", "Events in view");
    var head = el("div", "fl-panel-head");
    head.appendChild(el("h2", null, "Events in view"));
    var closer = el("button", "fl-panel-close", "Map");
    closer.type = "button";
    closer.setAttribute("aria-label", "Close the list and show the map");
    head.appendChild(closer);
    aside.appendChild(head);
    var tools = el("div", "fl-panel-tools");
    var sortLabel = el("label", null, "Sort by ");
    var select = el("select");
    select.name = "sort";
    Object.keys(SORTS).forEach(function (k) {
      var opt = el("option", null, SORTS[k]);
      opt.value = k;
      select.appendChild(opt);
    });
    sortLabel.appendChild(select);
    tools.appendChild(sortLabel);
    var geojsonButton = el("button", "fl-download", "GeoJSON");
    geojsonButton.type = "button";
    geojsonButton.setAttribute("aria-label", "Download the events shown as GeoJSON");
    var csvButton = el("button", "fl-download", "CSV");
    csvButton.type = "button";
    csvButton.setAttribute("aria-label", "Download the events shown as CSV");
    var downloads = el("span", "fl-downloads", "Download ");
    downloads.appendChild(geojsonButton);
    downloads.appendChild(csvButton);
    tools.appendChild(downloads);
    aside.appendChild(tools);
    var count = el("p", "fl-panel-count");
    count.setAttribute("role", "status");
    aside.appendChild(count);
    var list = el("ol", "fl-list");
    list.setAttribute("aria-label", "Events, in the chosen order");
    aside.appendChild(list);
    document.body.appendChild(aside);

    var Toggle = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var b = el("button", "fl-panel-open leaflet-bar", "List");
        b.type = "button";
        b.setAttribute("aria-controls", "fl-panel");
        b.setAttribute("aria-label", "List the events in view");
        b.addEventListener("click", function () {
          aside.classList.add("fl-open");
          select.focus();
        });
        L.DomEvent.disableClickPropagation(b);
        return b;
      }
    });
    new Toggle().addTo(map);
    closer.addEventListener("click", function () { aside.classList.remove("fl-open"); });

    /* The records in view with their sources, which the page unpacks on demand. */
    function shownRecs() {
      var items = inView(view).map(function (i) { return view.items[i]; });
      return view.details(items).then(function () {
        return items.map(function (it) { return it.rec; });
      });
    }

    function render() {
      pending = false;
      var started = performance.now();
      var idx = inView(view), order = ordered(view, idx, sort);
      var refocus = list.contains(document.activeElement);
      list.textContent = "";
      var frag = document.createDocumentFragment();
      order.slice(0, MAX_ROWS).forEach(function (i) {
        var rec = view.items[i].rec, cells = rowText(rec, style);
        var li = el("li");
        var b = el("button", "fl-row");
        b.type = "button";
        b.dataset.id = rec.id;
        b.appendChild(el("span", "fl-row-date", cells[0]));
        b.appendChild(el("span", "fl-row-status fl-status-" +
          (style.status_labels[rec.status] ? rec.status : "reported"), cells[3]));
        b.appendChild(el("span", "fl-row-what", cells[1] + ": " + cells[2]));
        b.setAttribute("aria-label", cells[1] + " at " + cells[2] + ", " + cells[0] + ", " +
                       cells[3]);
        if (rec.id === view.selected) { b.setAttribute("aria-current", "true"); }
        li.appendChild(b);
        frag.appendChild(li);
      });
      list.appendChild(frag);
      count.textContent = idx.length + (idx.length === 1 ? " event" : " events") +
        " in view and in the time window" + (idx.length > MAX_ROWS ? "; the first " +
        MAX_ROWS + " listed (zoom in for the rest)" : "");
      view.listed = order.slice(0, MAX_ROWS).map(function (i) { return view.items[i].rec.id; });
      view.listMs = performance.now() - started;
      if (refocus) {
        var current = list.querySelector("[aria-current=true]") || list.querySelector("button");
        if (current) { current.focus(); }
      }
    }

    function schedule() {
      if (pending) { return; }
      pending = true;
      requestAnimationFrame(function () { setTimeout(render, 0); });
    }

    list.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button.fl-row");
      if (!b) { return; }
      aside.classList.remove("fl-open");
      view.select(b.dataset.id);
    });
    select.addEventListener("change", function () {
      sort = select.value;
      view.sort = sort;
      view.changed("sort");
    });
    function stamp() {
      var t = view.time || {from: "", to: ""};
      return (t.from || "all") + "_" + (t.to || "all");
    }
    geojsonButton.addEventListener("click", function () {
      var name = "frontline-events-" + stamp() + ".geojson";
      shownRecs().then(function (recs) {
        var doc = {type: "FeatureCollection",
                   features: recs.map(function (r) { return feature(r, style); })};
        save(name, "application/geo+json", JSON.stringify(doc, null, 1));
      });
    });
    csvButton.addEventListener("click", function () {
      var name = "frontline-events-" + stamp() + ".csv";
      shownRecs().then(function (recs) { save(name, "text/csv", csv(recs)); });
    });
    view.setSort = function (k) {
      if (!SORTS[k]) { return; }
      select.value = k;
      sort = view.sort = k;
      schedule();
    };
    view.sort = sort;
    view.listeners.push(function (why) {
      if (why !== "selected" || list.childElementCount) { schedule(); }
    });
    render();
  }

  // The panel narrows the map: Ukraine is fitted again into what is left, before any event
  // is drawn.
  (F.early = F.early || []).push(function (map, style) {
    document.body.classList.add("fl-has-panel");
    map.invalidateSize({pan: false});
    if (!style.home) { return; }
    // A phone's narrow screen fits Ukraine at a fraction of a zoom level, not the whole
    // level below (which would show half of Europe); pinching zooms by fractions there too.
    if (F.smallScreen()) { map.options.zoomSnap = 0.25; }
    map.fitBounds(style.home, {animate: false});
  });
  parts.push(panel);
  F.csv = csv;
}());
