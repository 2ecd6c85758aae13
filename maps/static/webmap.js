/* Frontline web map: draws the events that maps/webmap.py embeds as JSON.
 *
 * All events share one canvas. Each look (type, status, actor) is drawn once into a small
 * sprite and stamped at every spot that has a visible event, so a redraw of 100 k events is
 * a loop of drawImage calls, and the time filter only flips flags and redraws. The layer
 * control's feature groups each hold a small switch layer that tells the canvas what to show.
 *
 * Article text is untrusted: it only ever reaches the page through textContent and
 * attribute setters, never as markup. Leaflet is looked up when a map is mounted, so this
 * file may load before or after it.
 */
(function () {
  "use strict";

  var views = {};
  var RADIUS = 8, RING = 13, HIT = 3, MAX_LISTED = 8, MIN_ARROW = 2 * RADIUS, ARROW_CAP = 1500;
  var STATUS_ORDER = ["reported", "claimed", "disputed", "confirmed"];
  // Below CLUSTER_BELOW, a CELL-pixel square holding CLUSTER_MIN events or more is drawn as
  // one numbered disc; a click on it zooms to its members.
  var CELL = 56, CLUSTER_MIN = 10, CLUSTER_BELOW = 9;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function safeHref(url) {
    if (!url) { return null; }
    try {
      var u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /* ---- popups: text nodes only ---- */

  function row(dl, term, value, className) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", className || null, value));
  }

  function sourceItem(src, style) {
    var stance = style.stance_labels[src.stance] ? src.stance : "reports";
    var li = el("li", "fl-source fl-stance-" + stance);
    var who = el("p", "fl-who");
    who.appendChild(el("span", "fl-claimant", src.claimant || "Unattributed"));
    who.appendChild(document.createTextNode(" "));
    who.appendChild(el("strong", "fl-stance", style.stance_labels[stance]));
    li.appendChild(who);
    var meta = [src.outlet ? "Outlet: " + src.outlet : "Outlet not named"];
    if (src.published) { meta.push("published " + src.published); }
    if (src.said_on) { meta.push("said on " + src.said_on); }
    meta.push("article " + src.article);
    li.appendChild(el("p", "fl-meta", meta.join(" · ")));
    if (src.quote) { li.appendChild(el("blockquote", "fl-quote", src.quote)); }
    var href = safeHref(src.url);
    if (href) {
      var a = el("a", "fl-link", href);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      li.appendChild(a);
    } else if (src.link_text) {
      li.appendChild(el("p", "fl-link", "Link (not opened): " + src.link_text));
    }
    return li;
  }

  function eventContent(rec, style) {
    var root = el("section", "fl-event");
    var type = style.type_labels[rec.type] || rec.type;
    root.appendChild(el("h3", null, type + ": " + rec.place));
    var dl = el("dl");
    row(dl, "Type", rec.sub_type ? type + " (" + rec.sub_type + ")" : type);
    row(dl, "Place", rec.place);
    var oblast = rec.admin1 && style.oblasts[rec.admin1];
    row(dl, "Oblast", oblast ? oblast + " (" + rec.admin1 + ")" : rec.admin1);
    row(dl, "Located to", style.precision_labels[rec.precision]);
    row(dl, "Date", rec.date ? rec.date + (rec.date_precision ? " (" + rec.date_precision +
        ")" : "") : "not given");
    row(dl, "Status", style.status_labels[rec.status] || rec.status, "fl-status fl-status-" +
        (style.status_labels[rec.status] ? rec.status : "reported"));
    if (rec.why) {
      row(dl, "Why", (rec.why.claimant || rec.why.outlet || "a source") + " " +
          rec.why.stance + ": " + rec.why.quote);
    }
    row(dl, "Actor", style.actor_labels[rec.actor] || rec.actor);
    if (rec.line) {
      var far = rec.line.km === null || rec.line.km === undefined ? "no line" :
          rec.line.km.toFixed(1) + " km from the line of contact";
      row(dl, "Against the line", (rec.line.implausible ? "Implausible: " +
          (rec.line.reason || far) : "Plausible: " + far) +
          (rec.line.snapshot ? " (" + rec.line.snapshot + ")" : ""));
    }
    root.appendChild(dl);
    if (rec.summary) { root.appendChild(el("p", "fl-summary", rec.summary)); }
    var n = rec.sources.length;
    root.appendChild(el("h4", null, n + (n === 1 ? " source" : " sources")));
    var ol = el("ol", "fl-sources");
    rec.sources.forEach(function (src) { ol.appendChild(sourceItem(src, style)); });
    root.appendChild(ol);
    return root;
  }

  function popupContent(recs, style) {
    var root = el("div", "fl-popup");
    if (recs.length > 1) {
      root.appendChild(el("p", "fl-many", recs.length + " events here" +
        (recs.length > MAX_LISTED ? "; the first " + MAX_LISTED + " (zoom in to separate)" :
         "")));
    }
    recs.slice(0, MAX_LISTED).forEach(function (rec) {
      root.appendChild(eventContent(rec, style));
    });
    return root;
  }

  /* ---- the event canvas ---- */

  function traceShape(ctx, pts, x, y, r) {
    if (!pts) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
      return;
    }
    var k = r / 10;
    ctx.moveTo(x + (pts[0][0] - 10) * k, y + (pts[0][1] - 10) * k);
    for (var i = 1; i < pts.length; i++) {
      ctx.lineTo(x + (pts[i][0] - 10) * k, y + (pts[i][1] - 10) * k);
    }
    ctx.closePath();
  }

  function dash(style, status) {
    var d = style.status_dash[status];
    return d ? d.split(/[ ,]+/).map(Number) : [];
  }

  function sprite(size, paint) {
    /* A symbol drawn once into a small bitmap: stamping it is far cheaper than filling and
     * stroking the same path thousands of times in one frame. */
    var ratio = window.devicePixelRatio || 1, c = document.createElement("canvas");
    c.width = c.height = Math.ceil(size * ratio);
    var ctx = c.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    paint(ctx, size / 2);
    return c;
  }

  function markerSprite(g) {
    return sprite(2 * (RADIUS + 4), function (ctx, mid) {
      ctx.beginPath();
      traceShape(ctx, g.shape, mid, mid, RADIUS);
      ctx.globalAlpha = g.alpha;
      ctx.fillStyle = g.fill;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2;
      ctx.strokeStyle = g.stroke;
      ctx.stroke();
    });
  }

  function ringSprite(g) {
    return sprite(2 * (RING + 3), function (ctx, mid) {
      ctx.beginPath();
      ctx.arc(mid, mid, RING, 0, Math.PI * 2);
      ctx.lineWidth = 2.5;
      ctx.setLineDash(g.dash);
      ctx.strokeStyle = g.stroke;
      ctx.stroke();
    });
  }

  function buckets(view, style, what) {
    /* Items grouped by look, drawn least sure first so confirmed events end on top. */
    var groups = {}, list = [];
    view.items.forEach(function (item, i) {
      var rec = item.rec, key;
      if (what === "markers") {
        key = [item.layer, rec.type, rec.status, rec.actor, rec.region_only ? 1 : 0].join("|");
      } else if (what === "arrows") {
        if (!rec.arrow) { return; }
        key = rec.actor + "|" + rec.status;
      } else {
        if (!rec.denied_by) { return; }
        key = rec.denied_by;
      }
      if (!groups[key]) {
        groups[key] = {layer: what === "markers" ? item.layer : what, rec: rec, idx: []};
        list.push(groups[key]);
      }
      groups[key].idx.push(i);
    });
    list.forEach(function (g) {
      var rec = g.rec;
      g.rank = STATUS_ORDER.indexOf(rec.status);
      g.stroke = style.actor_colors[what === "denied" ? rec.denied_by : rec.actor] ||
        style.actor_colors.unknown;
      g.fill = style.status_colors[rec.status] || style.status_colors.reported;
      g.alpha = rec.region_only ? 0.45 : 0.95;
      g.shape = style.type_shapes[rec.type] || null;
      g.dash = what === "denied" ? [4, 3] : dash(style, rec.status);
      g.spots = spots(view, g.idx, what === "arrows");
      if (what === "markers") { g.sprite = markerSprite(g); }
      if (what === "denied") { g.sprite = ringSprite(g); }
    });
    return list.sort(function (a, b) { return a.rank - b.rank; });
  }

  function spots(view, idx, arrows) {
    /* A bucket's items by where they are: news repeats the same towns, and one symbol per
     * spot is all a reader can see. Coordinates are Web Mercator pixels at zoom 0. */
    var byKey = new Map(), out = [];
    // Keyed by the page's integer coordinates: a number, not a string, for each event.
    var lat = view.cols.lat, lon = view.cols.lon;
    idx.forEach(function (i) {
      var item = view.items[i];
      var key = arrows ? item.arrowKey : lat[i] * 4e7 + lon[i];
      var spot = byKey.get(key);
      if (!spot) {
        spot = {world: arrows ? item.arrowWorld : [view.wx[i], view.wy[i]], idx: []};
        byKey.set(key, spot);
        out.push(spot);
      }
      spot.idx.push(i);
    });
    return out;
  }

  function anyVisible(view, idx) {
    for (var j = 0; j < idx.length; j++) { if (view.visible[idx[j]]) { return true; } }
    return false;
  }

  function eventCanvasClass(L) {
    return L.Canvas.extend({
      initialize: function (view, options) {
        L.Canvas.prototype.initialize.call(this, options);
        this._view = view;
      },

      onAdd: function () {
        L.Canvas.prototype.onAdd.call(this);
        this._updatePaths();
      },

      _updatePaths: function () {
        if (this._postponeUpdatePaths || !this._map) { return; }
        var v = this._view, map = this._map, n = v.items.length;
        var k = map.getZoomScale(map.getZoom(), 0), o = map.getPixelOrigin();
        for (var i = 0; i < n; i++) {
          v.px[i] = v.wx[i] * k - o.x;
          v.py[i] = v.wy[i] * k - o.y;
        }
        this._scale = k;
        this._origin = o;
        this._redrawBounds = null;
        this._redraw();
      },

      redraw: function () {
        if (this._map && this._ctx) {
          this._redrawBounds = null;
          this._redraw();
        }
        return this;
      },

      _boxInView: function (x1, y1, x2, y2, pad) {
        var b = this._bounds;
        return x1 < b.max.x + pad && x2 > b.min.x - pad && y1 < b.max.y + pad &&
          y2 > b.min.y - pad;
      },

      _cluster: function () {
        /* Events counted per grid cell of the screen (cells fixed to the world, so that the
         * groups keep still while the map pans); a cell with CLUSTER_MIN or more becomes a
         * group, its centre the mean of its members. */
        var v = this._view, map = this._map, b = this._bounds;
        this._groups = null;
        if (!map || map.getZoom() >= CLUSTER_BELOW) { return; }
        var o = this._origin, cx0 = Math.floor((b.min.x + o.x) / CELL) - 1;
        var cy0 = Math.floor((b.min.y + o.y) / CELL) - 1;
        var cols = Math.ceil((b.max.x - b.min.x) / CELL) + 3;
        var rows = Math.ceil((b.max.y - b.min.y) / CELL) + 3, size = cols * rows;
        var count = new Int32Array(size), sx = new Float64Array(size), sy = new Float64Array(size);
        for (var i = 0; i < v.items.length; i++) {
          if (!v.visible[i] || !v.layerOn[v.items[i].layer]) { continue; }
          var cx = Math.floor((v.px[i] + o.x) / CELL) - cx0;
          var cy = Math.floor((v.py[i] + o.y) / CELL) - cy0;
          if (cx < 0 || cy < 0 || cx >= cols || cy >= rows) { continue; }
          var c = cy * cols + cx;
          count[c]++;
          sx[c] += v.px[i];
          sy[c] += v.py[i];
        }
        var list = [];
        for (var j = 0; j < size; j++) {
          if (count[j] >= CLUSTER_MIN) {
            list.push({cell: j, n: count[j], x: sx[j] / count[j], y: sy[j] / count[j]});
          }
        }
        this._groups = {cx0: cx0, cy0: cy0, cols: cols, rows: rows, count: count, list: list};
        v.groups = list.length;
      },

      grouped: function (x, y) {
        /* Whether the layer point lies in a cell drawn as a group. */
        var g = this._groups;
        if (!g) { return false; }
        var cx = Math.floor((x + this._origin.x) / CELL) - g.cx0;
        var cy = Math.floor((y + this._origin.y) / CELL) - g.cy0;
        return cx >= 0 && cy >= 0 && cx < g.cols && cy < g.rows &&
          g.count[cy * g.cols + cx] >= CLUSTER_MIN;
      },

      _drawGroups: function (ctx) {
        if (!this._groups) { return; }
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.font = "600 12px system-ui, sans-serif";
        this._groups.list.forEach(function (g) {
          var r = Math.min(24, 12 + 3 * Math.log10(g.n) * 2);
          ctx.beginPath();
          ctx.arc(g.x, g.y, r, 0, Math.PI * 2);
          ctx.fillStyle = "rgba(40, 40, 40, 0.85)";
          ctx.fill();
          ctx.lineWidth = 2;
          ctx.strokeStyle = "#fff";
          ctx.stroke();
          ctx.fillStyle = "#fff";
          ctx.fillText(g.n >= 10000 ? Math.round(g.n / 1000) + "k" : String(g.n), g.x, g.y);
          g.r = r;
        });
      },

      groupHit: function (layerPoint) {
        var hit = null;
        (this._groups ? this._groups.list : []).forEach(function (g) {
          var dx = g.x - layerPoint.x, dy = g.y - layerPoint.y;
          if (dx * dx + dy * dy <= (g.r + HIT) * (g.r + HIT)) { hit = g; }
        });
        return hit;
      },

      groupAt: function (layerPoint) {
        /* The group under the point, with the bounds of its members. */
        var groups = this._groups, v = this._view, hit = this.groupHit(layerPoint);
        if (!hit) { return null; }
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, o = this._origin;
        for (var i = 0; i < v.items.length; i++) {
          if (!v.visible[i] || !v.layerOn[v.items[i].layer]) { continue; }
          var cx = Math.floor((v.px[i] + o.x) / CELL) - groups.cx0;
          var cy = Math.floor((v.py[i] + o.y) / CELL) - groups.cy0;
          if (cy * groups.cols + cx !== hit.cell || cx < 0 || cx >= groups.cols) { continue; }
          x0 = Math.min(x0, v.px[i]); x1 = Math.max(x1, v.px[i]);
          y0 = Math.min(y0, v.py[i]); y1 = Math.max(y1, v.py[i]);
        }
        var map = this._map;
        return {n: hit.n, bounds: window.L.latLngBounds(map.layerPointToLatLng([x0, y0]),
                                                        map.layerPointToLatLng([x1, y1]))};
      },

      _draw: function () {
        var v = this._view, ctx = this._ctx;
        if (!ctx || !this._bounds || !this._scale) { return; }
        this._cluster();
        ctx.save();
        ctx.lineJoin = "round";
        ctx.lineCap = "round";
        v.arrowsHidden = 0;
        if (v.layerOn.arrows) { this._drawArrows(ctx); }
        this._stamp(ctx, v.markerBuckets);
        this._stamp(ctx, v.ringBuckets);
        this._drawGroups(ctx);
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
        ctx.restore();
        if (v.onDraw) { v.onDraw(); }
      },

      _stamp: function (ctx, list) {
        /* Each bucket's sprite at every spot with a visible event. */
        var v = this._view, k = this._scale, o = this._origin;
        var ratio = window.devicePixelRatio || 1;
        list.forEach(function (g) {
          if (!v.layerOn[g.layer]) { return; }
          var img = g.sprite, size = img.width / ratio, half = size / 2;
          for (var j = 0; j < g.spots.length; j++) {
            var spot = g.spots[j];
            var x = Math.round(spot.world[0] * k - o.x - half);
            var y = Math.round(spot.world[1] * k - o.y - half);
            if (!this._boxInView(x, y, x + size, y + size, 0) || !anyVisible(v, spot.idx) ||
                this.grouped(x + half, y + half)) {
              continue;
            }
            ctx.drawImage(img, x, y, size, size);
          }
        }, this);
      },

      _drawArrows: function (ctx) {
        /* Past ARROW_CAP arrows in view the map is a tangle and slow to draw: the reader is
         * told to zoom in instead. */
        var v = this._view, k = this._scale, o = this._origin, todo = [], total = 0;
        v.arrowBuckets.forEach(function (g) {
          var pts = [];
          for (var j = 0; j < g.spots.length; j++) {
            var a = g.spots[j].world;
            var x0 = a[0] * k - o.x, y0 = a[1] * k - o.y, x1 = a[4] * k - o.x,
                y1 = a[5] * k - o.y, dx = x1 - x0, dy = y1 - y0;
            // An arrow shorter than a marker would only hide under it.
            if (dx * dx + dy * dy < MIN_ARROW * MIN_ARROW ||
                !this._boxInView(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1),
                                 Math.max(y0, y1), RADIUS) ||
                !anyVisible(v, g.spots[j].idx)) {
              continue;
            }
            pts.push(a);
          }
          total += pts.length;
          todo.push([g, pts]);
        }, this);
        v.arrowsHidden = total > ARROW_CAP ? total : 0;
        if (v.arrowsHidden) { return; }
        todo.forEach(function (job) {
          var g = job[0], shafts = new Path2D(), heads = new Path2D();
          if (!job[1].length) { return; }
          job[1].forEach(function (a) {
            var p = [];
            for (var q = 0; q < 10; q += 2) { p.push(a[q] * k - o.x, a[q + 1] * k - o.y); }
            shafts.moveTo(p[0], p[1]);
            shafts.lineTo(p[2], p[3]);
            heads.moveTo(p[4], p[5]);
            heads.lineTo(p[6], p[7]);
            heads.lineTo(p[8], p[9]);
            heads.closePath();
          });
          ctx.globalAlpha = 0.85;
          ctx.strokeStyle = g.stroke;
          ctx.fillStyle = g.stroke;
          ctx.lineWidth = 3;
          ctx.setLineDash(g.dash);
          ctx.stroke(shafts);
          ctx.setLineDash([]);
          ctx.lineWidth = 1;
          ctx.fill(heads);
          ctx.stroke(heads);
        });
      },

      hits: function (layerPoint, first) {
        /* Items whose marker covers the point, nearest first. */
        var v = this._view, out = [], r2 = (RADIUS + HIT) * (RADIUS + HIT);
        for (var i = 0; i < v.items.length; i++) {
          if (!v.visible[i] || !v.layerOn[v.items[i].layer] || this.grouped(v.px[i], v.py[i])) {
            continue;
          }
          var dx = v.px[i] - layerPoint.x, dy = v.py[i] - layerPoint.y, d2 = dx * dx + dy * dy;
          if (d2 <= r2) {
            out.push([d2, i]);
            if (first) { break; }
          }
        }
        return out.sort(function (a, b) { return a[0] - b[0]; })
          .map(function (h) { return v.items[h[1]]; });
      }
    });
  }

  /* Stands in the layer control's feature group and switches a part of the canvas. */
  function switchClass(L) {
    return L.Layer.extend({
      initialize: function (view, key) { this._view = view; this._key = key; },
      onAdd: function () { this._view.show(this._key, true); },
      onRemove: function () { this._view.show(this._key, false); }
    });
  }

  /* ---- controls ---- */

  function timeControl(L, view) {
    var dates = view.dates;
    var lo = dates[0] || "", hi = dates[dates.length - 1] || "";
    var Control = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        var box = el("form", "fl-time leaflet-bar");
        box.setAttribute("aria-label", "Time filter");
        box.appendChild(el("strong", null, "Event dates"));
        function dateInput(name, label, value) {
          var lab = el("label", null, label + " ");
          var input = el("input");
          input.type = "date";
          input.name = name;
          input.min = lo;
          input.max = hi;
          input.value = value;
          lab.appendChild(input);
          box.appendChild(lab);
          return input;
        }
        var from = dateInput("from", "From", lo), to = dateInput("to", "to", hi);
        var undatedLabel = el("label", "fl-undated");
        var undated = el("input");
        undated.type = "checkbox";
        undated.name = "undated";
        undated.checked = true;
        undatedLabel.appendChild(undated);
        undatedLabel.appendChild(document.createTextNode(" undated events"));
        box.appendChild(undatedLabel);
        var reset = el("button", null, "All dates");
        reset.type = "button";
        box.appendChild(reset);
        var out = el("output", "fl-count");
        box.appendChild(out);
        var note = el("p", "fl-note");
        box.appendChild(note);
        view.onDraw = function () {
          note.textContent = view.arrowsHidden ? view.arrowsHidden +
            " advance directions in view: zoom in to draw them" : "";
          note.hidden = !view.arrowsHidden;
        };
        function apply() {
          view.time = {from: from.value || lo, to: to.value || hi, undated: undated.checked,
                       all: (from.value || lo) === lo && (to.value || hi) === hi &&
                         undated.checked};
          view.filter(view.time.from, view.time.to, undated.checked);
          out.textContent = view.shownCount + " of " + view.items.length +
            " mapped events shown" +
            (view.unmapped ? "; " + view.unmapped + " without a location" : "");
        }
        reset.addEventListener("click", function () {
          from.value = lo;
          to.value = hi;
          undated.checked = true;
          apply();
        });
        [from, to, undated].forEach(function (input) {
          input.addEventListener("input", apply);
          input.addEventListener("change", apply);
        });
        box.addEventListener("submit", function (e) { e.preventDefault(); });
        view.setTime = function (f, t, u) {
          from.value = f || lo;
          to.value = t || hi;
          undated.checked = u;
          apply();
        };
        view.timeRange = [lo, hi];
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        apply();
        return box;
      }
    });
    return new Control();
  }

  function legendControl(L, legend, map) {
    var Control = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = el("details", "fl-legend-box leaflet-bar");
        box.open = !smallScreen();
        var reopen = false;
        // A popup is what the reader asked for: the legend folds away while it is open.
        map.on("popupopen", function () {
          reopen = reopen || box.open;
          box.open = false;
        });
        map.on("popupclose", function () {
          if (reopen && !smallScreen()) { box.open = true; }
          reopen = false;
        });
        box.appendChild(el("summary", null, "Legend"));
        legend.hidden = false;
        box.appendChild(legend);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new Control();
  }

  function smallScreen() {
    return window.matchMedia("(max-width: 640px)").matches;
  }

  // Layer names carry their counts; these follow the time filter.
  function renameLayer(map, label, text) {
    var spans = map.getContainer().querySelectorAll(".leaflet-control-layers-overlays span");
    Array.prototype.forEach.call(spans, function (span) {
      if (span.children.length === 0 && span.textContent.trim().indexOf(label + " (") === 0) {
        span.textContent = " " + text;
      }
    });
  }

  function countOpacity(count, top) {
    return count <= 0 || top <= 0 ? 0 : Math.round((0.08 + 0.37 * Math.sqrt(count / top)) *
      1000) / 1000;
  }

  /* The oblast shading and the layer counts of the events in the time window; with every
   * date shown, the counts the page came with (which may count beyond the events drawn). */
  function followCounts(view, style) {
    var perLayer = {arrows: 0, denied: 0}, perOblast = {}, top = 0;
    Object.keys(style.layer_labels).forEach(function (k) { perLayer[k] = perLayer[k] || 0; });
    view.items.forEach(function (item, i) {
      if (!view.visible[i]) { return; }
      var rec = item.rec;
      perLayer[item.layer] = (perLayer[item.layer] || 0) + 1;
      if (rec.arrow) { perLayer.arrows++; }
      if (rec.denied_by) { perLayer.denied++; }
      if (rec.admin1) {
        var by = perOblast[rec.admin1] || (perOblast[rec.admin1] = {total: 0});
        by.total++;
        by[rec.status] = (by[rec.status] || 0) + 1;
      }
    });
    Object.keys(style.layer_labels).forEach(function (k) {
      renameLayer(view.map, style.layer_labels[k], style.layer_labels[k] + " (" +
                  perLayer[k] + ")");
    });
    var oblasts = view.layers.oblasts, all = !view.time || view.time.all;
    if (!oblasts || !oblasts.eachLayer) { return; }
    Object.keys(perOblast).forEach(function (k) { top = Math.max(top, perOblast[k].total); });
    oblasts.eachLayer(function (l) {
      var p = l.feature.properties;
      if (p.page_count === undefined) {
        p.page_count = p.count;
        p.page_events = p.events;
        p.page_opacity = l.options.fillOpacity;
      }
      var by = perOblast[p.iso], count = all ? p.page_count : (by ? by.total : 0);
      p.count = count;
      p.events = all ? p.page_events : by ? count + " in the time window (" +
        Object.keys(by).filter(function (s) { return s !== "total"; }).sort().map(function (s) {
          return (style.status_labels[s] || s).toLowerCase() + " " + by[s];
        }).join(", ") + ")" : "0 in the time window";
      if (!all) { l.setStyle({fillOpacity: countOpacity(count, top)}); }
      else { l.setStyle({fillOpacity: p.page_opacity}); }
    });
  }

  /* ---- mounting ---- */

  // The control layers follow the time filter: the snapshot in force on the window's last
  // day (the latest dated on or before it) replaces what they show, and their names in the
  // layer control say which date that is. They follow the zoom too: each snapshot comes at
  // a few levels of detail, and crossing into another band of zoom swaps areas and line.
  function controlSeries(map, layers, doc) {
    var cs = doc.style, zooms = doc.zooms;
    var current = doc.follow ? null : doc.snapshots[0], level = levelAt(map.getZoom());
    var empty = {type: "FeatureCollection", features: []};
    function levelAt(zoom) {
      for (var i = 0; i < zooms.length; i++) {
        if (zooms[i] === null || zoom <= zooms[i]) { return i; }
      }
      return zooms.length - 1;
    }
    function rename(prefix, text) {
      var spans = map.getContainer().querySelectorAll(".leaflet-control-layers-overlays span");
      Array.prototype.forEach.call(spans, function (span) {
        if (span.children.length === 0 && span.textContent.trim().indexOf(prefix) === 0) {
          span.textContent = " " + text;
        }
      });
    }
    function refill(layer, data, styleOf) {
      layer.clearLayers();
      layer.addData(data);
      layer.eachLayer(function (l) { l.setStyle(styleOf(l.feature.properties)); });
    }
    function drawLevel() {
      refill(layers.control_areas, current ? current.areas[level] : empty, function (p) {
        return {color: cs.fill[p.status], weight: 0.5, fillColor: cs.fill[p.status],
                fillOpacity: cs.alpha};
      });
      refill(layers.control_line, current ? current.line[level] : empty, function () {
        return {color: cs.line, weight: 2.5};
      });
    }
    if (!doc.follow && level !== doc.start_level) { drawLevel(); }
    map.on("zoomend", function () {
      var next = levelAt(map.getZoom());
      if (next !== level) {
        level = next;
        drawLevel();
      }
    });
    return {
      level: function () { return level; },
      follow: function (to) {
        if (!doc.follow) { return; }
        var pick = null;
        doc.snapshots.forEach(function (s) { if (s.as_of <= to) { pick = s; } });
        if (pick === current) { return; }
        current = pick;
        drawLevel();
        refill(layers.control_changes, pick ? pick.changes : empty, function (p) {
          return {color: cs.change_fill[p.after], weight: 1, fillColor: cs.change_fill[p.after],
                  fillOpacity: cs.change_alpha};
        });
        rename("Areas of control", "Areas of control (as of " +
               (pick ? pick.as_of : "none in force") + ")");
        rename("Changed hands", "Changed hands" + (pick && pick.since ? " since " +
               pick.since : ""));
      }
    };
  }

  /* ---- the page's data ---- */

  var D = Math.PI / 180, MAX_LAT = 85.0511287798;

  /* Web Mercator pixels at zoom 0, as Leaflet's map.project(latlng, 0) gives them, without
   * an object per point. */
  function worldX(lon) { return 256 * (lon / 360 + 0.5); }
  function worldY(lat) {
    var sin = Math.sin(Math.max(Math.min(MAX_LAT, lat), -MAX_LAT) * D);
    return 256 * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI));
  }

  /* One record per event from the page's columns (maps/webmap_records.page_columns). */
  function records(cols) {
    var n = cols.id.length, s = cols.scale, out = new Array(n);
    function column(key) {
      var c = cols[key];
      return function (i) { return c.values[c.codes[i]]; };
    }
    var type = column("type"), actor = column("actor"), status = column("status");
    var date = column("date"), place = column("place"), admin1 = column("admin1");
    var precision = column("precision"), denied = column("denied_by");
    for (var i = 0; i < n; i++) {
      var rec = {id: cols.id[i], type: type(i), actor: actor(i), status: status(i),
                 lat: cols.lat[i] / s, lon: cols.lon[i] / s, date: date(i), place: place(i)};
      var a = admin1(i), p = precision(i), d = denied(i);
      if (a !== null) { rec.admin1 = a; }
      if (p !== null) { rec.precision = p; }
      if (d !== null) { rec.denied_by = d; }
      out[i] = rec;
    }
    cols.region_only.forEach(function (i) { out[i].region_only = true; });
    var pts = cols.arrow.points;
    cols.arrow.rows.forEach(function (i, j) {
      var q = 8 * j, rec = out[i];
      rec.arrow = {shaft: [[pts[q] / s, pts[q + 1] / s], [pts[q + 2] / s, pts[q + 3] / s]],
                   head: [[rec.lat, rec.lon], [pts[q + 4] / s, pts[q + 5] / s],
                          [pts[q + 6] / s, pts[q + 7] / s]]};
    });
    return out;
  }

  /* The popups' part of the records (sources, quotes, summaries): gzip'd chunks in the page,
   * each unpacked the first time one of its events is asked for. */
  function detailLoader(dataId, recs, size) {
    var chunks = [], done = [];
    function chunk(k) {
      if (!chunks[k]) {
        var text = document.getElementById(dataId + "-" + k).textContent.trim();
        var bin = atob(text), bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        chunks[k] = new Response(stream).json().then(function (part) {
          part.forEach(function (extra, j) { Object.assign(recs[k * size + j], extra); });
          done[k] = true;
        });
      }
      return chunks[k];
    }
    return {
      ready: function (rows) {
        return rows.every(function (i) { return done[Math.floor(i / size)]; });
      },
      load: function (rows) {
        var ks = Array.from(new Set(rows.map(function (i) { return Math.floor(i / size); })));
        return Promise.all(ks.map(chunk));
      }
    };
  }

  function mount(map, layers, dataId, legendId, controlId, switcher) {
    var L = window.L, started = performance.now();
    var doc = JSON.parse(document.getElementById(dataId).textContent);
    var style = doc.style, recs = records(doc.columns), n = recs.length;
    map.getContainer().style.background = style.water;
    map.attributionControl.addAttribution(style.attribution);

    // Page layout first (the event list narrows the map), so that events are drawn once.
    (F.early || []).forEach(function (f) { f(map, style); });
    var view = {map: map, layers: layers, unmapped: doc.unmapped, shownCount: n, layerOn: {},
                style: style, places: doc.places || [], switcher: switcher, listeners: [],
                visible: new Uint8Array(n).fill(1), wx: new Float64Array(n),
                wy: new Float64Array(n), px: new Float64Array(n), py: new Float64Array(n),
                dates: doc.columns.date.values.filter(Boolean).sort()};
    var details = detailLoader(dataId, recs, doc.detail_chunk);
    var lat = doc.columns.lat, lon = doc.columns.lon;
    view.cols = doc.columns;
    view.items = recs.map(function (rec, i) {
      view.wx[i] = worldX(rec.lon);
      view.wy[i] = worldY(rec.lat);
      var item = {rec: rec, row: i, layer: style.type_layers[rec.type] || "other",
                  visible: true};
      if (rec.arrow) {
        var pts = rec.arrow.shaft.concat(rec.arrow.head), world = new Float64Array(10);
        pts.forEach(function (ll, j) {
          world[2 * j] = worldX(ll[1]);
          world[2 * j + 1] = worldY(ll[0]);
        });
        item.arrowWorld = world;
        item.arrowKey = lat[i] * 4e7 + lon[i] + ":" + rec.arrow.shaft[0].join(",");
      }
      return item;
    });
    /* Resolves once the items' sources and quotes are in their records. */
    view.details = function (items) {
      return details.load(items.map(function (it) { return it.row; }));
    };
    view.markerBuckets = buckets(view, style, "markers");
    view.arrowBuckets = buckets(view, style, "arrows");
    view.ringBuckets = buckets(view, style, "denied");

    var pane = map.createPane("fl-events");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var EventCanvas = eventCanvasClass(L), Switch = switchClass(L);
    var canvas = new EventCanvas(view, {pane: "fl-events", padding: 0.3});
    view.canvas = canvas;
    view.changed = function (why) {
      view.listeners.forEach(function (f) { f(why); });
    };
    view.show = function (key, on) {
      view.layerOn[key] = on;
      canvas.redraw();
      view.changed("layers");
    };
    Object.keys(layers).forEach(function (key) {
      if (key !== "oblasts" && key.indexOf("control_") !== 0) {
        layers[key].addLayer(new Switch(view, key));
      }
    });
    canvas.addTo(map);

    view.filter = function (from, to, undated) {
      var shown = 0;
      view.items.forEach(function (item, i) {
        var d = item.rec.date;
        var visible = d ? (d >= from && d <= to) : undated;
        item.visible = visible;
        view.visible[i] = visible ? 1 : 0;
        if (visible) { shown++; }
      });
      view.shownCount = shown;
      canvas.redraw();
      if (view.control) { view.control.follow(to); }
      followCounts(view, style);
      view.changed("time");
    };
    view.popup = function (items, latlng) {
      if (!details.ready(items.map(function (it) { return it.row; }))) {
        return view.details(items).then(function () { return view.popup(items, latlng); });
      }
      var recs = items.map(function (it) { return it.rec; });
      var popup = L.popup({maxWidth: 360, maxHeight: 420, autoPanPadding: [20, 20]})
        .setLatLng(latlng || [recs[0].lat, recs[0].lon])
        .setContent(popupContent(recs, style));
      popup.frontlineIds = recs.map(function (r) { return r.id; });
      return popup.openOn(map);
    };
    view.select = function (id) {
      var item = view.items.find(function (it) { return it.rec.id === id; });
      if (!item) { return null; }
      map.setView([item.rec.lat, item.rec.lon], Math.max(map.getZoom(), 9), {animate: false});
      return view.popup([item]);
    };
    map.on("popupopen", function (e) {
      view.selected = e.popup.frontlineIds && e.popup.frontlineIds.length === 1 ?
        e.popup.frontlineIds[0] : null;
      view.changed("selected");
    });
    map.on("popupclose", function () {
      view.selected = null;
      view.changed("selected");
    });
    map.on("moveend", function () { view.changed("moved"); });
    map.on("click", function (e) {
      var group = canvas.groupAt(map.latLngToLayerPoint(e.latlng));
      if (group) {
        // Opens the group: far enough in that its members part, or to where none is grouped.
        var z = Math.min(map.getBoundsZoom(group.bounds.pad(0.2)), CLUSTER_BELOW);
        map.setView(group.bounds.getCenter(), Math.max(z, map.getZoom() + 1));
        return;
      }
      var found = canvas.hits(map.latLngToLayerPoint(e.latlng), false);
      if (found.length) { view.popup(found); }
    });
    var hovering = false;
    map.on("mousemove", function (e) {
      var point = map.latLngToLayerPoint(e.latlng);
      var hit = canvas.hits(point, true).length > 0 || !!canvas.groupHit(point);
      if (hit !== hovering) {
        hovering = hit;
        map.getContainer().classList.toggle("fl-hover", hit);
      }
    });
    var controlDoc = controlId && document.getElementById(controlId);
    if (controlDoc) {
      view.control = controlSeries(map, layers, JSON.parse(controlDoc.textContent));
    }
    var time = timeControl(L, view);
    time.addTo(map);
    var legend = document.getElementById(legendId);
    if (legend) { legendControl(L, legend, map).addTo(map); }
    if (switcher && smallScreen()) {
      // On a phone the layer list folds into Leaflet's button, and folds again on a map tap.
      switcher.collapse();
      map.on("click popupopen", function () { switcher.collapse(); });
    }
    var partsStarted = performance.now();
    parts.forEach(function (attach) { attach(view, L); });
    view.partsMs = performance.now() - partsStarted;
    view.mountMs = performance.now() - started;
    views[map.getContainer().id] = view;
    return view;
  }

  var F = window.Frontline = window.Frontline || {};
  var parts = F.parts = F.parts || [];
  F.mount = mount;
  F.views = views;
  F.popupContent = popupContent;
  F.el = el;
  F.smallScreen = smallScreen;
}());
