// Pick the platform from the link as the volunteer types it, unless they chose one themselves.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var domainsNode = document.getElementById("platform-domains");
  if (!form || !domainsNode) { return; }
  var domains = JSON.parse(domainsNode.textContent);
  var url = form.querySelector("[name=post_url]");
  var platform = form.querySelector("[name=platform]");
  var chosenByHand = platform.value !== "";

  function platformFor(value) {
    var host;
    try { host = new URL(/^[a-z]+:\/\//i.test(value) ? value : "https://" + value).hostname.toLowerCase(); }
    catch (e) { return ""; }
    var labels = host.replace(/\.$/, "").split(".");
    for (var i = 0; i < labels.length - 1; i++) {
      var match = domains[labels.slice(i).join(".")];
      if (match) { return match; }
    }
    return host.indexOf(".") > 0 ? "other" : "";
  }

  platform.addEventListener("change", function () { chosenByHand = platform.value !== ""; });
  url.addEventListener("input", function () {
    if (!chosenByHand) { platform.value = platformFor(url.value.trim()); }
  });
})();

// A second tap on "Send report" while the first is on its way sends nothing more.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending === "yes") { event.preventDefault(); return; }
    form.dataset.sending = "yes";
    var button = form.querySelector("[type=submit]");
    if (button) { button.setAttribute("aria-disabled", "true"); button.value = "Sending…"; }
  });
  // Back to this page from the browser's cache: ready to send again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    delete form.dataset.sending;
    var button = form.querySelector("[type=submit]");
    if (button) { button.removeAttribute("aria-disabled"); button.value = "Send report"; }
  });
})();
