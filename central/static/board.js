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

  // Replace only the blocks that changed, so the page does not jump.
  function apply(fresh) {
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
  }

  // The whole live section (after connecting, or when an update came without its blocks).
  function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    fetch(partialUrl, { credentials: "same-origin", headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        var fresh = document.createElement("div");
        fresh.innerHTML = html;
        return apply(fresh);
      })
      .catch(function () { /* the next event or reconnect retries */ })
      .then(function () {
        inFlight = false;
        if (again) { again = false; refresh(); }
      });
  }

  // An update names the blocks that changed and brings them: the server built them once for
  // every viewer of this node, so nothing is asked back.
  function update(event) {
    var data = null;
    try { data = JSON.parse(event.data); } catch (e) { data = null; }
    if (!data || !data.blocks) { schedule(); return; }
    var fresh = document.createElement("div");
    Object.keys(data.blocks).forEach(function (name) {
      var section = document.createElement("section");
      section.setAttribute("data-block", name);
      section.innerHTML = data.blocks[name];
      fresh.appendChild(section);
    });
    apply(fresh);
  }

  // A full refresh at most twice a second.
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
  source.addEventListener("ready", function () {
    setStatus(true);
    // Connected: catch up on what landed between the page (or the last stream) and now.
    schedule();
  });
  source.addEventListener("update", update);
  source.addEventListener("message", schedule);
})();
