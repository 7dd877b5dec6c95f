// Kindred: while a CSV import runs, update its progress line in place
// (the page works without this: it links to itself). Our own script, no
// library; the page's policy allows only scripts and requests of our own.
(function () {
  "use strict";
  var line = document.getElementById("import-progress");
  if (!line || line.getAttribute("data-running") !== "yes") {
    return;
  }
  var timer = setInterval(function () {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-progress");
        if (!fresh) {
          return;
        }
        if (fresh.getAttribute("data-running") !== "yes") {
          clearInterval(timer);
          window.location.reload();
          return;
        }
        line.textContent = fresh.textContent;
      })
      .catch(function () { clearInterval(timer); });
  }, 1500);
})();
