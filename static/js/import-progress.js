// The import job's page while the job runs: asks the API for the progress every few seconds,
// shows it, and reloads the page (with the report) once the job has finished. Without
// JavaScript the page has a link to reload it.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status-url");
  var template = box.getAttribute("data-progress-template");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var INTERVAL_MS = 3000;

  function show(job) {
    if (job.total_rows) {
      bar.max = job.total_rows;
      bar.value = job.processed_rows;
      text.textContent = template
        .replace("{processed}", job.processed_rows)
        .replace("{total}", job.total_rows);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (job) {
          show(job);
          if (job.status === "done" || job.status === "failed") {
            window.location.reload();
            return;
          }
        }
        window.setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL_MS);
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
