/*
 * @mention suggestions in a story's notes (#15 follow-up).
 *
 * Typing "@ri" in the note offers the colleagues whose username or name starts with "ri",
 * from the list the thread already renders ("Who can be mentioned here", each person a
 * [data-mention] element): no request, and nobody the server wouldn't tell. The note stays a
 * plain textarea, and the suggestions follow the listbox pattern: the textarea names the list
 * (aria-controls, aria-autocomplete) and the option in focus (aria-activedescendant); Up and
 * Down move through it, Enter or Tab picks, Escape closes it, and a click picks too. A status
 * line tells screen readers how many there are. Without this script the list below the note
 * still says who can be mentioned.
 *
 * No inline code (the admin's Content-Security-Policy), no library of its own.
 */
"use strict";

(() => {
  const MAX_SHOWN = 8;
  // The "@name" being typed just before the caret: as notifications/services.py MENTION
  // reads it, an "@" after a letter (someone@example.com) starts no mention.
  const TYPING = /(?:^|[^\w@.+-])@([\w.@+-]*)$/u;

  const start = (form) => {
    const note = form.querySelector("textarea");
    const people = Array.from(form.querySelectorAll("[data-mention]"), (el) => ({
      username: el.dataset.mention,
      name: el.dataset.name || "",
    }));
    if (!note || !note.id || !people.length) {
      return;
    }
    const list = document.createElement("ul");
    list.id = `${note.id}_mentions`;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Colleagues to mention");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "mention-status visually-hidden"; // the admin's own class
    status.setAttribute("role", "status");
    note.after(list, status);
    note.setAttribute("aria-autocomplete", "list");
    note.setAttribute("aria-controls", list.id);

    let shown = [];
    let active = -1;
    let typed = null; // {from, to}: where "@query" sits in the text

    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      shown = [];
      active = -1;
      typed = null;
      note.removeAttribute("aria-activedescendant");
    };

    const activate = (index) => {
      active = index;
      shown.forEach((_, i) => {
        const option = list.children[i];
        option.setAttribute("aria-selected", String(i === active));
        option.classList.toggle("mention-list__option--active", i === active);
      });
      const option = list.children[active];
      note.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    };

    const pick = (index) => {
      const person = shown[index];
      if (!person || !typed) {
        return;
      }
      const text = note.value;
      const after = text.slice(typed.to);
      const inserted = `@${person.username}${after.startsWith(" ") ? "" : " "}`;
      note.value = text.slice(0, typed.from) + inserted + after;
      const caret = typed.from + inserted.length;
      note.setSelectionRange(caret, caret);
      close();
      status.textContent = `Mentioned @${person.username}.`;
      note.dispatchEvent(new Event("input", { bubbles: true }));
    };

    const suggest = () => {
      const caret = note.selectionStart;
      if (caret !== note.selectionEnd) {
        close();
        return;
      }
      const match = TYPING.exec(note.value.slice(0, caret));
      if (!match) {
        close();
        return;
      }
      const query = match[1].toLocaleLowerCase();
      const starts = (words) =>
        words.toLocaleLowerCase().split(/\s+/u).some((word) => word.startsWith(query));
      const found = people
        .filter((p) => p.username.toLocaleLowerCase().startsWith(query) || starts(p.name))
        .slice(0, MAX_SHOWN);
      if (!found.length) {
        close();
        status.textContent = "No colleague by that name can be mentioned here.";
        return;
      }
      typed = { from: caret - match[1].length - 1, to: caret };
      shown = found;
      list.replaceChildren(
        ...found.map((person, i) => {
          const option = document.createElement("li");
          option.id = `${list.id}_${i}`;
          option.setAttribute("role", "option");
          option.className = "mention-list__option";
          const handle = document.createElement("strong");
          handle.textContent = `@${person.username}`;
          option.append(handle);
          if (person.name) {
            option.append(` ${person.name}`);
          }
          // Keep the focus in the note: the click picks, the textarea stays where it was.
          option.addEventListener("mousedown", (event) => event.preventDefault());
          option.addEventListener("click", () => pick(i));
          return option;
        }),
      );
      list.hidden = false;
      activate(0);
      const count = found.length === 1 ? "1 colleague" : `${found.length} colleagues`;
      status.textContent = `${count} to mention: up and down to choose, Enter to pick.`;
    };

    note.addEventListener("input", (event) => {
      if (event.isTrusted) {
        suggest(); // not for the one pick() sends, for listeners of its own
      }
    });
    note.addEventListener("click", suggest);
    note.addEventListener("blur", close);
    note.addEventListener("keydown", (event) => {
      if (list.hidden || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      const moves = { ArrowDown: 1, ArrowUp: -1 };
      if (event.key in moves) {
        event.preventDefault();
        activate((active + moves[event.key] + shown.length) % shown.length);
      } else if (event.key === "Enter" || (event.key === "Tab" && !event.shiftKey)) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        status.textContent = "";
      }
    });
    // Left and right move the caret out of the name, or into another one.
    note.addEventListener("keyup", (event) => {
      if (["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) {
        suggest();
      }
    });
  };

  // The thread's form on the story, and the page of a refused note: each lists its people.
  const startAll = () =>
    document.querySelectorAll("form:has([data-mention])").forEach(start);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
