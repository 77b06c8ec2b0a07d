/* Attract live workshop: the join pages. Progressive enhancement only; without this file
   both forms post (or get) normally and the server answers with the next page.
   - Code page (/join): the code is tidied as it is typed or pasted (capitals, no spaces).
   - Nickname page (/j/<CODE>): a phone that already holds a token for this workshop goes
     straight to the game; otherwise the form is sent with fetch, the token the server
     returns is kept in localStorage ("attract.participant.<CODE>") and the phone moves on
     to the game. Refusals are shown next to the field, in an aria-live region.
   No inline script or style (the Content-Security-Policy forbids both); text goes in with
   textContent only. */
(() => {
  "use strict";

  /* ---- the code page ---------------------------------------------------------------- */

  const codeInput = document.getElementById("code");
  if (codeInput) {
    const max = parseInt(codeInput.getAttribute("maxlength") || "6", 10);
    const tidy = (text) => text.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, max);
    codeInput.addEventListener("input", () => {
      const clean = tidy(codeInput.value);
      if (clean !== codeInput.value) codeInput.value = clean;
    });
    // A pasted "K7M PQ2" is 7 characters: maxlength would cut the last one before the
    // input event could take the space out.
    codeInput.addEventListener("paste", (event) => {
      const text = event.clipboardData && event.clipboardData.getData("text");
      if (!text) return;
      event.preventDefault();
      codeInput.value = tidy(text);
    });
  }

  /* ---- the nickname page ------------------------------------------------------------ */

  const box = document.getElementById("join");
  if (!box) return;
  const key = "attract.participant." + (box.dataset.code || "");
  const phoneUrl = box.dataset.phoneUrl;

  let storage = null;
  try {
    storage = window.localStorage;
    const probe = key + ".probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
  } catch (error) {
    storage = null;  // private mode or storage turned off: the plain form post still works
  }

  // Already playing in this workshop: the phone page checks the token with the server.
  if (storage && phoneUrl && storage.getItem(key)) {
    window.location.replace(phoneUrl);
    return;
  }

  const form = document.getElementById("join-form");
  if (!form || !storage || !window.fetch || !window.FormData) return;
  const input = form.querySelector("#nickname");
  const message = form.querySelector("#nickname-error");
  const submit = form.querySelector("button[type=submit]");
  const label = submit.textContent;
  let busy = false;

  function say(text, invalid) {
    message.textContent = "";
    // Emptied, then filled: the same refusal twice is still announced the second time.
    window.setTimeout(() => { message.textContent = text; }, 50);
    if (invalid) {
      input.setAttribute("aria-invalid", "true");
      input.closest(".field").classList.add("field-invalid");
      input.focus();
    } else {
      input.removeAttribute("aria-invalid");
      input.closest(".field").classList.remove("field-invalid");
    }
  }

  function done() {
    busy = false;
    submit.disabled = false;
    submit.textContent = label;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    submit.disabled = true;
    submit.textContent = "Joining…";
    message.textContent = "";

    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new FormData(form),
        credentials: "same-origin",
      });
    } catch (error) {
      done();
      say("We couldn't reach the game. Check your connection and try again.", false);
      return;
    }
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }

    if (response.ok && data && data.token) {
      try { storage.setItem(key, data.token); } catch (error) { /* the phone page asks again */ }
      submit.textContent = "Joined";
      window.location.replace(phoneUrl);
      return;
    }
    done();
    const text = data && data.message;
    switch (response.status) {
      case 409:  // nickname_taken
      case 422:  // invalid_nickname
        say(text || "Please choose another nickname.", true);
        break;
      case 410:  // ended
        say(text || "This workshop has ended.", false);
        submit.disabled = true;
        break;
      case 423:  // locked
        say(text || "The trainer has closed this game to new players.", false);
        break;
      case 429:  // rate_limited
        say(text || "Too many tries at once. Wait a few seconds, then try again.", false);
        break;
      default:
        say(text || ("Something went wrong (error " + response.status +
                     "). Reload the page and try again."), false);
    }
  });
})();
