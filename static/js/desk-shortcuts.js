// Keyboard shortcuts of the officers' desk. On the queue: j and k choose the next or previous case, Enter opens
// it, c claims it. On a case page: j and k open the next or previous case of the queue page the officer came
// from, c claims the case. Everywhere ? lists the shortcuts. Each shortcut says what it did in a live region,
// so a screen reader hears it; keys typed into a field are left alone. Single keys can be set off by a slip or
// by speech input (WCAG 2.1.4), so the list has a switch that turns them all off, remembered on this browser.
// A shortcut that would leave the page does nothing while a form holds something not yet sent.
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  var announcer = document.getElementById("desk-announcer");
  var dialog = document.getElementById("shortcuts-help");
  if (!desk || !announcer || !dialog) {
    return;
  }
  var page = desk.dataset.page;
  // The queue page's cases in its order, so a case page knows its neighbours; and a note that a claim was
  // asked for, so the page that follows says how it went.
  var ORDER_KEY = "hub.desk.order";
  var CLAIMED_KEY = "hub.desk.claimed";
  var ENABLED_KEY = "hub.desk.shortcuts";
  var toggle = document.getElementById("shortcuts-enabled");
  var toggleSaid = document.getElementById("shortcuts-state");
  // Fields where a key is text being typed; a checkbox, a radio button or a button is not.
  var TEXT_INPUTS = [
    "text",
    "search",
    "email",
    "url",
    "tel",
    "password",
    "number",
    "date",
    "datetime-local",
    "month",
    "time",
    "week",
  ];

  function say(text) {
    // Emptied first, so the same words said twice are announced twice.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 100);
  }

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    var tag = target.tagName.toLowerCase();
    if (tag === "input") {
      return TEXT_INPUTS.indexOf(target.type) !== -1;
    }
    return tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function changed(field) {
    if (field.tagName.toLowerCase() === "select") {
      if (field.multiple) {
        return Array.prototype.some.call(field.options, function (option) {
          return option.selected !== option.defaultSelected;
        });
      }
      // With no option marked as chosen, the browser shows the first.
      var chosen = 0;
      for (var i = 0; i < field.options.length; i += 1) {
        if (field.options[i].defaultSelected) {
          chosen = i;
          break;
        }
      }
      return field.options.length > 0 && field.selectedIndex !== chosen;
    }
    return field.value !== field.defaultValue;
  }

  function unsent() {
    // Text typed or a choice made in any of the page's forms, not yet sent. Ticked boxes are a selection, not
    // something typed: they do not count.
    var fields = document.querySelectorAll("main form textarea, main form select, main form input");
    return Array.prototype.some.call(fields, function (field) {
      return !field.disabled && (field.tagName.toLowerCase() !== "input" || typing(field)) && changed(field);
    });
  }

  function leavingIsSafe() {
    if (unsent()) {
      say("You have unsent text in a form: send or clear it first.");
      return false;
    }
    return true;
  }

  function enabled() {
    try {
      return window.localStorage.getItem(ENABLED_KEY) !== "off";
    } catch (error) {
      return true;
    }
  }

  function setEnabled(on) {
    try {
      if (on) {
        window.localStorage.removeItem(ENABLED_KEY);
      } else {
        window.localStorage.setItem(ENABLED_KEY, "off");
      }
    } catch (error) {
      // Storage refused (a private window): the choice holds for this page only.
    }
    // Said inside the dialog: while it is open, the rest of the page is out of a screen reader's reach.
    toggleSaid.textContent = on
      ? "Single-key shortcuts are on."
      : "Single-key shortcuts are off. Turn them on again here; the Keyboard shortcuts button stays.";
  }

  function rows() {
    // The table on wide screens, the cards on a phone: only the one shown counts.
    return Array.prototype.filter.call(document.querySelectorAll("[data-said]"), function (row) {
      return row.getClientRects().length > 0;
    });
  }

  function currentRow(list) {
    var active = document.activeElement;
    for (var i = 0; i < list.length; i += 1) {
      if (list[i] === active || list[i].contains(active)) {
        return i;
      }
    }
    return -1;
  }

  function readOrder() {
    try {
      return JSON.parse(window.sessionStorage.getItem(ORDER_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function pageMessage() {
    var alert = document.querySelector("main .alert");
    return alert ? alert.textContent.trim() : "";
  }

  function openHelp() {
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  var openButton = document.getElementById("shortcuts-open");
  var turnedOn = enabled();

  function showState() {
    toggle.checked = turnedOn;
    // The button offers ? only while ? works.
    if (turnedOn) {
      openButton.setAttribute("aria-keyshortcuts", "?");
    } else {
      openButton.removeAttribute("aria-keyshortcuts");
    }
  }

  showState();
  toggle.addEventListener("change", function () {
    turnedOn = toggle.checked;
    setEnabled(turnedOn);
    showState();
  });

  openButton.addEventListener("click", openHelp);
  document.getElementById("shortcuts-close").addEventListener("click", function () {
    dialog.close();
  });

  // Queue ------------------------------------------------------------------------------------------------------

  function moveOnQueue(step) {
    var list = rows();
    if (!list.length) {
      say("No cases on this page.");
      return;
    }
    var index = currentRow(list);
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : index + step;
    if (next < 0 || next >= list.length) {
      say(next < 0 ? "This is the first case on this page." : "This is the last case on this page.");
      return;
    }
    var row = list[next];
    row.focus();
    row.scrollIntoView({ block: "nearest" });
    say(row.dataset.said + ". " + (next + 1) + " of " + list.length + " on this page.");
  }

  function claimOnQueue() {
    var list = rows();
    var index = currentRow(list);
    if (index === -1) {
      say("Choose a case first with j or k.");
      return;
    }
    var button = list[index].querySelector("[data-claim]");
    if (!button) {
      say("Case " + list[index].dataset.case + " is already held.");
      return;
    }
    if (!leavingIsSafe()) {
      return;
    }
    window.sessionStorage.setItem(CLAIMED_KEY, list[index].dataset.case);
    say("Claiming case " + list[index].dataset.case + ".");
    button.click();
  }

  function openOnQueue(event) {
    var list = rows();
    var index = list.indexOf(document.activeElement);
    if (index !== -1) {
      event.preventDefault();
      if (!leavingIsSafe()) {
        return;
      }
      window.location.assign(list[index].dataset.caseUrl);
    }
  }

  // Case page --------------------------------------------------------------------------------------------------

  function moveFromCase(step) {
    var order = readOrder();
    var here = Number(desk.dataset.case);
    var index = order ? order.ids.indexOf(here) : -1;
    if (index === -1) {
      say("Open a case from the queue to move between its cases with j and k.");
      return;
    }
    var next = index + step;
    if (next < 0 || next >= order.ids.length) {
      say(next < 0 ? "This is the first case of that queue page." : "This is the last case of that queue page.");
      return;
    }
    if (!leavingIsSafe()) {
      return;
    }
    say("Opening case " + order.ids[next] + ".");
    window.location.assign(desk.dataset.caseUrl.replace(/\/0\/$/, "/" + order.ids[next] + "/"));
  }

  function claimOnCase() {
    var button = desk.querySelector("[data-claim]");
    if (!button) {
      var holder = document.getElementById("held-by");
      say(holder ? holder.textContent.trim() : "You are already working on this case.");
      return;
    }
    if (!leavingIsSafe()) {
      return;
    }
    window.sessionStorage.setItem(CLAIMED_KEY, desk.dataset.case);
    say("Claiming case " + desk.dataset.case + ".");
    button.click();
  }

  // Keys -------------------------------------------------------------------------------------------------------

  document.addEventListener("keydown", function (event) {
    if (!turnedOn || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || dialog.open) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var onQueue = page === "queue";
    switch (event.key) {
      case "?":
        event.preventDefault();
        openHelp();
        break;
      case "j":
        event.preventDefault();
        if (onQueue) {
          moveOnQueue(1);
        } else {
          moveFromCase(1);
        }
        break;
      case "k":
        event.preventDefault();
        if (onQueue) {
          moveOnQueue(-1);
        } else {
          moveFromCase(-1);
        }
        break;
      case "c":
        event.preventDefault();
        if (onQueue) {
          claimOnQueue();
        } else {
          claimOnCase();
        }
        break;
      case "Enter":
        if (onQueue) {
          openOnQueue(event);
        }
        break;
      default:
        break;
    }
  });

  // On arrival ---------------------------------------------------------------------------------------------------

  if (page === "queue") {
    var shown = rows();
    window.sessionStorage.setItem(
      ORDER_KEY,
      JSON.stringify({
        ids: shown.map(function (row) {
          return Number(row.dataset.case);
        }),
      })
    );
  }
  var claimed = window.sessionStorage.getItem(CLAIMED_KEY);
  if (claimed) {
    window.sessionStorage.removeItem(CLAIMED_KEY);
    if (page === "queue") {
      var row = rows().filter(function (candidate) {
        return candidate.dataset.case === claimed;
      })[0];
      if (row) {
        row.focus();
      }
    }
    // The page's own message ("Case 12 is yours.", or who holds it), said again once the page has settled.
    window.setTimeout(function () {
      say(pageMessage() || "Claimed case " + claimed + ".");
    }, 300);
  }
})();
