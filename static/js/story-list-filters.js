/* The story list's typed filters (articles/admin_filters.py, #14): suggestions as you type.
 *
 * Each `form.typed-filter` already works alone: it sends what was typed, and the server
 * filters by the author or tag it names, or lists the ones that match. This script makes its
 * text box an ARIA 1.2 combobox: a list of suggestions below it (from the form's
 * data-suggest address), Up/Down to move, Enter to pick, Escape to close, and a polite
 * live region that says how many there are. A pick sends the form with the picked value
 * (an author's id, a tag's name), so the list shows that one author's or tag's stories.
 */
(function () {
  "use strict";

  function setUp(form) {
    const input = form.querySelector('input[type="text"]');
    const url = form.dataset.suggest;
    if (!input || !url) return;
    const listId = `${input.id}-suggestions`;
    const list = document.createElement("ul");
    list.id = listId;
    list.className = "typed-filter-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", `Suggestions for ${form.querySelector("label").textContent}`);
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.after(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    let options = [];
    let active = -1;
    let asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(next) {
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === next)));
      active = next;
      if (next >= 0) {
        input.setAttribute("aria-activedescendant", options[next].id);
        options[next].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(option) {
      input.value = option.dataset.value;
      close();
      form.requestSubmit();
    }

    function show(results) {
      list.replaceChildren();
      options = results.map((result, i) => {
        const option = document.createElement("li");
        option.id = `${listId}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.value = String(result.value);
        option.textContent = result.label;
        // mousedown, not click: the box keeps its focus, so the list isn't closed first.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pick(option);
        });
        list.append(option);
        return option;
      });
      active = -1;
      const open = options.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      status.textContent = open
        ? `${options.length} suggestion${options.length === 1 ? "" : "s"}; Up and Down to choose, Enter to filter.`
        : input.value.trim() ? "No suggestions." : "";
    }

    async function suggest() {
      const typed = input.value.trim();
      const ticket = ++asked;
      if (!typed) {
        show([]);
        return;
      }
      const address = `${url}&q=${encodeURIComponent(typed)}`;
      try {
        const response = await fetch(address, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok || ticket !== asked) return;
        const data = await response.json();
        if (ticket === asked) show(data.results || []);
      } catch (error) {
        // Offline or signed out: the form still sends what was typed.
      }
    }

    input.addEventListener("input", suggest);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (options.length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
          return;
        }
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        let next = active + step;
        if (next >= options.length) next = 0;
        if (next < 0) next = options.length - 1;
        highlight(next);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(options[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    document.querySelectorAll("form.typed-filter").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
