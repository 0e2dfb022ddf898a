/// The workspace's style sheet and script, served by the tool itself (no CDN, no build step).
enum WorkspaceAssets {
    static let css = """
    nav { margin-bottom: 1em; } nav a { margin-right: 1em; }
    #videos tr.hidden { display: none; }
    a.report { font-size: 0.85em; margin-left: 0.5em; }
    form p.failed:empty, #run-panel p.failed:empty, #progress:empty { display: none; }
    .hidden-label { position: absolute; left: -9999px; }
    #progress { background: #f3f3f3; padding: 0.5em; margin: 0.3em 0; } #outcomes { max-height: 16em; overflow: auto; }
    #players { display: flex; gap: 0.5em; flex-wrap: wrap; } #players figure { flex: 1 1 30%; margin: 0; min-width: 220px; }
    #players video { width: 100%; background: #000; } #controls { display: flex; gap: 0.6em; align-items: center; }
    #controls input[type=range] { flex: 1; } svg[data-t0] { cursor: crosshair; } line.cursor { pointer-events: none; }
    #exam-strip rect.segment { cursor: ew-resize; } #exam-strip rect.selected { stroke: #000; stroke-width: 2; }
    #exam-strip text { pointer-events: none; } #timeline-editor button { margin-right: 0.3em; }
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
    // The study page's Run and Stop, and the progress its event stream sends: the batch line and a line
    // per running video (as the terminal shows them); each video's status cell follows its outcome.
    (function () {
      var panel = document.getElementById("run-panel");
      if (!panel) { return; }
      var run = document.getElementById("run"), stop = document.getElementById("stop"), jobs = document.getElementById("jobs");
      var progress = document.getElementById("progress"), outcomes = document.getElementById("outcomes"), error = document.getElementById("run-error");
      var selected = document.getElementById("selected"), canRun = !run.disabled;
      var picks = Array.prototype.slice.call(document.querySelectorAll("input.pick"));
      function count() {
        var n = picks.filter(function (p) { return p.checked; }).length;
        selected.textContent = n ? n + " ticked" : "none ticked";
      }
      picks.forEach(function (p) { p.addEventListener("change", count); });
      document.getElementById("select-unprocessed").addEventListener("click", function () {
        picks.forEach(function (p) {
          var status = p.closest("tr").dataset.status;
          p.checked = status === "queued" || status === "failed";
        });
        count();
      });
      function answer(r) {
        return r.json().then(function (a) { error.textContent = r.ok ? "" : (a.error || ("failed: " + r.status)); });
      }
      run.addEventListener("click", function () {
        run.disabled = true;
        var videos = picks.filter(function (p) { return p.checked; }).map(function (p) { return p.value; });
        post(panel.dataset.run, { jobs: parseInt(jobs.value, 10) || 1, videos: videos }).then(answer);
      });
      stop.addEventListener("click", function () { stop.disabled = true; post(panel.dataset.stop, {}).then(answer); });
      function show(state) {
        var active = state.phase && state.phase !== "ended";
        run.disabled = !canRun || active;
        stop.disabled = !active || state.phase === "stopping";
        panel.dataset.phase = state.phase || "";
        if (!state.phase) { return; }
        var lines = [];
        if (state.batch) { lines.push(state.batch); }
        (state.videos || []).forEach(function (v) { lines.push("  " + v); });
        if (state.phase === "starting") { lines.push("starting: loading the models…"); }
        if (state.phase === "stopping") { lines.push("stopping: the running videos end after their frame…"); }
        if (state.phase === "ended") { lines.push("run " + state.run + " ended"); }
        document.getElementById("run-ended").hidden = state.phase !== "ended" || !Object.keys(state.statuses || {}).length;
        progress.textContent = lines.join("\\n");
        outcomes.textContent = (state.outcomes || []).join("\\n");
        if (state.error) { error.textContent = state.error; }
        Object.keys(state.statuses || {}).forEach(function (key) {
          picks.forEach(function (p) {
            if (p.value !== key) { return; }
            var row = p.closest("tr"), label = state.statuses[key];
            row.dataset.status = label === "no face" ? "no-face" : label;
            row.querySelector("td.status").textContent = label;
          });
        });
      }
      var source = new EventSource(panel.dataset.events);
      source.addEventListener("run", function (event) { show(JSON.parse(event.data)); });
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
    // The exam's timeline as the upstream coding tool edits it: select a segment, drag an edge or the
    // whole of it, relabel it, add one at the cursor, delete, undo; Save writes the coding and the page
    // shows the exam made again.
    (function () {
      var exam = document.getElementById("exam"), svg = document.getElementById("exam-strip");
      if (!exam || !svg) { return; }
      if (svg.dataset.binned) {
        // Drawn per column (more segments than columns): not editable here.
        var note = document.createElement("p");
        note.id = "timeline-editor";
        note.className = "muted";
        note.textContent = "This timeline has " + svg.dataset.binned + " segments, more than the strip has columns: it is drawn per column " +
          "and cannot be edited here. Correct it in the video's coding file (<stem>_actions.csv beside the outputs) instead.";
        svg.parentNode.parentNode.insertBefore(note, svg.parentNode.nextSibling);
        return;
      }
      var NS = "http://www.w3.org/2000/svg", d = svg.dataset, t0 = +d.t0, t1 = +d.t1, x0 = +d.x0, x1 = +d.x1;
      var colours = { BL: "#d9d9d9", RE: "#6baed6", FR: "#6baed6", ES: "#74c476", ET: "#74c476", BK: "#74c476", WN: "#9e9ac8" };
      var segments = Array.prototype.slice.call(svg.querySelectorAll("rect.segment")).map(function (r) {
        return { action: r.dataset.action, start: +r.dataset.start, end: +r.dataset.end };
      });
      var history = [], selected = -1, drag = null;
      var bar = document.createElement("p");
      bar.id = "timeline-editor";
      bar.innerHTML = '<label>Movement <select id="segment-code"></select></label> <button type="button" id="segment-add">Add at the cursor</button>' +
        '<button type="button" id="segment-delete">Delete</button><button type="button" id="timeline-undo">Undo</button>' +
        '<button type="button" id="timeline-save">Save</button> <span id="timeline-message" role="status"></span>';
      svg.parentNode.parentNode.insertBefore(bar, svg.parentNode.nextSibling);
      var select = document.getElementById("segment-code"), message = document.getElementById("timeline-message");
      exam.dataset.codes.split(" ").forEach(function (code) {
        var option = document.createElement("option");
        option.value = code; option.textContent = code;
        select.appendChild(option);
      });
      function x(t) { return x0 + (t - t0) / (t1 - t0) * (x1 - x0); }
      function at(clientX) {
        var box = svg.getBoundingClientRect(), vx = (clientX - box.left) / box.width * svg.viewBox.baseVal.width;
        return Math.min(Math.max(t0 + (vx - x0) / (x1 - x0) * (t1 - t0), t0), t1);
      }
      function say(text) { message.textContent = text; }
      function render() {
        Array.prototype.slice.call(svg.querySelectorAll("rect.segment, text.segment-label")).forEach(function (n) { n.remove(); });
        segments.forEach(function (s, i) {
          var r = document.createElementNS(NS, "rect"), w = Math.max(0.5, x(s.end) - x(s.start));
          r.setAttribute("class", "segment" + (i === selected ? " selected" : ""));
          r.dataset.action = s.action; r.dataset.start = String(s.start); r.dataset.end = String(s.end); r.dataset.index = String(i);
          r.setAttribute("x", x(s.start).toFixed(1)); r.setAttribute("y", "6"); r.setAttribute("width", w.toFixed(1)); r.setAttribute("height", "22");
          r.setAttribute("fill", colours[s.action] || (s.action === "??" ? "#737373" : "#fd8d3c"));
          var tip = document.createElementNS(NS, "title");
          tip.textContent = s.action + " " + s.start.toFixed(2) + "-" + s.end.toFixed(2) + " s";
          r.appendChild(tip);
          svg.insertBefore(r, svg.querySelector("line.cursor"));
          if (w >= 18) {
            var label = document.createElementNS(NS, "text");
            label.setAttribute("class", "segment-label"); label.setAttribute("x", (x(s.start) + w / 2).toFixed(1)); label.setAttribute("y", "21");
            label.setAttribute("font-size", "11"); label.setAttribute("text-anchor", "middle"); label.textContent = s.action;
            svg.appendChild(label);
          }
        });
        exam.dataset.segments = JSON.stringify(segments);
      }
      function remember() { history.push(JSON.stringify(segments)); say("not saved"); }
      svg.addEventListener("mousedown", function (event) {
        var target = event.target;
        if (!target.classList || !target.classList.contains("segment")) { return; }
        selected = +target.dataset.index;
        var s = segments[selected], t = at(event.clientX), edge = 5 * (t1 - t0) / (x1 - x0);
        select.value = s.action;
        // A neighbour that touches the segment moves its shared edge with it (and keeps 0.05 s of its own).
        var prev = selected > 0 ? segments[selected - 1] : null, next = selected < segments.length - 1 ? segments[selected + 1] : null;
        var prevJoined = !!prev && Math.abs(prev.end - s.start) < 1e-6, nextJoined = !!next && Math.abs(next.start - s.end) < 1e-6;
        drag = { mode: Math.abs(t - s.start) <= edge ? "start" : Math.abs(t - s.end) <= edge ? "end" : "move", from: t, start: s.start, end: s.end, moved: false,
                 prev: prevJoined ? prev : null, next: nextJoined ? next : null,
                 lo: prev ? (prevJoined ? prev.start + 0.05 : prev.end) : t0, hi: next ? (nextJoined ? next.end - 0.05 : next.start) : t1 };
        event.preventDefault();
        render();
      });
      window.addEventListener("mousemove", function (event) {
        if (!drag) { return; }
        var s = segments[selected], t = at(event.clientX), shift = t - drag.from, least = 0.05;
        if (!drag.moved) { if (Math.abs(shift) < 1e-3) { return; } remember(); drag.moved = true; }
        if (drag.mode === "start") { s.start = Math.min(Math.max(drag.start + shift, drag.lo), s.end - least); }
        else if (drag.mode === "end") { s.end = Math.max(Math.min(drag.end + shift, drag.hi), s.start + least); }
        else {
          var length = drag.end - drag.start, start = Math.min(Math.max(drag.start + shift, drag.lo), drag.hi - length);
          s.start = start; s.end = start + length;
        }
        if (drag.prev) { drag.prev.end = s.start; }
        if (drag.next) { drag.next.start = s.end; }
        render();
      });
      window.addEventListener("mouseup", function () { drag = null; });
      select.addEventListener("change", function () {
        if (selected < 0) { say("select a segment first"); return; }
        remember();
        segments[selected].action = select.value;
        render();
      });
      document.getElementById("segment-add").addEventListener("click", function () {
        var t = +(document.body.dataset.time || 0), inside = -1;
        segments.forEach(function (s, i) { if (t >= s.start && t < s.end) { inside = i; } });
        var code = select.value;
        if (inside >= 0 && segments[inside].action !== "BL") { say("the cursor is inside a movement: move it to rest or to a gap"); return; }
        remember();
        if (inside >= 0) {
          var rest = segments[inside], end = Math.min(t + 1, rest.end), pieces = [];
          if (t - rest.start > 0.05) { pieces.push({ action: "BL", start: rest.start, end: t }); }
          pieces.push({ action: code, start: t, end: end });
          if (rest.end - end > 0.05) { pieces.push({ action: "BL", start: end, end: rest.end }); }
          segments.splice.apply(segments, [inside, 1].concat(pieces));
        } else {
          var next = segments.filter(function (s) { return s.start > t; })[0];
          segments.push({ action: code, start: t, end: Math.min(t + 1, next ? next.start : t1) });
          segments.sort(function (a, b) { return a.start - b.start; });
        }
        selected = segments.findIndex(function (s) { return s.start === t; });
        render();
      });
      document.getElementById("segment-delete").addEventListener("click", function () {
        if (selected < 0) { say("select a segment first"); return; }
        remember();
        segments.splice(selected, 1);
        selected = -1;
        render();
      });
      document.getElementById("timeline-undo").addEventListener("click", function () {
        if (!history.length) { say("nothing to undo"); return; }
        segments = JSON.parse(history.pop());
        selected = -1;
        render();
        say(history.length ? "not saved" : "");
      });
      document.getElementById("timeline-save").addEventListener("click", function () {
        if (segments.some(function (s) { return s.action === "??"; })) { say("give each ?? segment a code, or delete it, before saving"); return; }
        say("saving…");
        post(exam.dataset.save, { segments: segments }).then(function (r) {
          return r.json().then(function (answer) {
            if (r.ok) { window.location.reload(); } else { say(answer.error || ("failed: " + r.status)); }
          });
        });
      });
      render();
    })();
    """
}
