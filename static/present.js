/* Attract: the projector page of a live workshop (templates/trainer/present.html).
   - Follows the room state through live.js (the event stream; while it is down, state_url
     polled every second with If-None-Match).
   - Draws one screen at a time: lobby, slide, question (then its reveal), leaderboard,
     the final podium. Everything a participant typed goes in with textContent; the only
     HTML put in is a slide's step.html, which the server has sanitised.
   - Keys: ArrowRight next (end on the last step, start in the lobby), Space open/close,
     R reveal, L leaderboard, F full screen. Controls are POSTed as JSON with X-CSRFToken.
   - This tab (and not the trainer's remote) closes an open question once, when its
     deadline passes or everyone has answered.
   No inline script or style (the Content-Security-Policy forbids both): classes, the
   hidden attribute, and CSSOM properties (element.style.width) only. */
(function () {
  "use strict";

  var body = document.body;
  var cfg = {
    stateUrl: body.dataset.stateUrl,
    eventsUrl: body.dataset.eventsUrl,
    controlUrl: body.dataset.controlUrl,
    csrf: body.dataset.csrf,
    code: body.dataset.code || "",
    joinHostPath: body.dataset.joinHostPath || ""
  };
  if (!cfg.stateUrl || !window.fetch) { return; }

  var CHANNELS = {
    "linkedin": ["LinkedIn message", "in"],
    "linkedin-invite": ["LinkedIn invitation note", "in"],
    "x": ["Direct message on X", "X"],
    "twitter": ["Direct message on X", "X"],
    "facebook": ["Facebook message", "f"],
    "email": ["Email", "@"],
    "other": ["Other message", "\u2026"]
  };
  var BANDS = ["0-19", "20-39", "40-59", "60-79", "80-100"];
  var LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  var CIRCUMFERENCE = 2 * Math.PI * 44;

  var $ = function (id) { return document.getElementById(id); };
  var screens = {
    lobby: $("screen-lobby"), slide: $("screen-slide"), question: $("screen-question"),
    board: $("screen-board"), ended: $("screen-ended")
  };

  var state = null;          // the newest state drawn
  var version = -1;
  var drawn = {};            // per screen: the signature of what is on it, to redraw only on change
  var shownScreen = null;
  var closeSentFor = null;   // the open question this tab has already asked to close
  var timerTotal = {};       // per question: the seconds the ring counts down from

  /* ---- small DOM helpers -------------------------------------------------------------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function hiddenText(text) { return el("span", "visually-hidden", text); }
  function plural(n, one, many) { return n === 1 ? one : many; }
  function initials(name) {
    var words = String(name || "?").trim().split(/\s+/);
    var first = words[0] ? words[0].charAt(0) : "?";
    var last = words.length > 1 ? words[words.length - 1].charAt(0) : "";
    return (first + last).toUpperCase();
  }
  function channelOf(name) { return CHANNELS[String(name || "other").toLowerCase()] || CHANNELS.other; }
  function channelName(name) {
    var key = String(name || "other").toLowerCase();
    if (key === "twitter") { return "x"; }
    return CHANNELS[key] ? key : "other";
  }

  var announceTimer = null;
  function announce(text) {
    var region = $("announcer");
    region.textContent = "";
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { region.textContent = text; }, 60);
  }

  var toastTimer = null;
  function toast(text) {
    var box = $("toast");
    box.textContent = text;
    box.classList.add("is-shown");
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () {
      box.classList.remove("is-shown");
      window.setTimeout(function () { if (!box.classList.contains("is-shown")) { box.textContent = ""; } }, 250);
    }, 4500);
  }

  function setConnection(text, warning) {
    var node = $("connection");
    node.textContent = text || "";
    node.classList.toggle("is-warning", !!warning);
  }

  /* ---- time --------------------------------------------------------------------------- */

  var clock = window.AttractLive.clock();
  var secondsLeft = clock.secondsLeft;

  /* ---- talking to the server ---------------------------------------------------------- */

  function applyState(next) {
    if (!next || typeof next !== "object" || typeof next.version !== "number") { return; }
    if (next.version < version) { return; }
    version = next.version;
    state = next;
    render();
    if (state.status === "ended") { stopLive(); }
  }

  function control(action, extra, quiet) {
    var payload = { action: action };
    // "next" names the step this screen shows: pressed here and on the remote at once,
    // the room moves one step, and the second press is told the room moved on.
    if (action === "next" && state && state.step) { payload.step = state.step.index; }
    if (extra) { Object.keys(extra).forEach(function (k) { payload[k] = extra[k]; }); }
    return fetch(cfg.controlUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": cfg.csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      clock.note(response);
      return response.json().catch(function () { return null; }).then(function (data) {
        if (response.ok) { applyState(data); return true; }
        if (!quiet) {
          toast((data && data.message) || ("The server refused that (" + response.status + ")."));
        }
        return false;
      });
    }).catch(function () {
      if (!quiet) { toast("Could not reach the server. Check the connection and try again."); }
      return false;
    });
  }

  var follower = null;

  function stopLive() {
    if (follower) { follower.stop(); }
    setConnection("");
  }

  /* ---- which screen ------------------------------------------------------------------- */

  function screenOf(s) {
    if (s.status === "lobby") { return "lobby"; }
    if (s.status === "ended") { return "ended"; }
    if (s.leaderboard) { return "board"; }
    if (s.step && s.step.kind === "slide") { return "slide"; }
    if (s.step && s.step.kind === "question") { return "question"; }
    return "board";
  }

  function isLastStep(s) {
    return !!(s && s.step && typeof s.steps === "number" && s.step.index >= s.steps - 1);
  }

  function render() {
    var s = state;
    var name = screenOf(s);
    if (name !== shownScreen) {
      Object.keys(screens).forEach(function (key) { screens[key].hidden = key !== name; });
      body.classList.toggle("is-lobby", name === "lobby");
      body.classList.toggle("is-ended", name === "ended");
      shownScreen = name;
    }
    renderTopbar(s, name);
    if (name === "lobby") { renderLobby(s); }
    else if (name === "slide") { renderSlide(s); }
    else if (name === "question") { renderQuestion(s); }
    else if (name === "board") { renderBoard(s); }
    else if (name === "ended") { renderEnded(s); }
    $("key-next-label").textContent = s.status === "lobby" ? "Start" : (isLastStep(s) ? "End" : "Next");
    maybeClose();
  }

  function renderTopbar(s, name) {
    if (s.title) { $("topbar-title").textContent = s.title; }
    var text = "";
    if (s.step && s.status === "running") {
      text = "Step " + (s.step.index + 1) + " of " + s.steps;
    }
    if (s.locked && s.status !== "ended") { text += (text ? " \u00b7 " : "") + "Joining locked"; }
    $("topbar-step").textContent = text;
    $("topbar-join").hidden = s.status === "ended" || !!s.locked;
  }

  /* ---- lobby -------------------------------------------------------------------------- */

  var seenNicknames = Object.create(null);
  var lobbyFirstDraw = true;

  function renderLobby(s) {
    var count = s.participants || 0;
    $("lobby-count-number").textContent = count;
    $("lobby-count-word").textContent = plural(count, "player", "players");
    $("lobby-locked").hidden = !s.locked;
    $("lobby-hint").textContent = count
      ? "The trainer starts when everyone is in."
      : "Waiting for the first player\u2026";
    var names = (s.lobby && s.lobby.nicknames) || [];
    var signature = names.join("\u0000") + "|" + count;
    if (drawn.lobby === signature) { return; }
    drawn.lobby = signature;
    var list = $("chips");
    clear(list);
    names.forEach(function (nickname) {
      var chip = el("li", "chip", nickname);
      if (!lobbyFirstDraw && !seenNicknames[nickname]) { chip.classList.add("is-new"); }
      seenNicknames[nickname] = true;
      list.appendChild(chip);
    });
    lobbyFirstDraw = false;
    // More players than the chips can show: drop the oldest chips (the newest stay in view)
    // and say how many more there are.
    var hiddenCount = Math.max(0, count - names.length);
    var more = null;
    function setMore() {
      if (!hiddenCount) { return; }
      if (!more) { more = el("li", "chip chip-more"); list.insertBefore(more, list.firstChild); }
      more.textContent = "+" + hiddenCount + " more";
    }
    setMore();
    var chips = list.querySelectorAll(".chip:not(.chip-more)");
    var i = 0;
    while (list.scrollHeight > list.clientHeight + 1 && i < chips.length) {
      list.removeChild(chips[i]);
      hiddenCount += 1; i += 1;
      setMore();
    }
  }

  /* ---- slide -------------------------------------------------------------------------- */

  function renderSlide(s) {
    var step = s.step;
    var signature = step.index + "|" + step.title + "|" + step.html;
    if (drawn.slide === signature) { return; }
    drawn.slide = signature;
    $("slide-title").textContent = step.title || "";
    // step.html is sanitised by the server; it is the only HTML this page injects.
    $("slide-body").innerHTML = step.html || "";
    fit(screens.slide);
    announce("Slide: " + (step.title || ""));
  }

  /* ---- question ----------------------------------------------------------------------- */

  function renderQuestion(s) {
    var step = s.step;
    var q = step.question || {};
    var phase = step.phase || (step.revealed ? "revealed" : (step.open ? "open" : "ready"));
    var signature = JSON.stringify([step.index, q.id, phase, step.reveal, step.deadline]);

    $("q-answered-number").textContent = s.answered || 0;
    $("q-answered-total").textContent = s.participants || 0;
    updateStatus(step, phase);
    tick();

    if (drawn.question === signature) { return; }
    var sameQuestion = drawn.questionId === step.index + "|" + q.id;
    drawn.question = signature;
    drawn.questionId = step.index + "|" + q.id;

    $("q-number").textContent = "Question " + (step.number || "") + (step.questions ? " of " + step.questions : "");
    $("q-prompt").textContent = q.prompt || "";
    var box = $("q-body");
    clear(box);
    box.className = "q-body";
    var explain = $("q-explain");
    clear(explain);
    explain.hidden = true;

    var revealed = phase === "revealed" && step.reveal;
    var builder = BUILDERS[q.type] || BUILDERS.choice;
    builder(box, q, step, revealed ? step.reveal : null, s);

    if (revealed) { drawExplanation(explain, q, step.reveal, s); }
    fit(screens.question);
    if (!sameQuestion) { announce("Question " + (step.number || "") + ": " + (q.prompt || "")); }
    else if (revealed) { announce("The answer is shown."); }
  }

  function updateStatus(step, phase) {
    var node = $("q-status");
    var left = secondsLeft(step);
    var expired = phase === "open" && left !== null && left <= 0;
    var text, cls;
    if (phase === "revealed") { text = "The answer"; cls = "is-revealed"; }
    else if (phase === "closed" || expired) { text = "Time is up"; cls = "is-closed"; }
    else if (phase === "open") { text = "Answer on your phone"; cls = "is-open"; }
    else { text = "Get ready"; cls = "is-ready"; }
    if (node.textContent !== text) { node.textContent = text; }
    node.className = "q-status " + cls;
    $("q-answered").hidden = phase === "ready";
  }

  // The ring counts down from the deadline: full at the start, empty at zero.
  function tick() {
    if (!state || shownScreen !== "question" || !state.step) { return; }
    var step = state.step;
    var timer = $("timer");
    var left = secondsLeft(step);
    var phase = step.phase || (step.open ? "open" : "ready");
    if (left === null || phase !== "open") {
      if (phase === "ready" && step.time_limit) {
        timer.hidden = false;
        timer.classList.remove("is-urgent", "is-done");
        $("timer-number").textContent = step.time_limit;
        $("timer-progress").style.strokeDashoffset = "0";
        $("timer-words").textContent = step.time_limit + " seconds to answer";
      } else {
        timer.hidden = true;
      }
      return;
    }
    var key = step.index + "|" + step.deadline;
    if (!timerTotal[key]) { timerTotal[key] = step.time_limit || Math.max(1, Math.ceil(left)); }
    var total = timerTotal[key];
    var whole = Math.ceil(left);
    timer.hidden = false;
    timer.classList.toggle("is-urgent", left > 0 && left <= 5);
    timer.classList.toggle("is-done", left <= 0);
    if ($("timer-number").textContent !== String(whole)) {
      $("timer-number").textContent = whole;
      $("timer-words").textContent = whole + plural(whole, " second", " seconds") + " left";
    }
    var used = Math.min(1, Math.max(0, 1 - left / total));
    $("timer-progress").style.strokeDashoffset = String(CIRCUMFERENCE * used);
    if (left <= 0) { updateStatus(step, phase); }
  }

  // When the deadline passes or everyone has answered, this tab asks once to close.
  function maybeClose() {
    var s = state;
    if (!s || s.status !== "running" || !s.step || s.step.kind !== "question") { closeSentFor = null; return; }
    var step = s.step;
    var phase = step.phase || (step.open ? "open" : "ready");
    if (phase !== "open") { closeSentFor = null; return; }
    var key = step.index + "|" + (step.deadline || "");
    if (closeSentFor === key) { return; }
    var left = secondsLeft(step);
    var expired = left !== null && left <= 0;
    var everyone = (s.participants || 0) > 0 && (s.answered || 0) >= s.participants;
    if (expired || everyone) {
      closeSentFor = key;
      control("close", null, true);
    }
  }

  function scenarioCard(scenario, options) {
    options = options || {};
    var name = channelName(scenario.channel);
    var channel = channelOf(name);
    var email = name === "email";
    var figure = el("figure", "scenario scenario-" + name + (options.picked ? " is-picked" : ""));
    var head = el("figcaption", "scenario-head");
    var avatar = el("span", "avatar", initials(options.sender || scenario.sender));
    avatar.setAttribute("aria-hidden", "true");
    head.appendChild(avatar);
    var who = el("span", "scenario-who");
    var sender = el("span", "sender");
    if (email) { sender.appendChild(el("span", "scenario-field", "From")); sender.appendChild(document.createTextNode(" ")); }
    else { sender.appendChild(hiddenText("from ")); }
    sender.appendChild(document.createTextNode(options.sender || scenario.sender || ""));
    who.appendChild(sender);
    if (scenario.recipient) {
      var recipient = el("span", "recipient");
      if (email) { recipient.appendChild(el("span", "scenario-field", "To")); recipient.appendChild(document.createTextNode(" ")); }
      else { recipient.appendChild(document.createTextNode("to ")); }
      recipient.appendChild(document.createTextNode(scenario.recipient));
      who.appendChild(recipient);
    }
    head.appendChild(who);
    if (options.score !== undefined && options.score !== null) {
      head.appendChild(el("span", "score-badge", "Coach score " + options.score));
    } else {
      var label = el("span", "channel");
      var mark = el("span", "channel-mark", channel[1]);
      mark.setAttribute("aria-hidden", "true");
      label.appendChild(mark);
      label.appendChild(document.createTextNode(" " + channel[0]));
      head.appendChild(label);
    }
    figure.appendChild(head);
    var message = el("blockquote", "message");
    if (options.segments) {
      options.segments.forEach(function (segment, i) {
        if (i) { message.appendChild(document.createTextNode(" ")); }
        var span = el("span", "segment" + (options.keySet && options.keySet[segment.id] ? " is-key" : ""));
        if (options.numbered) {
          var n = el("span", "segment-number", i + 1);
          n.setAttribute("aria-hidden", "true");
          span.appendChild(n);
        }
        span.appendChild(document.createTextNode(segment.text));
        if (options.keySet && options.keySet[segment.id]) { span.appendChild(hiddenText(" (interrupts)")); }
        message.appendChild(span);
      });
    } else {
      message.textContent = options.text !== undefined ? options.text : (scenario.message || "");
    }
    figure.appendChild(message);
    return figure;
  }

  function keyList(key) {
    if (key === null || key === undefined) { return []; }
    return Array.isArray(key) ? key.map(String) : [String(key)];
  }

  // One list for both moments: before the reveal the options (tiles or rows), after it
  // the same options with a bar, a count and, for the key, a flag in words.
  function optionList(items, reveal, s, opts) {
    opts = opts || {};
    var list = el("ol", "opts" + (opts.className ? " " + opts.className : ""));
    list.setAttribute("role", "list");
    if (opts.count) { list.style.setProperty("--count", String(opts.count)); }
    var dist = (reveal && reveal.distribution) || {};
    var keys = reveal ? keyList(opts.key !== undefined ? opts.key : reveal.key) : [];
    var max = 0, sum = 0;
    items.forEach(function (item) { var c = +dist[item.id] || 0; max = Math.max(max, c); sum += c; });
    var base = Math.max(opts.single ? sum : (s.answered || 0), max, 1);
    if (reveal) {
      list.classList.add("is-revealed");
      list.classList.remove("is-tiles", "is-scale");
      if (!keys.length) { list.classList.add("is-neutral"); }
    }
    items.forEach(function (item) {
      var li = el("li", "opt" + (item.className ? " " + item.className : ""));
      var mark = el("span", "opt-mark", item.mark);
      mark.setAttribute("aria-hidden", "true");
      li.appendChild(mark);
      var text = el("span", "opt-text", item.text);
      if (item.sub) { text.appendChild(el("span", "opt-sub", item.sub)); }
      li.appendChild(text);
      if (reveal) {
        var count = +dist[item.id] || 0;
        var isKey = keys.indexOf(String(item.id)) !== -1;
        var flag = null;
        if (isKey) {
          li.classList.add(opts.badKey ? "is-bad" : "is-key");
          flag = el("span", "opt-flag", opts.keyLabel || "\u2713 Right answer");
        }
        if (flag) { li.appendChild(flag); }
        var result = el("span", "opt-result");
        var bar = el("span", "opt-bar");
        bar.setAttribute("aria-hidden", "true");
        var fill = el("span", "opt-fill");
        bar.appendChild(fill);
        result.appendChild(bar);
        var countBox = el("span", "opt-count", count);
        countBox.appendChild(el("span", "opt-percent", Math.round(100 * count / base) + "%"));
        countBox.appendChild(hiddenText(" " + plural(count, opts.unitOne || "answer", opts.unitMany || "answers")));
        result.appendChild(countBox);
        li.appendChild(result);
        // Start at zero and grow, so the bars read as "the votes coming in".
        var width = (100 * count / base).toFixed(1) + "%";
        window.requestAnimationFrame(function () {
          window.requestAnimationFrame(function () { fill.style.width = width; });
        });
      }
      list.appendChild(li);
    });
    return list;
  }

  function side(children, caption) {
    var box = el("div", "q-side");
    if (caption) { box.appendChild(el("p", "q-caption", caption)); }
    children.forEach(function (child) { if (child) { box.appendChild(child); } });
    return box;
  }

  var BUILDERS = {
    verdict: function (box, q, step, reveal, s) {
      var items = [
        { id: "attraction", mark: "A", text: "Attraction", sub: "It earns attention", className: "opt-attraction" },
        { id: "interruption", mark: "I", text: "Interruption", sub: "It demands attention", className: "opt-interruption" }
      ];
      var list = optionList(items, reveal, s, { className: "is-verdict" + (reveal ? "" : " is-tiles"), single: true });
      withScenario(box, q, list, reveal ? "Answers" : null);
    },
    choice: function (box, q, step, reveal, s) {
      var items = (q.options || []).map(function (o, i) { return { id: o.id, mark: LETTERS.charAt(i), text: o.text }; });
      var total = items.reduce(function (n, item) { return n + String(item.text).length; }, 0);
      var tiles = !q.scenario && items.length <= 4 && total < 240;
      var list = optionList(items, reveal, s, { className: tiles ? "is-tiles" : "", single: !q.multiple });
      var caption = reveal ? "Answers" : (q.multiple ? "Choose all that apply" : null);
      withScenario(box, q, list, caption);
    },
    rating: function (box, q, step, reveal, s) {
      var scale = q.scale || { min: 1, max: 5 };
      var items = [];
      for (var v = scale.min; v <= scale.max; v += 1) {
        items.push({ id: String(v), mark: String(v),
          text: v === scale.min ? "interrupts" : (v === scale.max ? "attracts" : "") });
      }
      var list = optionList(items, reveal, s, {
        className: reveal ? "is-compact" : "is-scale", count: items.length, single: true,
        keyLabel: "\u2713 Best rating"
      });
      withScenario(box, q, list, reveal ? "Ratings: " + scale.min + " interrupts, " + scale.max + " attracts"
        : "Rate it from " + scale.min + " to " + scale.max + " on your phone");
    },
    rank: function (box, q, step, reveal, s) {
      var key = reveal ? keyList(reveal.key) : [];
      var items = (q.options || []).map(function (o, i) {
        var place = key.indexOf(String(o.id));
        return { id: o.id, mark: LETTERS.charAt(i), text: o.text,
                 sub: reveal && place !== -1 ? "Best order: no. " + (place + 1) : null };
      });
      var list = optionList(items, reveal, s, {
        key: key.length ? key[0] : null, single: true, keyLabel: "\u2713 Best",
        unitOne: "first place", unitMany: "first places"
      });
      withScenario(box, q, list, reveal ? "Put first by the room" : "Rank them on your phone, best first");
    },
    spot: function (box, q, step, reveal, s) {
      var segments = q.segments || [];
      var keySet = {};
      if (reveal) { keyList(reveal.key).forEach(function (id) { keySet[id] = true; }); }
      var card = scenarioCard(q.scenario || {}, { segments: segments, numbered: !!reveal, keySet: reveal ? keySet : null });
      if (!reveal) {
        box.appendChild(side([card, el("p", "q-instruction", "Mark every phrase that interrupts, on your phone.")]));
        return;
      }
      var items = segments.map(function (seg, i) {
        var text = String(seg.text);
        return { id: seg.id, mark: String(i + 1), text: text.length > 70 ? text.slice(0, 67).trim() + "\u2026" : text };
      });
      var list = optionList(items, reveal, s, { className: "is-spot", badKey: true, keyLabel: "\u26a0 Interrupts", unitOne: "mark", unitMany: "marks" });
      box.classList.add("has-side");
      box.appendChild(side([card]));
      box.appendChild(side([list], "Marked by the room"));
    },
    rewrite: function (box, q, step, reveal, s) {
      var card = q.scenario ? scenarioCard(q.scenario) : null;
      if (!reveal) {
        box.appendChild(side([card, el("p", "q-instruction", "Write a version that attracts, on your phone.")]));
        return;
      }
      var dist = reveal.distribution || {};
      var labels = BANDS.filter(function (b) { return b in dist; });
      Object.keys(dist).forEach(function (b) { if (labels.indexOf(b) === -1) { labels.push(b); } });
      var items = labels.map(function (b) { return { id: b, mark: b.replace("-", "\u2013"), text: "" }; });
      var list = optionList(items, reveal, s, { className: "is-bands is-compact", key: null, single: true, unitOne: "rewrite", unitMany: "rewrites" });
      var bands = side([list], "Coach scores");
      box.classList.add("has-side");
      if (reveal.picked) {
        box.classList.add("is-wide-side");
        var picked = scenarioCard(q.scenario || {}, {
          picked: true, sender: reveal.picked.nickname, text: reveal.picked.text, score: reveal.picked.score
        });
        box.appendChild(side([picked], "A rewrite from the room"));
        box.appendChild(bands);
      } else {
        box.appendChild(side([card]));
        box.appendChild(bands);
      }
    }
  };

  function withScenario(box, q, list, caption) {
    if (q.scenario) {
      box.classList.add("has-side");
      box.appendChild(side([scenarioCard(q.scenario)]));
      box.appendChild(side([list], caption));
    } else {
      box.appendChild(side([list], caption));
    }
  }

  function drawExplanation(box, q, reveal, s) {
    var any = false;
    if (q.type !== "rewrite" && typeof reveal.correct === "number") {
      var answered = Math.max(s.answered || 0, reveal.correct);
      var summary = el("strong", "q-summary",
        reveal.correct + " of " + answered + " got it right");
      box.appendChild(summary);
      any = true;
    }
    if (q.type === "rank" && Array.isArray(reveal.key) && q.options) {
      var texts = {};
      q.options.forEach(function (o, i) { texts[o.id] = LETTERS.charAt(i); });
      var order = reveal.key.map(function (id) { return texts[id] || id; }).join(" \u203a ");
      box.appendChild(document.createTextNode((any ? " \u00b7 " : "") + "Best order: " + order));
      any = true;
    }
    if (reveal.explanation) {
      if (any) { box.appendChild(document.createTextNode(" \u00b7 ")); }
      box.appendChild(document.createTextNode(reveal.explanation));
      any = true;
    }
    box.hidden = !any;
  }

  /* ---- leaderboard and podium --------------------------------------------------------- */

  function boardRow(entry) {
    var li = el("li", "board-row is-" + entry.rank);
    li.appendChild(el("span", "board-rank", entry.rank));
    li.appendChild(el("span", "board-name", entry.nickname));
    var points = el("span", "board-points", entry.points);
    points.appendChild(el("small", null, plural(entry.points, "point", "points")));
    li.appendChild(points);
    return li;
  }

  function playedText(board) {
    var players = board && typeof board.players === "number" ? board.players : null;
    return players === null ? "" : players + " played";
  }

  function renderBoard(s) {
    var board = s.leaderboard || { top: [], players: 0 };
    var signature = JSON.stringify(board);
    if (drawn.board === signature) { return; }
    drawn.board = signature;
    $("board-played").textContent = playedText(board);
    var list = $("board");
    clear(list);
    var top = (board.top || []).slice(0, 10);
    if (!top.length) { list.appendChild(el("li", "empty-board", "No points yet.")); }
    top.forEach(function (entry) { list.appendChild(boardRow(entry)); });
    fit(screens.board);
    announce("Leaderboard");
  }

  function renderEnded(s) {
    var board = s.leaderboard || { top: [], players: s.participants || 0 };
    var signature = JSON.stringify(board);
    if (drawn.ended === signature) { return; }
    drawn.ended = signature;
    $("ended-played").textContent = playedText(board);
    var podium = $("podium");
    var rest = $("board-rest");
    clear(podium); clear(rest);
    var top = (board.top || []).slice(0, 10);
    top.slice(0, 3).forEach(function (entry, i) {
      var li = el("li", "podium-place is-" + (i + 1));
      li.appendChild(el("span", "podium-name", entry.nickname));
      li.appendChild(el("span", "podium-points", entry.points + " " + plural(entry.points, "point", "points")));
      var block = el("span", "podium-block", entry.rank);
      block.setAttribute("aria-hidden", "true");
      li.insertBefore(hiddenText("Rank " + entry.rank + ": "), li.firstChild);
      li.appendChild(block);
      podium.appendChild(li);
    });
    if (!top.length) { podium.appendChild(el("li", "empty-board", "No points were scored.")); }
    top.slice(3).forEach(function (entry) { rest.appendChild(boardRow(entry)); });
    // Two columns read top to bottom: 4-7 on the left, 8-10 on the right.
    rest.style.gridTemplateRows = "repeat(" + Math.max(1, Math.ceil((top.length - 3) / 2)) + ", auto)";
    rest.hidden = top.length <= 3;
    fit(screens.ended);
    announce("The workshop has ended. Final results.");
  }

  /* ---- keep a screen on one page ------------------------------------------------------ */

  function fit(screen) {
    screen.removeAttribute("data-fit");
    var level = 0;
    while (level < 8 && screen.scrollHeight > screen.clientHeight + 1) {
      level += 1;
      screen.setAttribute("data-fit", String(level));
    }
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      drawn = {};
      if (state) { render(); }
    }, 200);
  });

  /* ---- keys --------------------------------------------------------------------------- */

  function phaseOf(s) {
    if (!s || !s.step || s.step.kind !== "question") { return null; }
    return s.step.phase || (s.step.revealed ? "revealed" : (s.step.open ? "open" : "ready"));
  }

  function toggleFullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () { toast("This browser did not allow full screen."); });
    }
  }

  function act(name) {
    var s = state;
    if (name === "fullscreen") { toggleFullscreen(); return; }
    if (!s) { toast("Still connecting\u2026"); return; }
    if (name === "next") {
      if (s.status === "lobby") { control("start"); }
      else if (s.status === "ended") { toast("The workshop has ended."); }
      else { control(isLastStep(s) ? "end" : "next"); }
    } else if (name === "space") {
      var phase = phaseOf(s);
      if (phase === "open") { control("close"); }
      else if (phase === "ready" || phase === "closed") { control("open"); }
      else if (phase === "revealed") { toast("The answer is shown: press \u2192 for the next step."); }
      else { toast("Space opens or closes a question; this step is not one."); }
    } else if (name === "reveal") {
      control("reveal");
    } else if (name === "leaderboard") {
      control("leaderboard");
    }
  }

  var KEYS = {
    "ArrowRight": "next", "PageDown": "next", " ": "space", "Spacebar": "space",
    "r": "reveal", "R": "reveal", "l": "leaderboard", "L": "leaderboard", "f": "fullscreen", "F": "fullscreen"
  };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var name = KEYS[event.key];
    if (!name) { return; }
    var target = event.target;
    // A focused button keeps Space and Enter for itself (keyboard users), so no double action.
    if (target && target.closest && target.closest("button, a, input, textarea, select") && name === "space") { return; }
    event.preventDefault();
    if (event.repeat) { return; }
    act(name);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".key-button"), function (button) {
    button.addEventListener("click", function (event) {
      act(button.dataset.key);
      // After a mouse click, give the keys back to the page (Space must not press this again).
      if (event.detail > 0) { button.blur(); }
    });
  });

  // The pointer disappears when it rests, so it does not sit on the projected screen.
  var idleTimer = null;
  function wake() {
    body.classList.remove("is-idle");
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () { body.classList.add("is-idle"); }, 3000);
  }
  document.addEventListener("mousemove", wake);
  wake();

  /* ---- the QR: make the server's SVG scale with its box ------------------------------- */

  var qr = document.querySelector("#qr svg");
  if (qr && !qr.getAttribute("viewBox")) {
    var w = parseFloat(qr.getAttribute("width")), h = parseFloat(qr.getAttribute("height"));
    if (w && h) { qr.setAttribute("viewBox", "0 0 " + w + " " + h); }
  }
  if (qr) {
    qr.removeAttribute("width"); qr.removeAttribute("height");
    qr.setAttribute("role", "img");
    qr.setAttribute("aria-label", "QR code to join the workshop");
  }

  /* ---- start -------------------------------------------------------------------------- */

  window.setInterval(function () { tick(); maybeClose(); }, 250);
  follower = window.AttractLive.follow({
    eventsUrl: cfg.eventsUrl, stateUrl: cfg.stateUrl, pollMs: 1000, clock: clock,
    onState: applyState,
    onOnline: function () { setConnection(""); },
    onOffline: function () { setConnection("Connection lost: retrying\u2026", true); }
  });
})();
