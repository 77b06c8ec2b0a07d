/* Attract live workshop: the participant's phone (/w/<CODE>).

   Follows the room (EventSource on data-events-url, event "state"; when the stream fails,
   polling data-state-url every 2 s with If-None-Match, and the stream tried again later),
   and shows one screen for the room's state: the lobby, a slide's title, a question with
   its answer buttons, the result after the reveal, the leaderboard, the end.

   Who am I: the token in localStorage["attract.participant.<CODE>"] (or data-token, just
   after a no-JS join, moved there; or POST data-resume-url for a signed-in learner), sent
   as "Authorization: Bearer" to data-me-url and data-answers-url. A reload fetches /me and
   comes back as the same player, with an answer already sent shown as locked in.

   The countdown runs on the server's clock: every response's Date header narrows the
   client's offset from it.

   No inline script or style (the Content-Security-Policy forbids both): classes, the
   hidden attribute and el.style for the countdown bar only. Every text that a person
   typed (nicknames, messages, prompts, options) goes in with textContent. */
(() => {
  "use strict";

  const root = document.getElementById("phone");
  if (!root || !window.fetch) return;

  const data = root.dataset;
  const cfg = {
    code: data.code || "",
    scoring: data.scoring || "speed",
    stateUrl: data.stateUrl,
    eventsUrl: data.eventsUrl,
    meUrl: data.meUrl,
    answersUrl: data.answersUrl,
    joinPageUrl: data.joinPageUrl || "/join",
    resumeUrl: data.resumeUrl || "",
    csrf: data.csrf || "",
    phoneUrl: data.phoneUrl || "",
  };
  const KEY = "attract.participant." + cfg.code;
  const host = document.getElementById("phone-screen");
  const announcer = document.getElementById("phone-announce");
  const chip = document.getElementById("phone-me");
  const chipNick = document.getElementById("phone-nick");
  const chipPoints = document.getElementById("phone-points");
  const connection = document.getElementById("phone-connection");

  /* ---- small helpers ---------------------------------------------------------------- */

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function hidden(text) { return el("span", "visually-hidden", text); }
  function button(className, text) {
    const node = el("button", className, text);
    node.type = "button";
    return node;
  }
  const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));
  const jitter = (ms) => Math.round(Math.random() * ms);

  const numbers = new Intl.NumberFormat();
  const fmt = (n) => numbers.format(Number(n) || 0);
  function signed(n) {
    n = Number(n) || 0;
    if (n > 0) return "+" + fmt(n);
    if (n < 0) return "\u2212" + fmt(-n);
    return "0";
  }
  function ordinal(n) {
    const suffix = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (suffix[(v - 20) % 10] || suffix[v] || suffix[0]);
  }
  function pointsWord(n) { return Math.abs(Number(n)) === 1 ? "point" : "points"; }
  function standing(info) {
    // "3rd of 42", or null before the server has ranked anyone.
    if (!info || !info.rank) return null;
    return ordinal(info.rank) + (info.players ? " of " + fmt(info.players) : "");
  }

  let pending = [];
  let announceTimer = null;
  function announce(text) {
    if (!text) return;
    pending.push(text);
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => {
      announcer.textContent = "";
      const said = pending.join(" ");
      pending = [];
      window.setTimeout(() => { announcer.textContent = said; }, 50);
    }, 80);
  }

  const store = {
    get() { try { return window.localStorage.getItem(KEY); } catch (e) { return null; } },
    set(value) { try { window.localStorage.setItem(KEY, value); } catch (e) { /* memory only */ } },
    drop() { try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ } },
  };
  // A rewrite being typed survives a reload (not an answer: nothing is sent until Submit).
  const drafts = {
    key: (index) => "attract.draft." + cfg.code + "." + index,
    get(index) { try { return window.sessionStorage.getItem(this.key(index)) || ""; } catch (e) { return ""; } },
    set(index, text) { try { window.sessionStorage.setItem(this.key(index), text); } catch (e) { /* fine */ } },
    drop(index) { try { window.sessionStorage.removeItem(this.key(index)); } catch (e) { /* fine */ } },
  };

  /* ---- the server's clock ----------------------------------------------------------- */

  // The Date header is whole seconds: the server's time S lies in [D, D + 1 s), and it was
  // read while the request was out, between sent and received. So the offset (server time
  // minus client time) lies in (D - received, D + 1000 - sent); every response narrows it.
  const clock = {
    lo: -Infinity, hi: Infinity, offset: 0,
    sample(header, sent, received) {
      const d = Date.parse(header || "");
      if (isNaN(d)) return;
      const lo = d - received, hi = d + 1000 - sent;
      const nlo = Math.max(this.lo, lo), nhi = Math.min(this.hi, hi);
      if (nlo <= nhi) { this.lo = nlo; this.hi = nhi; } else { this.lo = lo; this.hi = hi; }
      this.offset = (this.lo + this.hi) / 2;
    },
    now() { return Date.now() + this.offset; },
  };

  async function request(url, options) {
    const sent = Date.now();
    const response = await fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options));
    clock.sample(response.headers.get("Date"), sent, Date.now());
    return response;
  }
  const readJson = (response) => response.json().catch(() => null);

  /* ---- who am I ---------------------------------------------------------------------- */

  let token = null;
  let resumeTried = false;
  let removed = false;

  function authHeaders(extra) {
    return Object.assign({ Accept: "application/json", Authorization: "Bearer " + token }, extra || {});
  }

  async function resume() {
    if (!cfg.resumeUrl || resumeTried) return false;
    resumeTried = true;
    try {
      const response = await request(cfg.resumeUrl, {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": cfg.csrf },
      });
      const body = response.ok ? await readJson(response) : null;
      if (body && body.token) { token = body.token; store.set(token); return true; }
    } catch (e) { /* fall through */ }
    return false;
  }

  async function findToken() {
    if (data.token) {
      // Just joined without JavaScript: keep the token, and take it out of the page.
      token = data.token;
      store.set(token);
      root.removeAttribute("data-token");
      // The page was the answer to a form post: a reload should not post it again.
      // Without data-phone-url, the join page: it sends a phone with a token on to the game.
      try { window.history.replaceState(null, "", cfg.phoneUrl || cfg.joinPageUrl); } catch (e) { /* fine */ }
      return true;
    }
    token = store.get();
    if (token) return true;
    if (await resume()) return true;
    window.location.replace(cfg.joinPageUrl);
    return false;
  }

  async function unauthorized() {
    // The token is gone: the trainer removed this player, or it was never valid here.
    store.drop();
    if (await resume()) { loadMe(); return; }
    removed = true;
    stopFollowing();
    me = null;
    chip.hidden = true;
    render();
  }

  /* ---- /me ------------------------------------------------------------------------- */

  let me = null;
  let meSequence = 0;

  async function loadMe(delay) {
    const mine = ++meSequence;
    if (delay) await sleep(delay);
    if (removed || !token) return null;
    let response;
    try {
      response = await request(cfg.meUrl, { headers: authHeaders() });
    } catch (e) {
      return null;
    }
    if (response.status === 401) { await unauthorized(); return null; }
    if (!response.ok) return null;
    const body = await readJson(response);
    if (!body || mine !== meSequence) return body;  // a newer request is on its way
    me = body;
    updateChip();
    if (view && view.onMe) view.onMe(me);
    return me;
  }

  function updateChip() {
    if (!me || removed) { chip.hidden = true; return; }
    chipNick.textContent = me.nickname || "";
    chipPoints.textContent = fmt(me.points) + " " + pointsWord(me.points);
    chip.hidden = false;
  }

  // The answer the server holds for the current step: the value itself, or (should the
  // server wrap it) {answer, confidence}.
  function answerOf(info) {
    let value = info.answer;
    if (value && typeof value === "object" && !Array.isArray(value) && "answer" in value) value = value.answer;
    return value;
  }

  /* ---- the room --------------------------------------------------------------------- */

  let state = null;
  let etag = null;
  let ended = false;
  let booting = true;

  function applyState(next, tag) {
    if (!next || typeof next !== "object") return;
    if (state && typeof next.version === "number" && next.version <= state.version) return;
    state = next;
    etag = tag || ('"' + next.version + '"');
    if (next.status === "ended" && !ended) {
      ended = true;
      stopFollowing();
    }
    if (!booting) render();
  }

  let stream = null;
  let streamRetry = null;
  let streamFailures = 0;
  let polling = false;
  let pollTimer = null;
  let pollFailures = 0;

  function setConnection(trouble) {
    connection.hidden = !trouble;
  }

  async function poll() {
    const headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    try {
      const response = await request(cfg.stateUrl, { headers });
      if (response.status === 304) { pollFailures = 0; setConnection(false); return; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      const body = await readJson(response);
      if (!body) throw new Error("not JSON");
      applyState(body, response.headers.get("ETag"));
      pollFailures = 0;
      setConnection(false);
    } catch (e) {
      pollFailures += 1;
      if (pollFailures >= 2) setConnection(true);
    }
  }

  function startPolling() {
    if (polling || ended || removed) return;
    polling = true;
    const loop = async () => {
      if (!polling) return;
      await poll();
      if (polling) pollTimer = window.setTimeout(loop, 2000);
    };
    pollTimer = window.setTimeout(loop, 0);
  }
  function stopPolling() {
    polling = false;
    window.clearTimeout(pollTimer);
  }

  function openStream() {
    if (ended || removed || stream) return;
    window.clearTimeout(streamRetry);
    if (!window.EventSource || !cfg.eventsUrl) { startPolling(); return; }
    let source;
    try { source = new EventSource(cfg.eventsUrl); } catch (e) { startPolling(); return; }
    stream = source;
    source.addEventListener("state", (event) => {
      let next = null;
      try { next = JSON.parse(event.data); } catch (e) { return; }
      applyState(next);
    });
    source.addEventListener("open", () => {
      streamFailures = 0;
      stopPolling();
      setConnection(false);
      poll();  // whatever changed while the stream was down
    });
    source.addEventListener("error", () => {
      if (stream !== source) return;
      source.close();
      stream = null;
      if (ended || removed) return;
      // Poll meanwhile; try the stream again later (later each time, never in step with
      // the rest of the room).
      streamFailures += 1;
      startPolling();
      const wait = Math.min(120000, 10000 * Math.pow(2, Math.min(streamFailures - 1, 4)));
      streamRetry = window.setTimeout(openStream, wait + jitter(5000));
    });
  }

  function stopFollowing() {
    stopPolling();
    window.clearTimeout(streamRetry);
    if (stream) { stream.close(); stream = null; }
    setConnection(false);
  }

  // A phone put to sleep loses its stream: catch up as soon as it is looked at again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || ended || removed || booting) return;
    poll();
    if (!stream && !polling) openStream();
    if (view && view.wantsMe) loadMe(jitter(500));
  });
  window.addEventListener("online", () => {
    if (ended || removed || booting) return;
    poll();
    if (!stream) { window.clearTimeout(streamRetry); openStream(); }
  });

  /* ---- screens ------------------------------------------------------------------------ */

  let view = null;

  function phaseOf(step) {
    if (step.phase) return step.phase;
    if (step.revealed) return "revealed";
    return step.open ? "open" : "closed";
  }

  function screenKey() {
    if (removed) return "removed";
    if (!state) return "connecting";
    if (state.status === "ended") return "ended";
    if (state.status === "lobby") return "lobby";
    const step = state.step;
    if (step && step.kind === "question") {
      const phase = phaseOf(step);
      if (phase === "ready" || phase === "open") return "question:" + step.index;
      if (state.leaderboard) return "leaderboard";
      return (phase === "revealed" ? "result:" : "question:") + step.index;
    }
    if (state.leaderboard) return "leaderboard";
    if (step && step.kind === "slide") return "slide:" + step.index;
    return "waiting";
  }

  function render() {
    const key = screenKey();
    if (view && view.key === key) { if (view.update) view.update(); return; }
    const first = !view || view.key === "connecting";
    const active = document.activeElement;
    const focusHere = !active || active === document.body || host.contains(active);
    if (view && view.destroy) view.destroy();
    view = makeView(key);
    view.key = key;
    host.replaceChildren(view.node);
    if (view.update) view.update();
    if (view.say) announce(view.say);
    if (!first) {
      // A new screen starts at its top; keyboard and screen reader users land on its heading.
      window.scrollTo(0, 0);
      if (focusHere && view.heading) view.heading.focus({ preventScroll: true });
    }
  }

  function makeView(key) {
    const [kind] = key.split(":");
    switch (kind) {
      case "removed": return removedView();
      case "connecting": return messageView("Connecting…", "Getting the game onto your phone.");
      case "ended": return endedView();
      case "lobby": return lobbyView();
      case "leaderboard": return leaderboardView();
      case "slide": return slideView(state.step);
      case "question": return questionView(state.step);
      case "result": return resultView(state.step);
      default: return messageView("Get ready", "The next part is about to start. Watch the big screen.");
    }
  }

  function card(extra) {
    return el("div", "phone-card" + (extra ? " " + extra : ""));
  }
  function heading(text, className) {
    const h = el("h1", className || "phone-heading", text);
    h.tabIndex = -1;
    return h;
  }

  function messageView(title, text) {
    const node = card("is-centred");
    const h = heading(title);
    node.append(h, el("p", "phone-lead", text));
    return { node, heading: h };
  }

  function removedView() {
    const node = card("is-centred is-removed");
    const h = heading("You were removed from this workshop");
    const link = el("a", "button button-big", "Join again");
    link.href = cfg.joinPageUrl;
    node.append(h,
      el("p", "phone-lead", "The trainer took you out of the game, or your place in it has expired. " +
        "You can join again with a nickname."),
      el("p", "phone-actions"));
    node.lastChild.append(link);
    return { node, heading: h, say: "You were removed from this workshop. Join again to keep playing." };
  }

  const SCORING = {
    speed: "Right answers score more the faster you give them.",
    accuracy: "Only right answers score: take your time.",
    confidence: "Say how sure you are with each answer: sure and right scores the most, sure and wrong costs the most.",
  };

  function lobbyView() {
    const node = card("is-centred is-lobby");
    const pulse = el("span", "phone-pulse");
    pulse.setAttribute("aria-hidden", "true");
    const h = heading("You're in!");
    const who = el("p", "phone-who");
    const players = el("p", "phone-players");
    node.append(pulse, h, who,
      el("p", "phone-lead", "Watch the big screen: the game starts when the trainer is ready."),
      players);
    if (SCORING[cfg.scoring]) node.append(el("p", "phone-hint", SCORING[cfg.scoring]));
    function showWho() {
      who.replaceChildren();
      if (me && me.nickname) {
        who.append("You're in as ", el("strong", "phone-nickname", me.nickname));
      }
    }
    showWho();
    return {
      node, heading: h, onMe: showWho,
      say: me && me.nickname ? "You're in as " + me.nickname + ". Watch the big screen." : "You're in. Watch the big screen.",
      update() {
        const n = state.participants || 0;
        players.textContent = fmt(n) + (n === 1 ? " player" : " players") + " in the room";
      },
    };
  }

  function slideView(step) {
    const node = card("is-centred is-slide");
    const icon = el("span", "phone-look");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "\u2191";
    const h = heading(step.title || "On the big screen");
    node.append(el("p", "eyebrow", "On the big screen"), h, icon,
      el("p", "phone-lead", "Look up at the screen. Questions come up here on your phone."));
    return { node, heading: h, say: "On the big screen: " + (step.title || "a slide") + ". Look up at the screen." };
  }

  /* ---- the scenario card: the macro scenario_card, built with textContent ----------------- */

  const CHANNELS = {
    linkedin: ["LinkedIn message", "in"],
    "linkedin-invite": ["LinkedIn invitation note", "in"],
    x: ["Direct message on X", "X"],
    facebook: ["Facebook message", "f"],
    email: ["Email", "@"],
    other: ["Other message", "\u2026"],
  };
  const ALIASES = { twitter: "x", linkedin_invite: "linkedin-invite", invite: "linkedin-invite" };

  function channelOf(name) {
    let key = String(name || "other").trim().toLowerCase();
    key = ALIASES[key] || key;
    return CHANNELS[key] ? key : "other";
  }
  function initials(name) {
    const words = String(name || "?").trim().split(/\s+/);
    return ((words[0] || "?").charAt(0) + (words.length > 1 ? words[words.length - 1].charAt(0) : "")).toUpperCase();
  }

  function scenarioCard(scenario, body) {
    const channel = channelOf(scenario.channel);
    const [label, mark] = CHANNELS[channel];
    const email = channel === "email";
    const figure = el("figure", "scenario scenario-" + channel);
    const head = el("figcaption", "scenario-head");
    const avatar = el("span", "avatar", initials(scenario.sender));
    avatar.setAttribute("aria-hidden", "true");
    const who = el("span", "scenario-who");
    const sender = el("span", "sender");
    if (email) sender.append(el("span", "scenario-field", "From"), " ");
    else sender.append(hidden("from "));
    sender.append(scenario.sender || "");
    who.append(sender);
    if (scenario.recipient) {
      const recipient = el("span", "recipient");
      recipient.append(email ? el("span", "scenario-field", "To") : "to", " ", scenario.recipient);
      who.append(recipient);
    }
    const badge = el("span", "channel");
    const markNode = el("span", "channel-mark", mark);
    markNode.setAttribute("aria-hidden", "true");
    badge.append(markNode, " " + label);
    head.append(avatar, who, badge);
    figure.append(head);
    // white-space: pre-line on .message keeps the sender's line breaks.
    figure.append(body || el("blockquote", "message", scenario.message || ""));
    return figure;
  }

  /* ---- answer widgets ------------------------------------------------------------------ */
  // Each returns {node, setEnabled(on), show(answer)}; ctx.submit(answer) sends an answer,
  // ctx.error(text) explains a refusal beside the widget.

  const LETTERS = "ABCDEFGHIJKLMNOP";

  // The locked answer: a class, and words (shown as a tag when there is room for one).
  function markPicked(node, on, visible) {
    node.classList.toggle("is-picked", on);
    let tag = node.querySelector(".picked-tag");
    if (on && !tag) {
      tag = visible ? el("span", "picked-tag", "Your answer") : hidden(" (your answer)");
      tag.classList.add("picked-tag");
      node.append(tag);
    } else if (!on && tag) {
      tag.remove();
    }
  }

  function group(className, label) {
    const node = el("div", className);
    node.setAttribute("role", "group");
    node.setAttribute("aria-label", label);
    return node;
  }

  function submitButton(text) {
    return button("button button-big submit-answer", text || "Submit answer");
  }

  function verdictWidget(q, ctx) {
    const node = group("answer-grid answer-verdict", "Your verdict");
    const buttons = [
      ["attraction", "Attraction", "It earns the reader's attention"],
      ["interruption", "Interruption", "It demands the reader's attention"],
    ].map(([value, word, hint]) => {
      const b = button("answer-button verdict-button verdict-" + value);
      b.dataset.value = value;
      b.append(el("span", "verdict-word", word), el("span", "verdict-hint", hint));
      b.addEventListener("click", () => ctx.submit(value));
      return b;
    });
    node.append(...buttons);
    return {
      node,
      setEnabled(on) { buttons.forEach((b) => { b.disabled = !on; }); },
      show(value) { buttons.forEach((b) => markPicked(b, b.dataset.value === value, true)); },
    };
  }

  function choiceWidget(q, ctx) {
    const multiple = !!q.multiple;
    const node = el("div", "answer-block");
    node.append(el("p", "answer-legend", multiple ? "Tap every answer that applies, then Submit." : "Tap your answer."));
    const list = group("answer-grid", multiple ? "Choose all that apply" : "Choose one");
    const buttons = (q.options || []).map((option, index) => {
      const b = button("answer-button choice-button");
      b.dataset.value = option.id;
      const letter = el("span", "answer-letter", LETTERS.charAt(index));
      letter.setAttribute("aria-hidden", "true");
      b.append(letter, el("span", "answer-text", option.text));
      if (multiple) {
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", () => {
          b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
          ctx.error("");
        });
      } else {
        b.addEventListener("click", () => ctx.submit(option.id));
      }
      return b;
    });
    list.append(...buttons);
    node.append(list);
    let send = null;
    if (multiple) {
      send = submitButton();
      send.addEventListener("click", () => {
        const picks = buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.value);
        if (!picks.length) { ctx.error("Tap at least one answer, then Submit."); return; }
        ctx.submit(picks);
      });
      node.append(send);
    }
    return {
      node,
      setEnabled(on) {
        buttons.forEach((b) => { b.disabled = !on; });
        if (send) send.disabled = !on;
      },
      show(value) {
        const picks = Array.isArray(value) ? value.map(String) : [String(value)];
        buttons.forEach((b) => {
          const on = picks.includes(b.dataset.value);
          if (multiple) b.setAttribute("aria-pressed", on ? "true" : "false");
          markPicked(b, on);
        });
      },
    };
  }

  function ratingWidget(q, ctx) {
    const scale = q.scale || {};
    const min = Number.isInteger(scale.min) ? scale.min : 1;
    const max = Number.isInteger(scale.max) && scale.max > min ? scale.max : 5;
    const node = el("div", "answer-block");
    node.append(el("p", "answer-legend", "Tap your rating."));
    const row = group("rating-row", "Your rating, from " + min + " (interrupts) to " + max + " (attracts)");
    const buttons = [];
    for (let n = min; n <= max; n += 1) {
      const b = button("answer-button rating-button");
      b.dataset.value = String(n);
      b.append(el("span", "rating-number", n));
      if (n === min) b.append(hidden(", interrupts"));
      else if (n === max) b.append(hidden(", attracts"));
      b.addEventListener("click", () => ctx.submit(n));
      buttons.push(b);
    }
    row.append(...buttons);
    const ends = el("p", "rating-ends");
    ends.setAttribute("aria-hidden", "true");
    ends.append(el("span", null, "\u2190 interrupts"), el("span", null, "attracts \u2192"));
    node.append(row, ends);
    return {
      node,
      setEnabled(on) { buttons.forEach((b) => { b.disabled = !on; }); },
      show(value) { buttons.forEach((b) => markPicked(b, Number(b.dataset.value) === Number(value))); },
    };
  }

  function rankWidget(q, ctx) {
    const options = q.options || [];
    let order = [];
    const node = el("div", "answer-block");
    node.append(el("p", "answer-legend", "Tap them in order, best first. Tap one again to take it out."));
    const list = group("answer-grid rank-pick", "Rank, best first");
    const buttons = options.map((option) => {
      const b = button("answer-button rank-button-live");
      b.dataset.value = option.id;
      const badge = el("span", "rank-badge");
      badge.setAttribute("aria-hidden", "true");
      const status = hidden("");
      b.append(badge, el("span", "answer-text", option.text), status);
      b.addEventListener("click", () => {
        const at = order.indexOf(option.id);
        if (at >= 0) {
          order.splice(at, 1);
          announce("Taken out. " + order.length + " of " + options.length + " placed.");
        } else {
          order.push(option.id);
          announce("Place " + order.length + " of " + options.length + "." +
            (order.length === options.length ? " All placed: Submit when ready." : ""));
        }
        ctx.error("");
        draw();
      });
      return b;
    });
    list.append(...buttons);
    const tools = el("div", "answer-tools");
    const undo = button("button button-secondary tool-button", "Undo");
    const clear = button("button button-secondary tool-button", "Clear");
    undo.addEventListener("click", () => {
      if (!order.length) return;
      order.pop();
      announce("Last place undone. " + order.length + " of " + options.length + " placed.");
      draw();
    });
    clear.addEventListener("click", () => {
      if (!order.length) return;
      order = [];
      announce("Cleared. Start again from the best.");
      draw();
    });
    tools.append(undo, clear);
    const send = submitButton();
    send.addEventListener("click", () => {
      if (order.length < options.length) {
        const left = options.length - order.length;
        ctx.error("Place all " + options.length + " first: " + left + " still to go.");
        return;
      }
      ctx.submit(order.slice());
    });
    const counter = el("p", "answer-count");
    node.append(list, counter, tools, send);
    let enabled = true;
    function draw() {
      buttons.forEach((b) => {
        const place = order.indexOf(b.dataset.value) + 1;
        b.querySelector(".rank-badge").textContent = place ? String(place) : "";
        b.querySelector(".visually-hidden").textContent = place ? " (place " + place + ")" : " (not placed yet)";
        b.classList.toggle("is-placed", place > 0);
      });
      counter.textContent = order.length + " of " + options.length + " placed";
      undo.disabled = !enabled || !order.length;
      clear.disabled = !enabled || !order.length;
    }
    draw();
    return {
      node,
      setEnabled(on) {
        enabled = on;
        buttons.forEach((b) => { b.disabled = !on; });
        send.disabled = !on;
        draw();
      },
      show(value) {
        if (Array.isArray(value)) order = value.map(String).filter((id) => options.some((o) => o.id === id));
        draw();
      },
    };
  }

  function spotWidget(q, ctx) {
    const node = el("div", "answer-block");
    node.append(el("p", "answer-legend", "Tap each phrase that interrupts, then Submit. Tap again to unmark."));
    const message = group("message spot-pick", "Phrases of the message");
    const buttons = (q.segments || []).map((segment) => {
      const b = button("spot-segment");
      b.dataset.value = segment.id;
      b.setAttribute("aria-pressed", "false");
      b.append(el("span", "segment-text", segment.text));
      b.addEventListener("click", () => {
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
        label();
      });
      return b;
    });
    message.append(...buttons);
    node.append(q.scenario ? scenarioCard(q.scenario, message) : message);
    const send = submitButton();
    function marked() { return buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.value); }
    function label() {
      const n = marked().length;
      send.textContent = n ? "Submit " + n + (n === 1 ? " phrase" : " phrases") : "Submit: none interrupt";
    }
    send.addEventListener("click", () => ctx.submit(marked()));
    label();
    node.append(send);
    return {
      node,
      setEnabled(on) { buttons.forEach((b) => { b.disabled = !on; }); send.disabled = !on; },
      show(value) {
        const picks = Array.isArray(value) ? value.map(String) : [];
        buttons.forEach((b) => b.setAttribute("aria-pressed", picks.includes(b.dataset.value) ? "true" : "false"));
        label();
      },
    };
  }

  function rewriteWidget(q, ctx, index) {
    const max = Number(q.max_length) > 0 ? Number(q.max_length) : 5000;
    const id = "rewrite-" + index;
    const node = el("div", "field field-rewrite answer-block");
    const labelNode = el("label", null, "Your rewrite");
    labelNode.htmlFor = id;
    const to = q.scenario && q.scenario.recipient ? "To " + q.scenario.recipient + ", in your own words." : "In your own words.";
    const hint = el("p", "hint", to);
    hint.id = id + "-hint";
    const area = el("textarea");
    area.id = id;
    area.rows = 6;
    area.maxLength = max;
    area.value = drafts.get(index).slice(0, max);
    area.setAttribute("autocapitalize", "sentences");
    const count = el("p", "hint char-count-live");
    count.id = id + "-count";
    area.setAttribute("aria-describedby", hint.id + " " + count.id);
    const send = submitButton("Submit rewrite");
    let warned = false;
    function counted() {
      const n = area.value.length;
      count.textContent = fmt(n) + " of " + fmt(max) + " characters";
      count.classList.toggle("is-near", n >= max * 0.9);
      if (n >= max && !warned) { warned = true; announce("That's the limit: " + fmt(max) + " characters."); }
      if (n < max) warned = false;
    }
    area.addEventListener("input", () => { counted(); drafts.set(index, area.value); ctx.error(""); });
    send.addEventListener("click", () => {
      if (!area.value.trim()) { ctx.error("Write your rewrite first, then Submit."); area.focus(); return; }
      ctx.submit(area.value);
    });
    counted();
    node.append(labelNode, hint, area, count, send);
    return {
      node,
      setEnabled(on) {
        area.readOnly = !on;
        area.classList.toggle("is-locked", !on);
        send.disabled = !on;
      },
      show(value) {
        if (typeof value === "string") { area.value = value; counted(); }
      },
    };
  }

  const WIDGETS = {
    verdict: verdictWidget, choice: choiceWidget, rating: ratingWidget,
    rank: rankWidget, spot: spotWidget, rewrite: rewriteWidget,
  };

  function confidencePicker(index) {
    const node = el("fieldset", "confidence");
    const legend = el("legend", null, "How sure are you?");
    const hint = el("p", "hint confidence-hint",
      "Choose before you answer. Sure and right scores the most; sure and wrong costs the most. Low risks little either way.");
    hint.id = "confidence-hint-" + index;
    node.setAttribute("aria-describedby", hint.id);
    const row = el("div", "confidence-options");
    const inputs = [["low", "Low"], ["medium", "Medium"], ["high", "High"]].map(([value, text]) => {
      const label = el("label", "confidence-option confidence-" + value);
      const input = el("input");
      input.type = "radio";
      input.name = "confidence-" + index;
      input.value = value;
      label.append(input, el("span", null, text));
      row.append(label);
      return input;
    });
    const error = el("p", "error confidence-error");
    error.setAttribute("aria-live", "polite");
    node.append(legend, hint, row, error);
    inputs.forEach((input) => input.addEventListener("change", () => { error.textContent = ""; node.classList.remove("is-missing"); }));
    return {
      node,
      value() { const on = inputs.find((i) => i.checked); return on ? on.value : null; },
      setEnabled(on) { inputs.forEach((i) => { i.disabled = !on; }); },
      show(value) { inputs.forEach((i) => { i.checked = i.value === value; }); },
      missing() {
        node.classList.add("is-missing");
        error.textContent = "";
        window.setTimeout(() => { error.textContent = "Choose low, medium or high first: then your answer goes in."; }, 50);
        node.scrollIntoView({ block: "center" });
        inputs[0].focus({ preventScroll: true });
      },
    };
  }

  /* ---- the question ------------------------------------------------------------------ */

  const sent = new Map();  // step index -> the answer this page sent (for the locked view)

  function questionView(step) {
    const index = step.index;
    const q = step.question || {};
    const type = q.type;
    const node = el("div", "phone-question question-" + (type || "unknown"));

    const eyebrow = el("p", "eyebrow q-eyebrow");
    eyebrow.append("Question " + step.number + " of " + step.questions);
    // Live, a question worth 1 point in its quiz file is worth up to 1000 (scoreboard.py).
    if (q.points) eyebrow.append(el("span", "q-worth", " \u00b7 up to " + (q.points * 1000) + " points"));

    const bar = el("div", "q-status");
    bar.tabIndex = -1;
    const statusWords = el("span", "q-status-words");
    const statusMain = el("strong", "q-status-main");
    const statusSub = el("span", "q-status-sub");
    statusWords.append(statusMain, statusSub);
    const timer = el("span", "q-timer");
    timer.setAttribute("role", "timer");
    timer.hidden = true;
    const track = el("span", "q-track");
    track.setAttribute("aria-hidden", "true");
    const fill = el("span", "q-fill");
    track.append(fill);
    bar.append(statusWords, timer, track);

    const h = heading(q.prompt || "Question", "q-prompt");
    node.append(eyebrow, bar, h);

    if (q.scenario && type !== "spot") node.append(scenarioCard(q.scenario));

    const confidence = cfg.scoring === "confidence" ? confidencePicker(index) : null;
    if (confidence) node.append(confidence.node);

    const error = el("p", "q-error");
    error.setAttribute("aria-live", "polite");
    let answered = false;
    let shown = false;     // the locked answer is marked on the widget
    let busy = false;
    let note = "";
    let mode = null;
    let enabledNow = null;
    let said10 = false;
    // Verdict, single choice and rating send on the tap: that button is marked while it goes.
    const oneTap = type === "verdict" || type === "rating" || (type === "choice" && !q.multiple);

    const ctx = {
      submit(answer) { send(answer); },
      error(text) {
        error.textContent = "";
        error.hidden = !text;
        if (text) {
          window.setTimeout(() => { error.textContent = text; }, 50);
          window.setTimeout(() => error.scrollIntoView({ block: "nearest" }), 60);
        }
      },
    };
    const make = WIDGETS[type];
    const widget = make ? make(q, ctx, index) : null;
    if (widget) node.append(widget.node);
    else node.append(el("p", "phone-lead", "Answer this one on the big screen's instructions."));
    error.hidden = true;
    const tally = el("p", "q-tally");
    node.append(error, tally);

    function lock(answer, words) {
      answered = true;
      busy = false;
      note = words || "";
      if (answer !== undefined && answer !== null && widget) { widget.show(answer); shown = true; }
      ctx.error("");
      drafts.drop(index);
      refresh();
    }

    async function send(answer) {
      if (busy || answered || mode !== "open") return;
      let level = null;
      if (confidence) {
        level = confidence.value();
        if (!level) { confidence.missing(); return; }
      }
      busy = true;
      ctx.error("");
      if (widget && oneTap) widget.show(answer);
      refresh();
      const body = { question_id: q.id, answer };
      if (confidence) body.confidence = level;
      let response;
      try {
        response = await request(cfg.answersUrl, {
          method: "POST",
          headers: authHeaders({ "Content-Type": "application/json", "X-CSRFToken": cfg.csrf }),
          body: JSON.stringify(body),
        });
      } catch (e) {
        busy = false;
        if (widget && oneTap) widget.show(null);
        refresh();
        ctx.error("Your answer didn't reach the game. Check your connection and try again.");
        return;
      }
      if (response.ok) {
        sent.set(index, { answer, confidence: level });
        lock(answer, "");
        return;
      }
      const reply = await readJson(response);
      if (response.status === 409) {
        // Answered already (another tab, or a tap that got through twice): /me says what.
        lock(null, "You had already answered this one.");
        loadMe();
        return;
      }
      if (response.status === 401) { busy = false; unauthorized(); return; }
      busy = false;
      if (widget && oneTap) widget.show(null);
      refresh();
      if (response.status === 422) {
        ctx.error((reply && reply.message) || "The game could not take that answer.");
      } else if (response.status === 429) {
        ctx.error((reply && reply.message) || "Too many taps at once: wait a second and try again.");
      } else {
        ctx.error((reply && reply.message) || ("Something went wrong (error " + response.status + "). Try again."));
      }
    }

    function times() {
      const st = state.step;
      const phase = phaseOf(st);
      const deadline = st.deadline ? Date.parse(st.deadline) : NaN;
      const hasDeadline = !isNaN(deadline);
      const left = hasDeadline ? deadline - clock.now() : Infinity;
      const serverOpen = phase === "open" && st.open !== false;
      return { phase, hasDeadline, left, open: serverOpen && left > 0, limit: Number(st.time_limit) || 0 };
    }

    function refresh() {
      if (!state || !state.step || state.step.index !== index) return;
      const t = times();
      const next = answered ? "locked" : busy ? "sending" : t.open ? "open" : t.phase === "ready" ? "ready" : "closed";
      const wasInside = node.contains(document.activeElement) && document.activeElement !== h;
      const enabled = next === "open";
      if (enabled !== enabledNow) {
        enabledNow = enabled;
        if (widget) widget.setEnabled(enabled);
        if (confidence) confidence.setEnabled(enabled);
      }

      // The countdown runs while the room can still answer, locked in or not.
      const counting = t.hasDeadline && t.open;
      timer.hidden = !counting;
      track.hidden = !counting;
      if (counting) {
        const seconds = Math.max(0, Math.ceil(t.left / 1000));
        const text = seconds >= 60 ? Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0") : String(seconds);
        if (timer.textContent !== text) {
          timer.textContent = text;
          timer.setAttribute("aria-label", seconds + (seconds === 1 ? " second" : " seconds") + " left");
        }
        const total = t.limit ? t.limit * 1000 : 0;
        fill.style.width = total ? Math.max(0, Math.min(100, (t.left / total) * 100)).toFixed(1) + "%" : "100%";
        bar.classList.toggle("is-urgent", seconds <= 5 && next === "open");
        if (!said10 && seconds <= 10 && seconds > 5 && next === "open" && t.limit > 15) {
          said10 = true;
          announce("10 seconds left.");
        }
      } else {
        bar.classList.remove("is-urgent");
      }

      if (next !== mode) {
        const previous = mode;
        mode = next;
        bar.classList.toggle("is-locked", next === "locked");
        bar.classList.toggle("is-closed", next === "closed");
        bar.classList.toggle("is-ready", next === "ready");
        node.classList.toggle("is-answered", next === "locked");
        let main = "", sub = "", say = "";
        if (next === "open") {
          main = "Answer now";
          sub = confidence ? "Say how sure you are, then answer." : "Pick your answer below.";
          say = previous === "ready" ? "Answers are open." : "";
        } else if (next === "sending") {
          main = "Sending…";
          sub = "Locking in your answer.";
        } else if (next === "locked") {
          main = "Answer locked in \u2713";
          sub = note || "Watch the big screen for the reveal.";
          say = "Answer locked in." + (note ? " " + note : "");
        } else if (next === "ready") {
          main = "Get ready";
          sub = "Answers open in a moment.";
        } else {
          main = "Time's up";
          sub = "No answer from you this time. The answer comes up on the big screen.";
          say = "Time's up.";
        }
        statusMain.textContent = main;
        statusSub.textContent = sub;
        if (say && previous !== null) announce(say);
        // A tapped button that is now disabled would drop focus to the page: keep it here.
        if (wasInside && !enabled) bar.focus({ preventScroll: true });
      }

      const answeredCount = state.answered || 0, players = state.participants || 0;
      const counted = players ? fmt(answeredCount) + " of " + fmt(players) + " players have answered" : "";
      if (tally.textContent !== counted) tally.textContent = counted;
    }

    function fromMe(info) {
      if (!info || info.step_index !== index || !info.answered) return;
      if (answered && shown) return;
      lock(answerOf(info), note);
    }

    // Reload: what the server holds for this step; or what this page sent a moment ago.
    if (sent.has(index)) {
      const mine = sent.get(index);
      lock(mine.answer, "");
      if (confidence && mine.confidence) confidence.show(mine.confidence);
    } else if (me) {
      fromMe(me);
    }

    const ticker = window.setInterval(refresh, 250);
    const phrase = "Question " + step.number + " of " + step.questions + ".";
    return {
      node, heading: h,
      say: phrase + (answered ? " Answer locked in." : ""),
      update: refresh,
      onMe: fromMe,
      destroy() { window.clearInterval(ticker); },
    };
  }

  /* ---- after the reveal ----------------------------------------------------------------- */

  function optionText(q, id) {
    const items = (q.options || []).concat(q.segments || []);
    const found = items.find((item) => String(item.id) === String(id));
    return found ? found.text : String(id);
  }

  function answerNode(q, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) {
      return el("span", "muted", q.type === "spot" ? "No phrase marked" : "No answer");
    }
    switch (q.type) {
      case "verdict": return el("span", null, String(value).charAt(0).toUpperCase() + String(value).slice(1));
      case "rating": return el("span", null, value + " out of " + ((q.scale && q.scale.max) || 5));
      case "rewrite": return el("blockquote", "message answer-quote", value);
      default: {
        if (!Array.isArray(value)) return el("span", null, optionText(q, value));
        const list = el(q.type === "rank" ? "ol" : "ul", "answer-list");
        value.forEach((id) => list.append(el("li", null, optionText(q, id))));
        return list;
      }
    }
  }

  function resultView(step) {
    const index = step.index;
    const q = step.question || {};
    const node = card("is-result");
    const eyebrow = el("p", "eyebrow", "Question " + step.number + " of " + step.questions);
    const h = heading("Checking your answer…", "phone-heading result-headline");
    const body = el("div", "result-body");
    node.append(eyebrow, h, body);
    let filled = false;
    let tries = 0;
    let retry = null;

    function fill(info) {
      filled = true;
      const answeredIt = !!info.answered;
      let tone = "is-neutral", headline = "Scored";
      if (!answeredIt) { tone = "is-empty"; headline = "No answer this time"; }
      else if (q.type === "rewrite") { tone = "is-neutral"; headline = "Your rewrite is scored"; }
      else if (info.correct === true) { tone = "is-right"; headline = "Right!"; }
      else if (info.correct === false) { tone = "is-wrong"; headline = "Not this time"; }
      node.classList.add(tone);
      h.textContent = headline;
      body.replaceChildren();

      const gained = info.points_this_question;
      if (gained !== null && gained !== undefined) {
        const points = el("p", "result-gain");
        points.append(el("span", "result-gain-number", signed(gained)), " " + pointsWord(gained) + " this question");
        body.append(points);
      }
      const total = el("p", "result-total");
      total.append(el("strong", null, fmt(info.points)), " " + pointsWord(info.points) + " in total");
      const place = standing(info);
      if (place) total.append(" \u00b7 ", el("strong", null, place));
      body.append(total);

      if (info.feedback) {
        const fb = el("div", "result-feedback");
        fb.append(el("h2", null, q.type === "rewrite" ? "The coach's feedback" : "Feedback"), el("p", null, info.feedback));
        body.append(fb);
      }

      const facts = el("dl", "result-facts");
      if (answeredIt) {
        facts.append(el("dt", null, q.type === "rewrite" ? "Your rewrite" : "Your answer"));
        const dd = el("dd");
        dd.append(answerNode(q, answerOf(info)));
        facts.append(dd);
      }
      const reveal = state.step && state.step.index === index ? state.step.reveal : step.reveal;
      if (reveal && reveal.key !== null && reveal.key !== undefined && q.type !== "rewrite") {
        facts.append(el("dt", null, q.type === "spot" ? "The phrases that interrupt" : "The answer"));
        const dd = el("dd");
        dd.append(answerNode(q, reveal.key));
        facts.append(dd);
      }
      if (facts.childNodes.length) body.append(facts);
      if (reveal && reveal.explanation) body.append(el("p", "result-explanation", reveal.explanation));

      let words = headline + ".";
      if (gained !== null && gained !== undefined) words += " " + signed(gained) + " " + pointsWord(gained) + ".";
      if (place) words += " You're " + place + ".";
      announce(words);
    }

    function onMe(info) {
      if (filled || !info) return;
      if (info.step_index === index && info.revealed) { fill(info); return; }
      // The reveal reached the room before /me had caught up: ask again shortly.
      if (tries < 5) {
        tries += 1;
        window.clearTimeout(retry);
        retry = window.setTimeout(() => loadMe(), 1200 + jitter(600));
      } else {
        h.textContent = "The answer is on the big screen";
        body.replaceChildren(el("p", "phone-lead", "Your points show up here in a moment."));
      }
    }

    // 300 phones at once: spread the requests over most of a second.
    loadMe(jitter(800));
    return {
      node, heading: h, onMe, wantsMe: true,
      say: "",
      destroy() { window.clearTimeout(retry); },
    };
  }

  /* ---- leaderboard and the end ------------------------------------------------------------ */

  function topList(board, limit) {
    const list = el("ol", "board");
    list.setAttribute("role", "list");
    ((board && board.top) || []).slice(0, limit).forEach((row) => {
      const item = el("li", "board-row");
      const mine = me && row.nickname === me.nickname;
      if (mine) item.classList.add("is-me");
      item.append(el("span", "board-rank", ordinal(row.rank)),
        el("span", "board-name", row.nickname));
      if (mine) item.lastChild.append(hidden(" (you)"));
      item.append(el("span", "board-points", fmt(row.points)));
      list.append(item);
    });
    return list;
  }

  function standingBlock(info, label) {
    const node = el("div", "standing");
    if (!info) { node.append(el("p", "phone-lead", "Fetching your place…")); return node; }
    const place = standing(info);
    if (place) {
      node.append(el("p", "standing-label", label || "You're"), el("p", "standing-rank", place));
    }
    const points = el("p", "standing-points");
    points.append(el("strong", null, fmt(info.points)), " " + pointsWord(info.points));
    node.append(points);
    return node;
  }

  // The leaderboard between questions and the final screen: your standing, then the top.
  function standingsView(o) {
    const node = card(o.className);
    const h = heading(o.title);
    const mine = el("div");
    const board = el("div", "board-wrap");
    node.append(...o.before, h, mine, board, ...o.after);
    function draw() {
      mine.replaceChildren(standingBlock(me, o.label));
      const top = topList(state.leaderboard, o.top);
      board.replaceChildren();
      if (top.childNodes.length) board.append(el("h2", "board-title", "Top of the room"), top);
    }
    draw();
    loadMe(jitter(800));
    return {
      node, heading: h, wantsMe: true, update: draw,
      onMe(info) {
        draw();
        const message = o.announce(info, standing(info));
        if (message) announce(message);
      },
    };
  }

  function leaderboardView() {
    return standingsView({
      className: "is-centred is-board", title: "Leaderboard", top: 5, before: [], after: [],
      announce: (info, place) => place ? "Leaderboard. You're " + place + " with " + fmt(info.points) + " " + pointsWord(info.points) + "." : "",
    });
  }

  function endedView() {
    return standingsView({
      className: "is-centred is-ended", title: "Thanks for playing!", top: 3,
      label: "You finished",
      before: [el("p", "eyebrow", "The workshop has ended")],
      after: [el("p", "phone-hint", "You can close this page now.")],
      announce: (info, place) => "The workshop has ended. Thanks for playing." + (place ? " You finished " + place + "." : ""),
    });
  }

  /* ---- start ------------------------------------------------------------------------------ */

  async function boot() {
    view = null;
    render();  // "Connecting…"
    if (!(await findToken())) return;
    // The first look at the room and at me together, so a reload shows a locked-in
    // answer straight away instead of live buttons for a moment.
    await Promise.all([poll(), loadMe()]);
    booting = false;
    if (removed) return;
    render();
    if (!ended) {
      openStream();
      if (!state) startPolling();
    }
  }

  boot();
})();
