// Registers the service worker that lets the Hub be installed on a phone (and so appear in its share sheet).
(function () {
  "use strict";
  var script = document.currentScript;
  var address = script && script.dataset.serviceWorker;
  if (!address || !("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(address, { scope: "/" }).catch(function () {
      // The Hub works the same without it; it only cannot be installed.
    });
  });
})();
