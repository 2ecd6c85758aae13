/* Frontline web map: town names by zoom level and the place search, from the page's own
 * gazetteer extract (no tiles, no network).
 *
 * Names are laid out after each move, biggest towns first; a name whose box would overlap
 * one already placed tries the other side of its dot and is otherwise left out, so the
 * least important names are the ones that go. Each place is [name, lat, lon, zoom from
 * which it is labelled, search keys, kind, oblast code].
 */
(function () {
  "use strict";

  var F = window.Frontline = window.Frontline || {};
  var parts = F.parts = F.parts || [];
  var FONT = "600 12px system-ui, sans-serif", HEIGHT = 16, GAP = 5, CELL = 96;
  var MAX_LABELS = 250, MAX_RESULTS = 8;

  /* A Latin query folded as the gazetteer folds names (geo.gazetteer.names.name_key);
   * anything else is compared as typed, lower-cased. */
  function fold(text) {
    var t = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    if (!/^[\x00-\x7f]*$/.test(t)) {
      return text.toLowerCase().replace(/[’ʼ]/g, "'").trim();
    }
    t = t.toLowerCase().replace(/['’ʼʹ`´‘ʻ"]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
    t = t.replace(/y/g, "i").replace(/([aeiou])j/g, "$1i").replace(/j\b/g, "i");
    return t.replace(/(.)\1+/g, "$1");
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  /* Boxes already placed, filed by grid cell so that each test looks at a few neighbours. */
  function Grid() { this.cells = new Map(); }
  Grid.prototype.keys = function (b) {
    var out = [];
    for (var x = Math.floor(b[0] / CELL); x <= Math.floor(b[2] / CELL); x++) {
      for (var y = Math.floor(b[1] / CELL); y <= Math.floor(b[3] / CELL); y++) {
        out.push(x + ":" + y);
      }
    }
    return out;
  };
  Grid.prototype.free = function (b) {
    var keys = this.keys(b);
    for (var i = 0; i < keys.length; i++) {
      var list = this.cells.get(keys[i]) || [];
      for (var j = 0; j < list.length; j++) { if (overlaps(b, list[j])) { return false; } }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    this.keys(b).forEach(function (k) {
      var list = this.cells.get(k);
      if (!list) { this.cells.set(k, list = []); }
      list.push(b);
    }, this);
  };

  function labels(view) {
    var map = view.map, el = F.el;
    var pane = map.createPane("fl-labels");
    pane.style.zIndex = 460;
    pane.style.pointerEvents = "none";
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = FONT;
    var towns = view.places.filter(function (p) { return p[5] === "settlement"; })
      .map(function (p) {
        var w = map.project([p[1], p[2]], 0);
        return {name: p[0], zoom: p[3], wx: w.x, wy: w.y, width: ctx.measureText(p[0]).width};
      });
    var pool = [];
    view.labels = [];

    function node(i) {
      if (!pool[i]) {
        pool[i] = el("div", "fl-label");
        pool[i].appendChild(el("span", "fl-label-text"));
        pane.appendChild(pool[i]);
      }
      return pool[i];
    }

    /* Which names a zoom level shows is decided over the whole country, not the view, so
     * that a name does not come and go as the map pans; only those in view are put on the
     * page. */
    function layout() {
      var z = map.getZoom(), k = map.getZoomScale(z, 0), o = map.getPixelOrigin();
      var size = map.getSize(), tl = map.containerPointToLayerPoint([0, 0]);
      var grid = new Grid(), placed = [];
      // A town name does not cover a numbered group of events.
      var groups = view.canvas && view.canvas._groups ? view.canvas._groups.list : [];
      groups.forEach(function (g) {
        var r = g.r || 16;
        grid.add([g.x - r, g.y - r, g.x + r, g.y + r]);
      });
      for (var i = 0; i < towns.length; i++) {
        var t = towns[i];
        if (t.zoom > z) { continue; }
        var x = t.wx * k - o.x, y = t.wy * k - o.y;
        var right = [x + GAP, y - HEIGHT / 2, x + GAP + t.width + 4, y + HEIGHT / 2];
        var left = [x - GAP - t.width - 4, y - HEIGHT / 2, x - GAP, y + HEIGHT / 2];
        var box = grid.free(right) ? right : grid.free(left) ? left : null;
        if (!box) { continue; }
        grid.add(box);
        grid.add([x - 3, y - 3, x + 3, y + 3]);
        placed.push({town: t, x: x, y: y, box: box, left: box === left});
      }
      var shown = placed.filter(function (s) {
        return s.box[2] > tl.x && s.box[0] < tl.x + size.x && s.y > tl.y &&
          s.y < tl.y + size.y;
      }).slice(0, MAX_LABELS);
      shown.forEach(function (s, j) {
        var n = node(j);
        n.firstChild.textContent = s.town.name;
        n.className = "fl-label" + (s.left ? " fl-label-left" : "");
        n.hidden = false;
        window.L.DomUtil.setPosition(n, window.L.point(Math.round(s.x), Math.round(s.y)));
      });
      for (var j = shown.length; j < pool.length; j++) { pool[j].hidden = true; }
      view.labels = shown.map(function (s) { return s.town.name; });
      pane.style.display = "";
    }
    map.on("zoomstart", function () { pane.style.display = "none"; });
    map.on("moveend viewreset resize", layout);
    view.listeners.push(function (why) {
      if (why === "time" || why === "layers") { layout(); }
    });
    layout();
  }

  function search(view, L) {
    var map = view.map, el = F.el, style = view.style, found = null, active = -1, results = [];
    var keyed = view.places.map(function (p) { return {place: p, keys: p[4]}; });

    function matches(q) {
      var key = fold(q), out = [];
      if (!key) { return out; }
      keyed.forEach(function (entry, order) {
        var best = 3;
        entry.keys.forEach(function (k) {
          if (k === key) { best = 0; }
          else if (best > 1 && k.indexOf(key) === 0) { best = 1; }
          else if (best > 2 && k.indexOf(" " + key) >= 0) { best = 2; }
        });
        if (best < 3) { out.push([best, order, entry.place]); }
      });
      out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      return out.slice(0, MAX_RESULTS).map(function (m) { return m[2]; });
    }

    function describe(p) {
      var oblast = p[6] && style.oblasts[p[6]];
      return p[5] === "admin1" ? p[0] + " (oblast)" : oblast ? p[0] + ", " + oblast : p[0];
    }

    var Control = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = el("form", "fl-search leaflet-bar");
        box.setAttribute("role", "search");
        var label = el("label", "fl-hidden", "Find a place (any spelling, Latin or Cyrillic)");
        label.htmlFor = "fl-search-input";
        var input = el("input");
        input.id = "fl-search-input";
        input.type = "search";
        input.placeholder = "Find a place";
        input.autocomplete = "off";
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", "fl-search-results");
        var list = el("ul", "fl-results");
        list.id = "fl-search-results";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Places found");
        list.hidden = true;
        var status = el("p", "fl-hidden");
        status.setAttribute("role", "status");
        box.appendChild(label);
        box.appendChild(input);
        box.appendChild(list);
        box.appendChild(status);

        function mark(i) {
          active = i;
          Array.prototype.forEach.call(list.children, function (li, j) {
            li.setAttribute("aria-selected", j === i ? "true" : "false");
          });
          if (i >= 0) { input.setAttribute("aria-activedescendant", "fl-result-" + i); }
          else { input.removeAttribute("aria-activedescendant"); }
        }
        function close() {
          list.hidden = true;
          input.setAttribute("aria-expanded", "false");
          mark(-1);
        }
        function show() {
          results = matches(input.value);
          list.textContent = "";
          results.forEach(function (p, i) {
            var li = el("li", null, describe(p));
            li.id = "fl-result-" + i;
            li.setAttribute("role", "option");
            li.addEventListener("mousedown", function (e) { e.preventDefault(); });
            li.addEventListener("click", function () { go(p); });
            list.appendChild(li);
          });
          list.hidden = results.length === 0;
          input.setAttribute("aria-expanded", results.length ? "true" : "false");
          status.textContent = input.value.trim() ? (results.length ? results.length +
            " places found" : "No place of that name in the map's gazetteer") : "";
          mark(results.length ? 0 : -1);
        }
        function go(p) {
          close();
          input.value = p[0];
          map.setView([p[1], p[2]], p[5] === "admin1" ? 8 : Math.max(11, map.getZoom()),
                      {animate: false});
          if (found) { map.removeLayer(found); }
          found = L.circleMarker([p[1], p[2]], {radius: 14, color: "#111", weight: 2,
                                                fill: false, interactive: false,
                                                className: "fl-found"})
            .bindTooltip(describe(p), {permanent: true, direction: "top", offset: [0, -14],
                                       className: "fl-found-name"}).addTo(map);
          view.found = p[0];
        }
        input.addEventListener("input", show);
        input.addEventListener("keydown", function (e) {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            if (!results.length) { return; }
            var step = e.key === "ArrowDown" ? 1 : -1;
            mark((active + step + results.length) % results.length);
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (results.length) { go(results[Math.max(active, 0)]); }
          } else if (e.key === "Escape") {
            close();
          }
        });
        input.addEventListener("blur", close);
        box.addEventListener("submit", function (e) { e.preventDefault(); });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Control().addTo(map);
    view.search = matches;
  }

  parts.push(function (view, L) {
    labels(view);
    search(view, L);
  });
  F.fold = fold;
}());
