// Thi đua: what htmx alone does not do. Loaded on every page, no inline script (CSP).
//
// When an autosave fails, nothing is swapped, so what the user typed stays on the
// page; the bar at the top says why and what to do. After logging in again in
// another tab the page's CSRF token is out of date, so every htmx request sends the
// current one from the cookie.
(function () {
  "use strict";

  function alertBox() {
    return document.getElementById("connection-alert");
  }

  function show(kind) {
    var box = alertBox();
    if (!box) return;
    box.querySelector("[data-message]").textContent = box.dataset[kind] || box.dataset.failed;
    box.querySelector("[data-login]").hidden = kind !== "session" && kind !== "sessionRead";
    box.hidden = false;
  }

  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfCookie();
    if (token && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = token;
      // parameters is a FormData proxy: read and write it by name.
      if (event.detail.parameters.csrfmiddlewaretoken !== undefined) {
        event.detail.parameters.csrfmiddlewaretoken = token;
      }
    }
  });

  // Back on the page after logging in elsewhere: plain forms get the new token too.
  document.addEventListener("visibilitychange", function () {
    var token = csrfCookie();
    if (!token || document.visibilityState !== "visible") return;
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  });

  // A GET (a status that polls, a total that reloads) saved nothing: say so. A
  // change that was not saved stays said until a change is saved: a read failing
  // or succeeding meanwhile neither replaces nor hides that warning.
  var unsavedChange = false;

  function isRead(event) {
    var config = event.detail.requestConfig;
    return Boolean(config && config.verb === "get");
  }

  // What a failed request says: a write's failure marks a change as not saved; a
  // read's says the page is out of date, unless a change is still not saved.
  function failed(event, writeKind, readKind) {
    if (isRead(event)) {
      if (!unsavedChange) show(readKind);
      return;
    }
    unsavedChange = true;
    show(writeKind);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    failed(
      event,
      status === 401 ? "session" : status === 403 ? "forbidden" : "failed",
      status === 401 ? "sessionRead" : "failedRead"
    );
  });

  document.addEventListener("htmx:sendError", function (event) {
    failed(event, "offline", "failedRead");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var box = alertBox();
    if (!event.detail.successful) return;
    if (!isRead(event)) unsavedChange = false;
    if (box && !box.hidden && !unsavedChange) box.hidden = true;
  });
})();
