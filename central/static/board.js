// Live board: listens to the server-sent events stream and refreshes the live section.
// No library, nothing from the internet. Progressive: without JavaScript the page is complete.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var live = document.getElementById("board-live");
  if (!live) { return; }
  var partialUrl = live.getAttribute("data-partial-url");
  var eventsUrl = live.getAttribute("data-events-url");
  var status = document.getElementById("live-status");
  var pending = null;
  var inFlight = false;
  var again = false;
  window.tdBoard = { updates: 0, lastUpdate: null, connected: false };

  function setStatus(on) {
    window.tdBoard.connected = on;
    if (!status) { return; }
    status.classList.toggle("on", on);
    var text = status.querySelector(".text");
    if (text) { text.textContent = on ? status.getAttribute("data-on") : status.getAttribute("data-off"); }
  }

  function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    fetch(partialUrl, { credentials: "same-origin", headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        var fresh = document.createElement("div");
        fresh.innerHTML = html;
        // Replace only the figures that changed, so the page does not jump.
        var changed = 0;
        var opened = {};
        live.querySelectorAll("details[id]").forEach(function (d) { opened[d.id] = d.open; });
        fresh.querySelectorAll("[data-block]").forEach(function (block) {
          var old = live.querySelector('[data-block="' + block.getAttribute("data-block") + '"]');
          if (old && old.innerHTML !== block.innerHTML) {
            old.innerHTML = block.innerHTML;
            old.classList.remove("flash"); void old.offsetWidth; old.classList.add("flash");
            changed += 1;
          }
        });
        live.querySelectorAll("details[id]").forEach(function (d) {
          if (opened[d.id]) { d.open = true; }
        });
        window.tdBoard.updates += 1;
        window.tdBoard.lastUpdate = Date.now();
        var stamp = document.getElementById("live-updated");
        if (stamp) { stamp.textContent = new Date().toLocaleTimeString("es-MX", { timeZone: "America/Mexico_City" }); }
        return changed;
      })
      .catch(function () { /* the next event or reconnect retries */ })
      .then(function () {
        inFlight = false;
        if (again) { again = false; refresh(); }
      });
  }

  // Refresh at once on the first event, then at most twice a second however many kiosks push:
  // a figure changes well within the 2 s target and the server is not asked more than it must.
  var MIN_INTERVAL_MS = 500;
  var lastStart = 0;
  function schedule() {
    if (pending) { return; }
    var wait = Math.max(50, lastStart + MIN_INTERVAL_MS - Date.now());
    pending = setTimeout(function () { pending = null; lastStart = Date.now(); refresh(); }, wait);
  }

  if (!eventsUrl || !window.EventSource) { return; }
  var source = new EventSource(eventsUrl, { withCredentials: true });
  source.addEventListener("open", function () { setStatus(true); });
  source.addEventListener("error", function () { setStatus(false); });
  var readies = 0;
  source.addEventListener("ready", function () {
    setStatus(true);
    readies += 1;
    if (readies > 1) { schedule(); }  // reconnected: catch up on what happened meanwhile
  });
  source.addEventListener("update", schedule);
  source.addEventListener("message", schedule);
})();
