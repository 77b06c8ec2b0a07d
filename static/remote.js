/* Attract: the trainer's remote (templates/trainer/remote.html), and the confirm step of
   the Remove buttons on the workshop page (templates/trainer/workshop.html).
   Progressive enhancement only: every control is a real form that posts without this file.
   With it:
   - a form with data-confirm asks first (End, Remove);
   - the control forms post JSON {action} to control_url with X-CSRFToken, and a refusal
     (409) shows its message;
   - a live view of the room (through live.js; state_url polled every 2 s while the stream
     is down): the step, "N of M answered", the countdown;
   - the players from room_url, each with Remove, and on a rewrite question the rewrites
     with "Show on screen" (action pick with answer_id) and "Hide" (pick with none);
     room_url is read every 3 s while the page is visible, and when the state changes.
   Every string from the server goes in with textContent. Unlike the projector page, the
   remote never closes a question by itself. */
(function () {
  "use strict";

  // Ask before a destructive post (both pages). Runs first, so a "no" stops the fetch too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  var body = document.body;
  if (!body.classList.contains("remote-page") || !window.fetch) { return; }

  var cfg = {
    stateUrl: body.dataset.stateUrl,
    eventsUrl: body.dataset.eventsUrl,
    controlUrl: body.dataset.controlUrl,
    roomUrl: body.dataset.roomUrl,
    removeUrl: body.dataset.removeUrl,
    csrf: body.dataset.csrf
  };
  var $ = function (id) { return document.getElementById(id); };

  var state = null, version = -1;
  var lastPickedId = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function plural(n, one, many) { return n === 1 ? one : many; }

  var messageTimer = null;
  function say(text, isError) {
    var box = $("remote-message");
    box.textContent = text || "";
    box.classList.toggle("is-error", !!isError);
    box.classList.toggle("is-shown", !!text);
    window.clearTimeout(messageTimer);
    if (text) { messageTimer = window.setTimeout(function () { say(""); }, 6000); }
  }

  /* ---- time --------------------------------------------------------------------------- */

  var clock = window.AttractLive.clock();
  var secondsLeft = clock.secondsLeft;
  function phaseOf(s) {
    if (!s || !s.step || s.step.kind !== "question") { return null; }
    return s.step.phase || (s.step.revealed ? "revealed" : (s.step.open ? "open" : "ready"));
  }

  /* ---- posting ------------------------------------------------------------------------ */

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": cfg.csrf },
      body: JSON.stringify(payload || {})
    });
  }

  function sendControl(form) {
    var payload = { action: form.elements.action.value };
    // "next" names the step this phone shows (see present.js): one press, one step.
    if (payload.action === "next" && state && state.step) { payload.step = state.step.index; }
    if (form.elements.answer_id) {
      var raw = form.elements.answer_id.value;
      payload.answer_id = raw === "" ? null : parseInt(raw, 10);
    }
    var button = form.querySelector("button");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    return post(cfg.controlUrl, payload).then(function (response) {
      clock.note(response);
      return response.json().catch(function () { return null; }).then(function (data) {
        if (response.ok) {
          if (payload.action === "pick") { lastPickedId = payload.answer_id; }
          applyState(data);
          say("");
        } else {
          say((data && data.message) || ("The server refused that (" + response.status + ")."), true);
        }
      });
    }).catch(function () {
      say("Could not reach the server. Check the connection and try again.", true);
    }).then(function () {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }

  function removePlayer(form) {
    var button = form.querySelector("button");
    button.disabled = true;
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": cfg.csrf },
      body: new FormData(form)
    }).then(function (response) {
      if (response.ok) { say("Removed " + form.dataset.nickname + "."); loadRoom(); return; }
      return response.json().catch(function () { return null; }).then(function (data) {
        say((data && data.message) || ("Could not remove that player (" + response.status + ")."), true);
        button.disabled = false;
      });
    }).catch(function () {
      say("Could not reach the server. Check the connection and try again.", true);
      button.disabled = false;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("js-control")) { event.preventDefault(); sendControl(form); }
    else if (form.classList.contains("js-remove")) { event.preventDefault(); removePlayer(form); }
  });

  /* ---- the room state ----------------------------------------------------------------- */

  function applyState(next) {
    if (!next || typeof next.version !== "number" || next.version < version) { return; }
    var changed = next.version !== version;
    version = next.version;
    var before = state;
    state = next;
    renderNow(before);
    renderControls();
    renderPicked();
    if (changed) { scheduleRoom(300); }
    if (state.status === "ended") { stopLive(); }
  }

  function stepLine(s) {
    if (s.status === "lobby") {
      return "Lobby \u00b7 " + (s.participants || 0) + " " + plural(s.participants || 0, "player", "players") +
        (s.locked ? " \u00b7 joining locked" : "");
    }
    if (s.status === "ended") { return "Ended"; }
    var parts = [];
    var step = s.step;
    if (step && step.kind === "question") {
      var phase = phaseOf(s);
      var words = { ready: "ready to open", open: "open", closed: "closed", revealed: "answer shown" };
      parts.push("Question " + step.number + " of " + step.questions + " \u00b7 " + (words[phase] || phase));
    } else if (step) {
      parts.push("Slide");
    }
    if (step && step.kind !== "question" && typeof s.steps === "number") {
      parts.push("step " + (step.index + 1) + " of " + s.steps);
    }
    if (s.leaderboard) { parts.push("leaderboard on screen"); }
    if (s.locked) { parts.push("joining locked"); }
    return parts.join(" \u00b7 ");
  }

  function renderNow(before) {
    var s = state;
    var line = stepLine(s);
    $("now-status").textContent = line;
    var step = s.step;
    var title = "";
    if (s.status === "running" && step) {
      title = step.kind === "slide" ? (step.title || "") : ((step.question && step.question.prompt) || "");
    } else if (s.status === "ended") {
      title = "The final results are on the big screen.";
    } else if (s.status === "lobby") {
      title = "Press Start when everyone is in.";
    }
    $("now-title").textContent = title;
    $("now-results").hidden = s.status !== "ended";
    var figures = $("now-figures");
    var isQuestion = s.status === "running" && step && step.kind === "question";
    figures.hidden = !isQuestion;
    if (isQuestion) {
      $("now-answered").textContent = (s.answered || 0) + " of " + (s.participants || 0) + " answered";
    }
    tick();
    // Tell a screen reader what changed in words, not every count.
    var beforeLine = before ? stepLine(before) : null;
    if (before && beforeLine !== line) { $("now-live").textContent = line; }
  }

  function tick() {
    var box = $("now-countdown");
    var s = state;
    if (!s || s.status !== "running" || phaseOf(s) !== "open") { box.hidden = true; return; }
    var left = secondsLeft(s.step);
    if (left === null) { box.hidden = true; return; }
    var whole = Math.ceil(left);
    var text = whole > 0 ? Math.floor(whole / 60) + ":" + (whole % 60 < 10 ? "0" : "") + (whole % 60) + " left" : "Time is up";
    box.hidden = false;
    if (box.textContent !== text) { box.textContent = text; }
    box.classList.toggle("is-urgent", whole <= 5);
  }

  function suggested(s) {
    if (s.status === "lobby") { return "start"; }
    if (s.status === "ended") { return null; }
    var last = s.step && typeof s.steps === "number" && s.step.index >= s.steps - 1;
    var phase = phaseOf(s);
    if (phase === "ready") { return "open"; }
    if (phase === "open") { return "close"; }
    if (phase === "closed") { return "reveal"; }
    return last ? "end" : "next";
  }

  function renderControls() {
    var s = state;
    var best = suggested(s);
    Array.prototype.forEach.call(document.querySelectorAll(".js-control[data-action]"), function (form) {
      var action = form.dataset.action;
      var button = form.querySelector("button");
      if (action === "lock" || action === "unlock") {
        var next = s.locked ? "unlock" : "lock";
        form.elements.action.value = next;
        form.dataset.action = next;
        button.textContent = s.locked ? "Unlock joining" : "Lock joining";
        button.setAttribute("aria-pressed", s.locked ? "true" : "false");
        action = next;
      }
      if (action === "leaderboard") { button.setAttribute("aria-pressed", s.leaderboard ? "true" : "false"); }
      var relevant = true;
      if (s.status === "lobby") { relevant = ["start", "lock", "unlock", "end"].indexOf(action) !== -1; }
      else if (s.status === "running") { relevant = action !== "start"; }
      else { relevant = false; }
      form.hidden = !relevant;
      button.classList.toggle("is-suggested", action === best);
    });
  }

  var follower = null;

  function stopLive() {
    if (follower) { follower.stop(); }
  }

  /* ---- players and rewrites (room_url) ------------------------------------------------ */

  var roomTimer = null, roomBusy = false, roomSignature = null, room = null;

  function scheduleRoom(delay) {
    window.clearTimeout(roomTimer);
    roomTimer = window.setTimeout(loadRoom, delay);
  }

  function loadRoom() {
    window.clearTimeout(roomTimer);
    roomTimer = null;
    if (document.visibilityState === "hidden") { return; }
    if (roomBusy) { scheduleRoom(500); return; }
    roomBusy = true;
    fetch(cfg.roomUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("room " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var signature = JSON.stringify(data);
        if (signature !== roomSignature) {
          roomSignature = signature;
          room = data;
          renderPlayers();
          renderRewrites();
        }
      })
      .catch(function () { /* the next round tries again */ })
      .then(function () {
        roomBusy = false;
        if (!roomTimer) { scheduleRoom(3000); }
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { loadRoom(); if (follower) { follower.refresh(); } }
  });

  // Rebuilding a list must not lose the keyboard's place: refocus the same button.
  function keepFocus(list, rebuild) {
    var active = document.activeElement;
    var key = active && list.contains(active) ? active.getAttribute("data-focus-key") : null;
    rebuild();
    if (key) {
      var again = list.querySelector("[data-focus-key=\"" + key + "\"]");
      if (again) { again.focus(); }
    }
  }

  function removeUrl(id) {
    return cfg.removeUrl.replace(/\/0\/remove$/, "/" + encodeURIComponent(id) + "/remove");
  }

  function renderPlayers() {
    var list = $("player-list");
    var players = (room && room.participants) || [];
    var active = players.filter(function (p) { return !p.removed; });
    var removed = players.length - active.length;
    $("players-count").textContent = active.length;
    $("players-note").textContent = (active.length ? "" : "Nobody has joined yet. ") +
      (removed ? removed + " removed " + plural(removed, "player is", "players are") + " left out." : "");
    keepFocus(list, function () {
      clear(list);
      active.forEach(function (p) {
        var li = el("li", "player");
        var who = el("span", "player-name", p.nickname);
        li.appendChild(who);
        var points = el("span", "player-points", (p.points || 0) + " " + plural(p.points || 0, "pt", "pts"));
        points.hidden = !!(state && state.status === "lobby");
        li.appendChild(points);
        var form = el("form", "inline-form js-remove");
        form.method = "post";
        form.action = removeUrl(p.id);
        form.dataset.nickname = p.nickname;
        form.setAttribute("data-confirm", "Remove \u201c" + p.nickname + "\u201d from this workshop? They leave the game and the leaderboard.");
        var token = el("input");
        token.type = "hidden"; token.name = "csrf_token"; token.value = cfg.csrf;
        form.appendChild(token);
        var button = el("button", "button button-small button-danger", "Remove");
        button.type = "submit";
        button.setAttribute("data-focus-key", "remove-" + p.id);
        button.appendChild(el("span", "visually-hidden", " " + p.nickname));
        form.appendChild(button);
        li.appendChild(form);
        list.appendChild(li);
      });
    });
  }

  function pickForm(answerId, label, className, focusKey, accessible) {
    var form = el("form", "inline-form js-control");
    form.method = "post";
    form.action = cfg.controlUrl;
    form.dataset.role = "pick";
    [["csrf_token", cfg.csrf], ["action", "pick"], ["answer_id", answerId === null ? "" : String(answerId)]].forEach(function (pair) {
      var input = el("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    var button = el("button", className, label);
    button.type = "submit";
    button.setAttribute("data-focus-key", focusKey);
    if (accessible) { button.appendChild(el("span", "visually-hidden", accessible)); }
    form.appendChild(button);
    return form;
  }

  function pickedId() {
    var picked = state && state.step && state.step.reveal && state.step.reveal.picked;
    if (!picked) { return null; }
    var rewrites = (room && room.rewrites) || [];
    var match = rewrites.filter(function (r) { return r.answer_id === lastPickedId; })[0] ||
      rewrites.filter(function (r) { return r.nickname === picked.nickname && r.text === picked.text; })[0];
    return match ? match.answer_id : -1;
  }

  function isRewriteStep() {
    var step = state && state.step;
    return !!(state && state.status === "running" && step && step.kind === "question" &&
      step.question && step.question.type === "rewrite");
  }

  function renderRewrites() {
    var section = $("rewrites");
    var rewrites = (room && room.rewrites) || [];
    var show = isRewriteStep();
    section.hidden = !show;
    if (!show) { return; }
    $("rewrites-count").textContent = rewrites.length;
    var on = pickedId();
    var revealed = phaseOf(state) === "revealed";
    $("rewrites-hint").textContent = revealed
      ? "Best first. Only the one you choose goes on the big screen."
      : "Best first. Reveal the answer, then put one on the big screen; nothing else anyone wrote is shown.";
    var list = $("rewrite-list");
    keepFocus(list, function () {
      clear(list);
      if (!rewrites.length) { list.appendChild(el("li", "hint", "No rewrites yet.")); }
      rewrites.forEach(function (r) {
        var li = el("li", "rewrite" + (r.answer_id === on ? " is-on-screen" : ""));
        var meta = el("p", "rewrite-meta");
        meta.appendChild(el("strong", "rewrite-name", r.nickname));
        var score = el("span", "rewrite-score rewrite-" + (r.verdict === "attraction" ? "good" : "weak"),
          "Score " + r.score);
        meta.appendChild(score);
        if (r.answer_id === on) { meta.appendChild(el("span", "badge badge-running", "On screen")); }
        li.appendChild(meta);
        li.appendChild(el("blockquote", "rewrite-text", r.text));
        if (r.answer_id === on) {
          li.appendChild(pickForm(null, "Hide from screen", "button button-small button-secondary", "pick-" + r.answer_id, " (" + r.nickname + ")"));
        } else {
          li.appendChild(pickForm(r.answer_id, "Show on screen", "button button-small", "pick-" + r.answer_id, " (" + r.nickname + ")"));
        }
        list.appendChild(li);
      });
    });
  }

  // The picked rewrite can change with the state alone (another device picked it).
  var pickedSignature = null;
  function renderPicked() {
    var picked = state && state.step && state.step.reveal && state.step.reveal.picked;
    var signature = JSON.stringify([isRewriteStep(), picked, phaseOf(state)]);
    if (signature === pickedSignature) { return; }
    pickedSignature = signature;
    var box = $("picked-now");
    clear(box);
    box.hidden = !picked;
    if (picked) {
      box.appendChild(el("span", null, "On the big screen: the rewrite by "));
      box.appendChild(el("strong", null, picked.nickname));
      box.appendChild(document.createTextNode(" "));
      box.appendChild(pickForm(null, "Hide it", "button button-small button-secondary", "pick-hide"));
    }
    if (room) { renderRewrites(); }
  }

  /* ---- start -------------------------------------------------------------------------- */

  window.setInterval(tick, 500);
  follower = window.AttractLive.follow({
    eventsUrl: cfg.eventsUrl, stateUrl: cfg.stateUrl, pollMs: 2000, clock: clock,
    onState: applyState,
    onOnline: function () { body.classList.remove("is-offline"); },
    onOffline: function () {
      body.classList.add("is-offline");
      say("Connection lost: retrying\u2026", true);
    }
  });
  loadRoom();
})();
