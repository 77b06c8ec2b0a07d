/* Attract quiz pages: progressive enhancement only. Without this file every question still
   works as a plain HTML form; with it:
   - rank: replies can be reordered with "Move up"/"Move down" buttons (keyboard and touch)
     or dragged with a mouse; the "place" selects, which are what the form sends
     (rank-<id>), are kept in step with the order on screen;
   - a time limit counts down next to the deadline the server printed.
   No inline script or style (the Content-Security-Policy forbids both): classes and the
   hidden attribute only. */
(function () {
  "use strict";

  function liveRegion(host) {
    var region = document.createElement("p");
    region.className = "visually-hidden";
    region.setAttribute("aria-live", "polite");
    host.appendChild(region);
    return function (text) {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    };
  }

  /* ---- rank ---------------------------------------------------------------------- */

  function enhanceRank(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll(".rank-item"));
    var count = items.length;
    if (count < 2) return;
    var announce = liveRegion(list.parentNode);

    function selectOf(item) { return item.querySelector("select"); }
    function textOf(item) { return item.querySelector(".rank-text").textContent.trim(); }
    function current() { return Array.prototype.slice.call(list.querySelectorAll(".rank-item")); }

    // A saved ranking (every place given, no two alike) is shown in its order.
    var places = items.map(function (item) { return parseInt(selectOf(item).value, 10); });
    var complete = places.every(function (p) { return p >= 1 && p <= count; }) &&
      places.filter(function (p, i) { return places.indexOf(p) === i; }).length === count;
    if (complete) {
      items.slice().sort(function (a, b) {
        return parseInt(selectOf(a).value, 10) - parseInt(selectOf(b).value, 10);
      }).forEach(function (item) { list.appendChild(item); });
    }

    function renumber() {
      current().forEach(function (item, index) {
        selectOf(item).value = String(index + 1);
        item.classList.remove("is-invalid");
        selectOf(item).removeAttribute("aria-invalid");
        var up = item.querySelector(".rank-up"), down = item.querySelector(".rank-down");
        up.disabled = index === 0;
        down.disabled = index === count - 1;
      });
    }

    function move(item, by, focusClass) {
      var order = current(), index = order.indexOf(item), target = index + by;
      if (target < 0 || target >= count) return;
      if (by < 0) list.insertBefore(item, order[target]);
      else list.insertBefore(item, order[target].nextSibling);
      renumber();
      var button = item.querySelector(focusClass);
      if (button.disabled) button = item.querySelector(focusClass === ".rank-up" ? ".rank-down" : ".rank-up");
      button.focus();
      announce("“" + textOf(item) + "” is now in place " + (target + 1) + " of " + count + ".");
    }

    list.classList.add("is-enhanced");
    items.forEach(function (item, index) {
      var label = item.querySelector(".rank-text");
      if (!label.id) label.id = "rank-text-" + index + "-" + selectOf(item).name;
      var tools = document.createElement("span");
      tools.className = "rank-move";
      [["rank-up", "↑", "Move up", -1], ["rank-down", "↓", "Move down", 1]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "rank-button " + spec[0];
        var icon = document.createElement("span");
        icon.setAttribute("aria-hidden", "true");
        icon.textContent = spec[1];
        var words = document.createElement("span");
        words.className = "visually-hidden";
        words.textContent = spec[2];
        button.appendChild(icon);
        button.appendChild(words);
        button.setAttribute("aria-describedby", label.id);
        button.addEventListener("click", function () { move(item, spec[3], "." + spec[0]); });
        tools.appendChild(button);
      });
      item.insertBefore(tools, item.firstChild);

      // Mouse: drag a reply by its card.
      item.draggable = true;
      item.addEventListener("dragstart", function (event) {
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", textOf(item));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
        renumber();
        announce("“" + textOf(item) + "” is now in place " + (current().indexOf(item) + 1) +
                 " of " + count + ".");
      });
    });
    list.addEventListener("dragover", function (event) {
      var dragging = list.querySelector(".is-dragging");
      if (!dragging) return;
      event.preventDefault();
      var over = event.target.closest ? event.target.closest(".rank-item") : null;
      if (!over || over === dragging) return;
      var box = over.getBoundingClientRect();
      list.insertBefore(dragging, event.clientY > box.top + box.height / 2 ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) { event.preventDefault(); });

    // Until something moves, the buttons only say where the ends are.
    current().forEach(function (item, index) {
      item.querySelector(".rank-up").disabled = index === 0;
      item.querySelector(".rank-down").disabled = index === count - 1;
    });
  }

  /* ---- time limit ---------------------------------------------------------------------- */

  function countdown(time) {
    var deadline = Date.parse(time.getAttribute("datetime"));
    if (isNaN(deadline)) return;
    var shown = document.createElement("span");
    shown.className = "countdown";
    time.parentNode.appendChild(shown);
    var announce = liveRegion(time.parentNode);
    var said = {};
    var atStart = Math.round((deadline - Date.now()) / 1000);  // announce only marks passed here

    function tick() {
      var left = Math.round((deadline - Date.now()) / 1000);
      if (left <= 0) {
        shown.textContent = "Time is up: your saved answers will be graded.";
        time.parentNode.classList.add("is-urgent");
        window.clearInterval(timer);
        return;
      }
      var minutes = Math.floor(left / 60), seconds = left % 60;
      shown.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left";
      time.parentNode.classList.toggle("is-urgent", left <= 60);
      [300, 60].forEach(function (mark) {
        if (atStart > mark && left <= mark && !said[mark]) {
          said[mark] = true;
          announce((mark / 60) + (mark === 60 ? " minute" : " minutes") + " left.");
        }
      });
    }
    var timer = window.setInterval(tick, 1000);
    tick();
  }

  // A rewrite's live count against its channel's limit (a LinkedIn invitation holds 300).
  function countRewrite(count) {
    var box = document.getElementById("answer");
    if (!box) return;
    var limit = parseInt(count.getAttribute("data-limit") || "0", 10);
    var most = count.getAttribute("data-max");
    function update() {
      var n = box.value.length;
      if (limit) {
        count.textContent = n + " of " + limit + " characters (a " +
          count.getAttribute("data-label") + " holds " + limit + ")" +
          (n > limit ? ": " + (n - limit) + " too many" : "");
        count.classList.toggle("is-over", n > limit);
      } else {
        count.textContent = n + " of " + most + " characters";
      }
    }
    box.addEventListener("input", update);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rank]"), enhanceRank);
    var count = document.getElementById("answer-count");
    if (count) countRewrite(count);
    var time = document.querySelector("time[data-deadline]");
    if (time) countdown(time);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
