/*
 * The story form's safety net and company (#12).
 *
 * - Autosave: every few seconds, when the form changed, it is sent to the server as the user's
 *   own working copy (never public, never a revision); again when the tab is hidden or closed.
 * - Leaving with changes that were never saved asks first.
 * - A heartbeat says the user is here, and shows who else has the story open (and, with edit
 *   locks, who holds it), and whether someone saved a newer version since the form opened.
 * - A session that ended is said at once; the text stays in the form, and a save made then is
 *   kept on the server until the user logs in again.
 *
 * No inline code (the admin's Content-Security-Policy), no library; without JavaScript the form
 * saves as usual.
 */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("article_form");
  const config = document.getElementById("story-editing");
  if (!form || !config) {
    return;
  }
  const mayEdit = config.dataset.mayEdit === "true";
  const autosaveUrl = config.dataset.autosaveUrl;
  const presenceUrl = config.dataset.presenceUrl;
  const autosaveMs = Number(config.dataset.autosaveSeconds || 5) * 1000;
  const heartbeatMs = Number(config.dataset.heartbeatSeconds || 15) * 1000;
  const status = document.getElementById("story-autosave");
  const sessionBanner = document.getElementById("story-session");
  const presenceBanner = document.getElementById("story-presence");
  const lockBanner = document.getElementById("story-lock");
  const newerBanner = document.getElementById("story-newer");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]");
  const editorToken = form.querySelector("[name=_editor]");
  const tokenUrl = config.dataset.tokenUrl;
  // What the user typed, as a string to compare: the form's controls left out.
  const CONTROLS = new Set(["csrfmiddlewaretoken", "_editor"]);

  const formBody = () =>
    new URLSearchParams([...new FormData(form)].filter(([, value]) => typeof value === "string"));

  const typed = () => {
    const pairs = [];
    for (const [name, value] of new FormData(form)) {
      if (!CONTROLS.has(name) && typeof value === "string") {
        pairs.push([name, value]);
      }
    }
    return new URLSearchParams(pairs).toString();
  };

  // A form shown again with what was posted (a refused save, unsaved work brought back) holds
  // words no save has kept: they count as unsaved from the start.
  const unsaved = config.dataset.unsaved === "true";
  let saved = unsaved ? "" : typed(); // as the page came: what a save would not change
  let sent = saved; // what the server keeps as the working copy
  let touched = unsaved;
  let submitting = false;
  let sending = false;

  // The rich-text editor rewrites its textarea once it starts: that is not the user's change.
  document.addEventListener("prose-editor:ready", () => {
    window.setTimeout(() => {
      if (!touched) {
        saved = sent = typed();
      }
    }, 0);
  });
  for (const event of ["input", "keydown", "paste", "drop"]) {
    form.addEventListener(event, () => {
      touched = true;
    });
  }
  let inFlight = null; // the autosave on its way, stopped when the form is saved
  form.addEventListener("submit", () => {
    submitting = true;
    if (inFlight) {
      inFlight.abort();
    }
  });

  const say = (element, lines) => {
    if (!element) {
      return;
    }
    element.replaceChildren(
      ...lines.map((line) => {
        const paragraph = document.createElement("p");
        paragraph.textContent = line;
        return paragraph;
      }),
    );
    element.hidden = lines.length === 0;
  };

  const sessionEnded = () => {
    say(sessionBanner, [
      "Your session has ended (you were logged out, or your password changed). Your text is " +
        "still here and nothing is lost: press Save and log in again, and the story opens " +
        "with your text, ready to save.",
    ]);
  };
  const sessionWorks = () => say(sessionBanner, []);
  const someoneElse = () => {
    say(sessionBanner, [
      "Someone else has logged in in this browser since you opened this story. Your text is " +
        "still here: press Save and it is kept for you, to restore when you log in again.",
    ]);
  };

  // A new login in another tab changes the CSRF token: fetch the current one for this page.
  const freshToken = async () => {
    if (!tokenUrl) {
      return false;
    }
    const response = await fetch(tokenUrl, { credentials: "same-origin", redirect: "error" });
    if (!response.ok) {
      return false;
    }
    const { token } = await response.json();
    for (const input of document.querySelectorAll("[name=csrfmiddlewaretoken]")) {
      input.value = token;
    }
    return true;
  };

  // POSTs `body()` (built anew for a retry); answers the response, having said what a refusal
  // of the session means. 401: the session ended, or another user logged in.
  const post = async (url, body, signal) => {
    const send = () =>
      fetch(url, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        redirect: "error",
        signal,
      });
    let response = await send();
    if (response.status === 403) {
      const answer = await response.clone().json().catch(() => ({}));
      if (answer.error === "csrf" && (await freshToken())) {
        response = await send();
      }
    }
    if (response.status === 401) {
      const answer = await response.clone().json().catch(() => ({}));
      (answer.error === "other-user" ? someoneElse : sessionEnded)();
    }
    return response;
  };

  const autosave = async () => {
    if (!mayEdit || submitting || sending) {
      return;
    }
    const now = typed();
    if (now === sent) {
      return;
    }
    sending = true;
    inFlight = new AbortController();
    try {
      // URL-encoded, as the form itself posts: a long story may be larger than other forms.
      const response = await post(autosaveUrl, () => formBody(), inFlight.signal);
      if (response.status === 401) {
        return;
      }
      if (response.status === 403 || response.status === 404) {
        status.textContent =
          "This story can't be changed by you any more (it moved on meanwhile). Your text " +
          "stays here: a save keeps it as your unsaved work.";
        return;
      }
      if (!response.ok) {
        status.textContent = "Autosave failed; it will try again in a few seconds.";
        return;
      }
      const answer = await response.json();
      sent = now;
      sessionWorks();
      status.textContent = `Autosaved at ${answer.saved_at_text}. Only you see this copy until you save.`;
    } catch (error) {
      if (!submitting) {
        status.textContent = "No connection: autosave will try again. Your text stays here.";
      }
    } finally {
      sending = false;
      inFlight = null;
    }
  };

  const flush = () => {
    if (!mayEdit || submitting) {
      return;
    }
    const now = typed();
    if (now !== sent && navigator.sendBeacon(autosaveUrl, formBody())) {
      sent = now;
    }
  };

  if (mayEdit && autosaveUrl) {
    window.setInterval(autosave, autosaveMs);
    window.addEventListener("beforeunload", (event) => {
      if (!submitting && typed() !== saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  const showPeople = (others) => {
    say(
      presenceBanner,
      others.map((person) => `${person.name} is also editing this story (since ${person.since}).`),
    );
  };

  // Someone saved since the form opened: said at once, not only when a save is refused.
  const showNewer = (newer) => {
    say(
      newerBanner,
      newer
        ? [
            `${newer.who} saved a newer version at ${newer.at} — your save will be checked ` +
              "against it, and you can combine your changes with theirs then.",
          ]
        : [],
    );
  };

  const lockedOut = lockBanner && !lockBanner.hidden;
  const showLock = (lock) => {
    if (!lockBanner) {
      return;
    }
    if (lock && lock.taken_from_me) {
      say(lockBanner, [
        `${lock.holder} took over this story at ${lock.since}. What you typed is kept as ` +
          "your unsaved work; a save now would be refused.",
      ]);
    } else if (lock && !lock.mine && !lockedOut) {
      say(lockBanner, [
        `${lock.holder} has been editing this story since ${lock.since} (this page was away ` +
          "too long to keep it). What you typed is kept as your unsaved work; a save now " +
          "would be refused.",
      ]);
    } else if (lockedOut && (!lock || lock.mine)) {
      say(lockBanner, ["The story is free now: reload the page to edit it."]);
    }
  };

  const heartbeat = async () => {
    if (!presenceUrl) {
      return;
    }
    const body = () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
      data.append("_editor", editorToken ? editorToken.value : "");
      // The version the form holds: the answer says if someone saved a newer one (#16).
      const version = form.querySelector("[name=expected_version]");
      data.append("version", version ? version.value : "");
      return data;
    };
    try {
      const response = await post(presenceUrl, body);
      if (response.ok) {
        const answer = await response.json();
        sessionWorks();
        showPeople(answer.others || []);
        showLock(answer.lock);
        showNewer(answer.newer);
      }
    } catch (error) {
      // A missed beat: the next one tries again.
    }
  };

  if (presenceUrl) {
    window.setInterval(heartbeat, heartbeatMs);
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      flush();
    } else {
      heartbeat();
    }
  });
  window.addEventListener("pagehide", () => {
    flush();
    if (presenceUrl) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
      body.append("_editor", editorToken ? editorToken.value : "");
      body.append("left", "1");
      navigator.sendBeacon(presenceUrl, body);
    }
  });
});
