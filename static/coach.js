// Message coach: re-analyse the draft as the learner types (debounced) through
// POST /api/coach. Without JavaScript the form posts and the server renders the same
// result. All text goes in with textContent, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("coach-form");
  if (!form || !window.fetch) { return; }
  var result = document.getElementById("coach-result");
  var count = document.getElementById("char-count");
  var text = form.querySelector("textarea[name=text]");
  var recipient = form.querySelector("input[name=recipient]");
  var channel = form.querySelector("select[name=channel]");
  var max = parseInt(text.getAttribute("maxlength") || "5000", 10);
  var live = document.getElementById("coach-live");
  var timer = null;
  var sequence = 0;
  var ICONS = { met: "\u2713", partial: "\u00bd", missed: "\u25cb", flagged: "\u2715" };

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = String(content); }
    return node;
  }

  function hidden(content) { return el("span", "visually-hidden", content); }

  function render(data) {
    var box = el("div", "coach-score coach-" + data.verdict);
    var heading = el("h2");
    heading.id = "result-heading";
    heading.appendChild(el("span", "coach-number", data.score));
    heading.appendChild(hidden(" out of 100: "));
    heading.appendChild(el("span", "coach-verdict",
      data.verdict === "attraction" ? "Attraction" : "Interruption"));
    box.appendChild(heading);
    var meter = el("meter");
    meter.min = 0; meter.max = 100; meter.low = 50; meter.high = 75; meter.optimum = 100;
    meter.value = data.score;
    meter.setAttribute("aria-label", "Score " + data.score + " of 100");
    box.appendChild(meter);
    var fix = el("p", "coach-fix");
    fix.appendChild(el("strong", null, "Next best fix: "));
    fix.appendChild(document.createTextNode(data.next_fix));
    box.appendChild(fix);
    if (data.judgement) { box.appendChild(el("p", "coach-how", data.judgement.reason)); }

    var marked = el("p", "message coach-marked");
    marked.setAttribute("aria-describedby", "coach-legend");
    data.marked.forEach(function (seg) {
      if (!seg.kind) { marked.appendChild(document.createTextNode(seg.text)); return; }
      var mark = el("mark", "mark-" + seg.kind);
      mark.title = seg.labels.join(", ");
      mark.appendChild(hidden("[" + seg.labels.join(", ") + ":] "));
      mark.appendChild(document.createTextNode(seg.text));
      marked.appendChild(mark);
    });
    var legend = el("p", "legend");
    legend.id = "coach-legend";
    legend.appendChild(el("mark", "mark-good", "Earns attention"));
    legend.appendChild(document.createTextNode(" "));
    legend.appendChild(el("mark", "mark-bad", "Interrupts"));

    var list = el("ul", "checklist");
    list.setAttribute("role", "list");
    data.criteria.forEach(function (c) {
      var item = el("li", "check check-" + c.status);
      var icon = el("span", "check-icon", ICONS[c.status]);
      icon.setAttribute("aria-hidden", "true");
      item.appendChild(icon);
      var body = el("span", "check-body");
      var head = el("span", "check-head");
      head.appendChild(el("strong", null, c.label));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", "check-points",
        (Math.round(c.points * 10) / 10) + " / " + c.max));
      head.appendChild(hidden(" (" + c.status + ")"));
      body.appendChild(head);
      body.appendChild(el("span", "check-reason", c.reason));
      if (c.advice && c.status !== "met") { body.appendChild(el("span", "check-advice", c.advice)); }
      item.appendChild(body);
      list.appendChild(item);
    });

    var moves = el("ol", "moves");
    moves.setAttribute("role", "list");
    (data.moves || []).forEach(function (m) {
      var item = el("li", "move move-" + m.effect + (m.turned ? " move-turned" : ""));
      var kind = el("span", "move-kind", m.label);
      if (m.turned) {
        kind.appendChild(document.createTextNode(" "));
        kind.appendChild(el("span", "move-badge", "Turned it"));
      }
      item.appendChild(kind);
      item.appendChild(el("span", "move-text", text.value.slice(m.start, m.end)));
      if (m.note) { item.appendChild(el("span", "move-note", m.note)); }
      if (m.pull) { item.appendChild(el("span", "move-pull", m.pull)); }
      moves.appendChild(item);
    });
    var parts = [box, el("h3", null, "Your message, marked"), legend, marked];
    if (moves.children.length) { parts.push(el("h3", null, "Move by move"), moves); }
    parts.push(el("h3", null, "The checklist"), list);
    result.replaceChildren.apply(result, parts);
    if (live) {  // the same score, pinned where a phone's keyboard leaves it visible
      live.className = "coach-live coach-" + data.verdict;
      live.replaceChildren(el("strong", null, data.score),
        document.createTextNode(" " + (data.verdict === "attraction" ? "Attraction" : "Interruption")));
      live.hidden = false;
    }
  }

  function counted() {
    var option = channel.options[channel.selectedIndex];
    var limit = option ? parseInt(option.getAttribute("data-limit") || "0", 10) : 0;
    var n = text.value.length;
    if (limit) {
      count.textContent = n + " of " + limit + " characters (a " + option.textContent +
        " holds " + limit + ")" + (n > limit ? ": " + (n - limit) + " too many" : "");
      count.classList.toggle("is-over", n > limit);
    } else {
      count.textContent = n + " of " + max + " characters";
      count.classList.remove("is-over");
    }
  }

  function say(message) {
    result.replaceChildren(el("h2", null, "Not scored yet"), el("p", "error", message));
  }

  function run() {
    if (!text.value.trim()) { return; }
    var mine = ++sequence;
    fetch(form.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text.value, recipient: recipient.value || null,
                             channel: channel.value })
    }).then(function (response) {
      return response.json().then(function (data) { return [response.ok, data]; });
    }).then(function (pair) {
      if (mine !== sequence) { return; }  // a newer draft is on its way
      if (pair[0]) { render(pair[1]); } else { say(pair[1].message || "The coach could not score this."); }
    }).catch(function () {
      if (mine === sequence) { say("The coach is unreachable; press the button to try again."); }
    });
  }

  function schedule() {
    counted();
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 500);
  }

  text.setAttribute("maxlength", String(max));
  text.addEventListener("input", schedule);
  recipient.addEventListener("input", schedule);
  channel.addEventListener("change", schedule);
}());
