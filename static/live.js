/* Attract: how the trainer's screens follow a live room (present.js and remote.js).

   AttractLive.follow(options) opens an EventSource on options.eventsUrl (events named
   "state"). While the stream is down it polls options.stateUrl every options.pollMs with
   If-None-Match (304: nothing new) and tries the stream again after 15 s. Each state goes
   to options.onState; options.onOnline and options.onOffline say when the room is reached
   or lost. It returns {refresh, stop}. AttractLive.clock() corrects this device's clock by the
   server's Date header, for countdowns to a deadline the server set. */
(function () {
  "use strict";

  function clock() {
    var offset = null;  // server clock minus this one, in ms
    function now() { return Date.now() + (offset || 0); }
    return {
      note: function (response) {
        var server = Date.parse(response.headers.get("Date") || "");
        if (isNaN(server)) { return; }
        // The header counts whole seconds: the server's clock is half a second on, on average.
        var estimate = server + 500 - Date.now();
        // Keep the first estimate unless the clocks really drift, so a countdown never jitters.
        if (offset === null || Math.abs(estimate - offset) > 1500) { offset = estimate; }
      },
      now: now,
      secondsLeft: function (step) {
        if (!step || !step.deadline) { return null; }
        var deadline = Date.parse(step.deadline);
        if (isNaN(deadline)) { return null; }
        return Math.max(0, (deadline - now()) / 1000);
      }
    };
  }

  function follow(options) {
    var source = null, streamAlive = false, pollTimer = null, retryTimer = null;
    var live = true, pollBusy = false, etag = null;
    var onOnline = options.onOnline || function () {};
    var onOffline = options.onOffline || function () {};

    function poll() {
      pollTimer = null;
      if (!live || streamAlive || pollBusy) { return; }
      pollBusy = true;
      var headers = { "Accept": "application/json" };
      if (etag) { headers["If-None-Match"] = etag; }
      fetch(options.stateUrl, { headers: headers, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (options.clock) { options.clock.note(response); }
          if (response.status === 304) { return null; }
          if (!response.ok) { throw new Error("state " + response.status); }
          etag = response.headers.get("ETag") || etag;
          return response.json();
        })
        .then(function (data) {
          if (!streamAlive) { onOnline(); }
          if (data) { options.onState(data); }
        })
        .catch(function () { onOffline(); })
        .then(function () {
          pollBusy = false;
          if (live && !streamAlive && !pollTimer) { pollTimer = window.setTimeout(poll, options.pollMs); }
        });
    }

    function connect() {
      retryTimer = null;
      if (!live) { return; }
      if (!window.EventSource || !options.eventsUrl) { poll(); return; }
      source = new EventSource(options.eventsUrl);
      source.addEventListener("state", function (event) {
        streamAlive = true;
        onOnline();
        try { options.onState(JSON.parse(event.data)); } catch (e) { /* the next event fixes it */ }
      });
      source.addEventListener("error", function () {
        if (source) { source.close(); source = null; }
        streamAlive = false;
        if (!live) { return; }
        if (!pollTimer) { poll(); }
        if (!retryTimer) { retryTimer = window.setTimeout(connect, 15000); }
      });
    }

    poll();
    connect();
    return {
      refresh: function () { if (live && !streamAlive) { poll(); } },  // e.g. a tab shown again
      stop: function () {
        live = false;
        if (source) { source.close(); source = null; }
        window.clearTimeout(pollTimer); window.clearTimeout(retryTimer);
      }
    };
  }

  window.AttractLive = { clock: clock, follow: follow };
})();
