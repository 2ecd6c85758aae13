/* Frontline web map: the view, the filters and the selected event kept in the URL's fragment,
 * so that a link shows a reader the same map and a reload loses nothing.
 *
 * The fragment, not the query, because the standalone file is opened from file:// and the
 * API's /map already reads its query as the events to draw:
 *   #map=ZOOM/LAT/LON&from=DATE&to=DATE&undated=0&off=LAYER,LAYER&sort=status&event=ID
 * Anything in it that the page does not know is ignored.
 */
(function () {
  "use strict";

  var F = window.Frontline = window.Frontline || {};
  var parts = F.parts = F.parts || [];
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  function read(hash) {
    var p = new URLSearchParams(hash.replace(/^#/, "")), out = {};
    var at = (p.get("map") || "").split("/").map(Number);
    if (at.length === 3 && at.every(isFinite) && Math.abs(at[1]) <= 90 &&
        Math.abs(at[2]) <= 180) {
      out.map = at;
    }
    ["from", "to"].forEach(function (k) { if (DATE.test(p.get(k) || "")) { out[k] = p.get(k); } });
    if (p.has("undated")) { out.undated = p.get("undated") !== "0"; }
    if (p.has("off")) { out.off = p.get("off").split(",").filter(Boolean); }
    if (p.get("sort")) { out.sort = p.get("sort"); }
    if (p.get("event")) { out.event = p.get("event"); }
    return out;
  }

  function write(view) {
    var map = view.map, c = map.getCenter(), z = map.getZoom(), p = new URLSearchParams();
    var digits = Math.max(2, Math.ceil(Math.log(z + 1) / Math.LN2));
    p.set("map", z + "/" + c.lat.toFixed(digits) + "/" + c.lng.toFixed(digits));
    var t = view.time;
    if (t && !t.all) {
      if (t.from !== view.timeRange[0]) { p.set("from", t.from); }
      if (t.to !== view.timeRange[1]) { p.set("to", t.to); }
      if (!t.undated) { p.set("undated", "0"); }
    }
    var off = Object.keys(view.layers).filter(function (k) {
      return !map.hasLayer(view.layers[k]);
    });
    if (off.length) { p.set("off", off.join(",")); }
    if (view.sort && view.sort !== "date") { p.set("sort", view.sort); }
    if (view.selected) { p.set("event", view.selected); }
    return "#" + p.toString().replace(/%2F/g, "/").replace(/%2C/g, ",");
  }

  function apply(view, state) {
    var map = view.map, range = view.timeRange || ["", ""];
    if (view.setTime && (state.from || state.to || state.undated === false)) {
      view.setTime(state.from || range[0], state.to || range[1], state.undated !== false);
    }
    Object.keys(view.layers).forEach(function (k) {
      var off = (state.off || []).indexOf(k) >= 0, layer = view.layers[k];
      if (off && map.hasLayer(layer)) { map.removeLayer(layer); }
      if (!off && state.off && !map.hasLayer(layer)) { map.addLayer(layer); }
    });
    if (state.sort && view.setSort) { view.setSort(state.sort); }
    if (state.map) { map.setView([state.map[1], state.map[2]], state.map[0], {animate: false}); }
    if (state.event) {
      var item = view.items.find(function (it) { return it.rec.id === state.event; });
      if (item && state.map) { view.popup([item]); }
      else if (item) { view.select(item.rec.id); }
    }
  }

  parts.push(function (view) {
    var restoring = true, pending = false;
    function save() {
      pending = false;
      var hash = write(view);
      if (hash !== location.hash) {
        history.replaceState(history.state, "", hash);
      }
      view.hash = hash;
    }
    function schedule() {
      if (restoring || pending) { return; }
      pending = true;
      setTimeout(save, 50);
    }
    view.listeners.push(schedule);
    view.map.on("overlayadd overlayremove", schedule);
    window.addEventListener("hashchange", function () {
      if (location.hash === view.hash) { return; }
      restoring = true;
      apply(view, read(location.hash));
      restoring = false;
      schedule();
    });
    apply(view, read(location.hash));
    restoring = false;
    schedule();
  });
  F.readState = read;
}());
