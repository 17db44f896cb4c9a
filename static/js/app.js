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

  function writeSucceeded() {
    var box = alertBox();
    unsavedChange = false;
    if (box && !box.hidden) box.hidden = true;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var box = alertBox();
    if (!event.detail.successful) return;
    if (!isRead(event)) unsavedChange = false;
    if (box && !box.hidden && !unsavedChange) box.hidden = true;
  });

  // ---------------------------------------------------------------------------
  // Autosave. A form marked data-autosave (an answer of the self-assessment, a
  // reviewer's score and comment) is saved as it is typed: 500 ms after the last
  // keystroke, at once when a field loses focus or the Save button is used, and
  // when the page is hidden or left (with keepalive, so the request outlives the
  // page). One request at a time per form, each with the version the previous one
  // returned. The status beside the fields says saving…, saved, or not saved and
  // why: the server's message for a refused value (the row fragment it answers),
  // or the session, permission, server or connection failure. What was typed
  // stays in the fields whatever happens. Forms marked data-after-saves (submit,
  // accept, return) wait for every pending save and are sent only if all passed.
  // Not hx-trigger's "delay:": a delayed htmx request can neither be sent at once
  // nor awaited, and an XHR dies with the page; the answer is still swapped by
  // htmx (the out-of-band version included) and its HX-Trigger still fires.
  var DELAY = 500;
  var autosaves = [];

  function text(name) {
    var box = document.getElementById("autosave-messages");
    return (box && box.dataset[name]) || "";
  }

  function eventNames(header) {
    if (!header) return [];
    if (header.charAt(0) === "{") {
      try {
        return Object.keys(JSON.parse(header));
      } catch (error) {
        return [];
      }
    }
    return header.split(",").map(function (name) {
      return name.trim();
    });
  }

  function Autosave(form) {
    this.form = form;
    this.dirty = false; // typed since the last request was sent
    this.failed = false; // the last request did not save
    this.inflight = 0;
    this.timer = null;
    this.queue = Promise.resolve();
    this.sent = this.values(); // what the server has, or was last sent
    this.settled = null; // the status shown before "saving…"
    var self = this;
    form.addEventListener("input", function (event) {
      if (event.target.name) self.changed();
    });
    form.addEventListener("change", function (event) {
      if (!event.target.name) return;
      self.changed();
      self.flush();
    });
    form.addEventListener("focusout", function () {
      self.flush();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.dirty = true; // Save sends again, e.g. after a failure
      self.flush();
    });
    // "Save my version over it" (htmx) saves what is typed: its answer settles the state.
    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful && !self.dirty) self.readState();
    });
  }

  Autosave.prototype.status = function () {
    return this.form.querySelector("[data-autosave-status]");
  };

  Autosave.prototype.pending = function () {
    return this.dirty || this.failed || this.inflight > 0;
  };

  Autosave.prototype.show = function (state, message) {
    var status = this.status();
    if (!status) return;
    status.dataset.saveState = state;
    status.classList.toggle("answer-status--error", state !== "saving");
    status.textContent = "";
    var line = document.createElement(state === "saving" ? "span" : "p");
    line.className = state === "saving" ? "answer-status__saving" : "field__error";
    line.textContent = message;
    status.appendChild(line);
  };

  // The fields' values, to tell a real change from a blur or an undone keystroke.
  Autosave.prototype.values = function () {
    var parts = [];
    this.form.querySelectorAll("input, textarea, select").forEach(function (field) {
      if (field.name && field.type !== "hidden" && field.name !== "csrfmiddlewaretoken") {
        parts.push(field.name + "=" + field.value);
      }
    });
    return parts.join("&");
  };

  Autosave.prototype.saving = function () {
    var status = this.status();
    if (status && status.dataset.saveState !== "saving") this.settled = status.cloneNode(true);
    this.show("saving", text("saving"));
  };

  // Back to what the fields held: the status from before shows again.
  Autosave.prototype.unchanged = function () {
    var status = this.status();
    this.dirty = false;
    if (this.inflight > 0 || !status || !this.settled) return;
    if (status.dataset.saveState === "saving") {
      status.replaceWith(this.settled);
      htmx.process(this.settled);
    }
    this.settled = null;
  };

  Autosave.prototype.readState = function () {
    var status = this.status();
    this.failed = !status || status.dataset.saveState !== "saved";
  };

  Autosave.prototype.changed = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.values() === this.sent) {
      this.unchanged();
      return;
    }
    this.dirty = true;
    this.saving();
    this.timer = setTimeout(function () {
      self.flush();
    }, DELAY);
  };

  // Save now what is not saved; the promise settles once the form's requests are done.
  Autosave.prototype.flush = function (options) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty && this.inflight === 0) return this.queue;
    this.queue = this.queue.then(function () {
      return self.dirty ? self.send(options || {}) : null;
    });
    return this.queue;
  };

  Autosave.prototype.body = function (versionAhead) {
    var body = new FormData(this.form);
    var token = csrfCookie();
    if (token) body.set("csrfmiddlewaretoken", token);
    if (versionAhead && body.get("version")) {
      // The page is going while a save is on its way: that save will have raised
      // the version by one. A wrong guess is refused as stale, never overwrites.
      body.set("version", String(Number(body.get("version")) + 1));
    }
    return body;
  };

  Autosave.prototype.request = function (body, keepalive) {
    var headers = { "HX-Request": "true", "HX-Current-URL": window.location.href };
    var token = csrfCookie();
    if (token) headers["X-CSRFToken"] = token;
    var init = { method: "POST", body: body, headers: headers, credentials: "same-origin" };
    var action = this.form.action;
    if (keepalive) {
      // Refused over the keepalive size limit (64 kB): an ordinary request then.
      return fetch(action, Object.assign({ keepalive: true }, init)).catch(function () {
        return fetch(action, init);
      });
    }
    return fetch(action, init);
  };

  Autosave.prototype.send = function (options) {
    var self = this;
    this.dirty = false;
    this.inflight += 1;
    this.sent = this.values();
    this.saving();
    return this.request(this.body(false), options.keepalive)
      .then(function (response) {
        if (!response.ok) {
          var code = response.status;
          self.fail(code === 401 ? "session" : code === 403 ? "forbidden" : "failed");
          return null;
        }
        return response.text().then(function (html) {
          var status = self.status();
          if (status) htmx.swap(status, html, { swapStyle: "outerHTML" });
          eventNames(response.headers.get("HX-Trigger")).forEach(function (name) {
            htmx.trigger(document.body, name);
          });
          if (self.dirty) {
            // Typed meanwhile: the next request goes, and says so.
            self.saving();
          } else {
            self.readState();
          }
          if (!self.failed) writeSucceeded();
        });
      })
      .catch(function () {
        self.fail("offline");
      })
      .then(function () {
        self.inflight -= 1;
      });
  };

  Autosave.prototype.fail = function (kind) {
    this.failed = true;
    if (!this.dirty) this.show("refused", text(kind));
    unsavedChange = true;
    show(kind);
  };

  // The page is going away: what is not saved yet leaves in a keepalive request.
  Autosave.prototype.leave = function () {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.sent = this.values();
    try {
      this.request(this.body(this.inflight > 0), true).catch(function () {});
    } catch (error) {
      // Nothing more can be done while the page unloads.
    }
  };

  function flushAll(options) {
    return Promise.all(
      autosaves.map(function (autosave) {
        return autosave.flush(options);
      })
    );
  }

  function afterSaves(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.savesDone === "yes") return;
      event.preventDefault();
      var submitter = event.submitter || null;
      var alert = form.querySelector("[data-after-saves-error]");
      flushAll().then(function () {
        var waiting = autosaves.filter(function (autosave) {
          return autosave.pending();
        });
        if (waiting.length) {
          if (!alert) {
            alert = document.createElement("p");
            alert.className = "field__error";
            alert.setAttribute("role", "alert");
            alert.dataset.afterSavesError = "";
            form.appendChild(alert);
          }
          alert.textContent = text("blocked");
          alert.hidden = false;
          var field = waiting[0].form.querySelector("textarea, input:not([type=hidden]), select");
          if (field) field.focus();
          return;
        }
        if (alert) alert.hidden = true;
        // In a task of its own: within the first submit event's task (nothing was
        // pending, the promise settled at once) the browser ignores a new submission.
        setTimeout(function () {
          form.dataset.savesDone = "yes";
          if (form.requestSubmit) {
            form.requestSubmit(submitter);
          } else {
            form.submit();
          }
          form.dataset.savesDone = "";
        }, 0);
      });
    });
  }

  // A counter under each text with a length limit: "123 / 5.000".
  function counter(field) {
    var limit = Number(field.getAttribute("maxlength"));
    if (!limit) return;
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var output = document.createElement("span");
    output.className = "char-counter";
    output.id = (field.id || field.name) + "-counter";
    output.dataset.charCounter = "";
    field.insertAdjacentElement("afterend", output);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);
    function update() {
      var length = field.value.length;
      output.textContent = format.format(length) + " / " + format.format(limit);
      output.classList.toggle("char-counter--full", length >= limit);
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      autosaves.push(new Autosave(form));
    });
    document.querySelectorAll("form[data-after-saves]").forEach(afterSaves);
    document.querySelectorAll("textarea[maxlength], input[maxlength][data-char-counter]").forEach(counter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.addEventListener("beforeunload", function (event) {
    var pending = autosaves.some(function (autosave) {
      return autosave.pending();
    });
    if (!pending) return;
    event.preventDefault();
    event.returnValue = text("leave");
    return text("leave");
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushAll({ keepalive: true });
  });

  window.addEventListener("pagehide", function () {
    autosaves.forEach(function (autosave) {
      autosave.leave();
    });
  });
})();
