/// The workspace's style sheet and script, served by the tool itself (no CDN, no build step).
enum WorkspaceAssets {
    static let css = """
    nav { margin-bottom: 1em; } nav a { margin-right: 1em; }
    #videos tr.hidden { display: none; }
    a.report { font-size: 0.85em; margin-left: 0.5em; }
    form p.failed:empty { display: none; }
    #players { display: flex; gap: 0.5em; flex-wrap: wrap; } #players figure { flex: 1 1 30%; margin: 0; min-width: 220px; }
    #players video { width: 100%; background: #000; } #controls { display: flex; gap: 0.6em; align-items: center; }
    #controls input[type=range] { flex: 1; } svg[data-t0] { cursor: crosshair; } line.cursor { pointer-events: none; }
    """

    /// Posts the pages' forms as JSON with the CSRF token; filters the study table by search text and status.
    static let js = """
    "use strict";
    function csrfToken() { return document.querySelector('meta[name="csrf-token"]').content; }
    function post(url, body) {
      return fetch(url, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() }, body: JSON.stringify(body) });
    }
    document.querySelectorAll("form[data-post]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = {};
        new FormData(form).forEach(function (value, key) { body[key] = value; });
        var error = form.querySelector("[role=alert]");
        post(form.dataset.post, body).then(function (r) {
          return r.json().then(function (answer) {
            if (r.ok) { window.location.href = answer.location || window.location.href; }
            else if (error) { error.textContent = answer.error || ("failed: " + r.status); }
          });
        });
      });
    });
    (function () {
      var table = document.getElementById("videos");
      if (!table) { return; }
      var search = document.getElementById("search"), status = document.getElementById("status-filter"), shown = document.getElementById("shown");
      function filter() {
        var text = search.value.toLowerCase(), wanted = status.value, count = 0, rows = table.tBodies[0].rows;
        for (var i = 0; i < rows.length; i++) {
          var row = rows[i];
          var show = row.dataset.path.toLowerCase().indexOf(text) >= 0 && (!wanted || row.dataset.status === wanted);
          row.classList.toggle("hidden", !show);
          if (show) { count++; }
        }
        shown.textContent = count + " of " + rows.length + " shown";
      }
      search.addEventListener("input", filter);
      status.addEventListener("change", filter);
      filter();
    })();
    // The video page: the three videos in step under one play/pause and one seek bar; a cursor on every
    // time axis (plots, timeline) that follows playback; a click on an axis seeks there.
    (function () {
      var players = Array.prototype.slice.call(document.querySelectorAll("video.synced"));
      if (!players.length) { return; }
      var lead = players[0], seek = document.getElementById("seek"), clock = document.getElementById("clock"), button = document.getElementById("play");
      var axes = Array.prototype.slice.call(document.querySelectorAll("svg[data-t0]"));
      function cursor(svg) {
        var line = svg.querySelector("line.cursor");
        if (!line) {
          line = document.createElementNS("http://www.w3.org/2000/svg", "line");
          line.setAttribute("class", "cursor");
          line.setAttribute("y1", "0");
          line.setAttribute("y2", String(svg.viewBox.baseVal.height));
          line.setAttribute("stroke", "#000");
          line.setAttribute("stroke-width", "1.5");
          svg.appendChild(line);
        }
        return line;
      }
      function draw(t) {
        seek.value = String(t);
        clock.textContent = t.toFixed(2) + " s";
        document.body.dataset.time = String(t);
        axes.forEach(function (svg) {
          var d = svg.dataset, t0 = +d.t0, t1 = +d.t1, x0 = +d.x0, x1 = +d.x1;
          var x = x0 + (Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0) * (x1 - x0);
          var line = cursor(svg);
          line.setAttribute("x1", x.toFixed(2));
          line.setAttribute("x2", x.toFixed(2));
        });
      }
      function go(t) {
        players.forEach(function (v) { v.currentTime = t; });
        draw(t);
      }
      function follow() {
        var t = lead.currentTime;
        players.slice(1).forEach(function (v) { if (Math.abs(v.currentTime - t) > 0.12) { v.currentTime = t; } });
        draw(t);
        if (!lead.paused) { window.requestAnimationFrame(follow); }
      }
      button.addEventListener("click", function () {
        if (lead.paused) { players.forEach(function (v) { v.play(); }); } else { players.forEach(function (v) { v.pause(); }); }
      });
      lead.addEventListener("play", function () { button.textContent = "Pause"; window.requestAnimationFrame(follow); });
      lead.addEventListener("pause", function () { button.textContent = "Play"; draw(lead.currentTime); });
      lead.addEventListener("seeked", function () { draw(lead.currentTime); });
      lead.addEventListener("loadedmetadata", function () { if (isFinite(lead.duration)) { seek.max = String(lead.duration); } });
      seek.addEventListener("input", function () { go(parseFloat(seek.value)); });
      axes.forEach(function (svg) {
        svg.addEventListener("click", function (event) {
          var box = svg.getBoundingClientRect(), d = svg.dataset;
          var x = (event.clientX - box.left) / box.width * svg.viewBox.baseVal.width;
          var t = +d.t0 + (x - +d.x0) / (+d.x1 - +d.x0) * (+d.t1 - +d.t0);
          go(Math.min(Math.max(t, +d.t0), +d.t1));
        });
      });
      draw(0);
    })();
    """
}
