// While a classifier training is queued or running, fetch its page every few seconds and show the latest
// status and progress in place: no reload, so the reader keeps their place, and the status line is announced.
(function () {
  "use strict";
  var EVERY = 4000;
  var live = document.getElementById("training-live");
  var announce = document.getElementById("training-announce");
  if (!live || live.getAttribute("data-in-progress") !== "true") { return; }

  function show(fresh, freshAnnounce) {
    var nodes = Array.prototype.map.call(fresh.childNodes, function (node) { return document.importNode(node, true); });
    live.replaceChildren.apply(live, nodes);
    live.setAttribute("data-in-progress", fresh.getAttribute("data-in-progress"));
    if (announce && freshAnnounce && announce.textContent !== freshAnnounce.textContent) {
      announce.textContent = freshAnnounce.textContent;
    }
  }

  function update() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("training-live");
        if (!fresh) { return; }
        show(fresh, page.getElementById("training-announce"));
        if (fresh.getAttribute("data-in-progress") === "true") { window.setTimeout(update, EVERY); }
      })
      .catch(function () { window.setTimeout(update, EVERY * 3); });
  }

  window.setTimeout(update, EVERY);
})();
