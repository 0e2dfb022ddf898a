/// The workspace's style sheet and script, served by the tool itself (no CDN, no build step).
enum WorkspaceAssets {
    static let css = """
    nav { margin-bottom: 1em; } nav a { margin-right: 1em; }
    #videos tr.hidden { display: none; }
    a.report { font-size: 0.85em; margin-left: 0.5em; }
    form p.failed:empty { display: none; }
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
    """
}
