/*
 * The byline's authors reorder by dragging, or from the keyboard (#14).
 *
 * The byline field (articles/form_fields.py) posts its authors in the order of its options;
 * select2 draws the chosen ones in that order. Dragging a name onto another, or Alt+Up /
 * Alt+Down (Alt+Left / Alt+Right) on a focused name, moves its option and lets select2 draw the
 * list again. Each name is focusable and says its place ("Priya Raman, 2 of 3").
 *
 * No inline code (the admin's Content-Security-Policy), no library of its own.
 */
"use strict";

(() => {
  const FIELD = "id_byline";
  let dragged = null;
  let dropped = false;

  const parts = () => {
    const select = document.getElementById(FIELD);
    const container = select && select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) {
      return null;
    }
    const choices = [...container.querySelectorAll(".select2-selection__choice")];
    const options = [...select.options].filter((option) => option.selected);
    return { select, choices, options };
  };

  const move = (from, to, focus) => {
    const found = parts();
    if (!found || from === to || to < 0 || to >= found.options.length) {
      return;
    }
    const { select, options } = found;
    const moving = options[from];
    const anchor = options[to];
    if (to > from) {
      anchor.after(moving);
    } else {
      anchor.before(moving);
    }
    select.dispatchEvent(new Event("change", { bubbles: true }));
    if (focus) {
      window.requestAnimationFrame(() => {
        prepare();
        const again = parts();
        if (again && again.choices[to]) {
          again.choices[to].focus();
        }
      });
    }
  };

  const prepare = () => {
    const found = parts();
    if (!found) {
      return;
    }
    const { choices } = found;
    choices.forEach((choice, index) => {
      if (choice.dataset.ordered === String(index) + "/" + choices.length) {
        return;
      }
      choice.dataset.ordered = String(index) + "/" + choices.length;
      choice.draggable = true;
      choice.tabIndex = 0;
      const name = choice.getAttribute("title") || choice.textContent.replace("×", "").trim();
      choice.setAttribute(
        "aria-label",
        `${name}, ${index + 1} of ${choices.length}. Alt and an arrow key move it.`,
      );
      choice.setAttribute("aria-roledescription", "author in the byline");
    });
  };

  document.addEventListener("dragstart", (event) => {
    const choice = event.target.closest && event.target.closest(".select2-selection__choice");
    const found = choice && parts();
    if (!found || !found.choices.includes(choice)) {
      return;
    }
    dragged = found.choices.indexOf(choice);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", choice.getAttribute("title") || "");
  });
  document.addEventListener("dragover", (event) => {
    if (dragged !== null && event.target.closest && event.target.closest(".select2-selection__choice")) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", (event) => {
    const choice = event.target.closest && event.target.closest(".select2-selection__choice");
    const found = choice && parts();
    if (dragged === null || !found || !found.choices.includes(choice)) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    move(dragged, found.choices.indexOf(choice), false);
    dragged = null;
    // The mouse lifted over the list: select2 would take that for a click and open its menu.
    dropped = true;
    window.setTimeout(() => {
      dropped = false;
    }, 0);
  });
  document.addEventListener(
    "click",
    (event) => {
      if (dropped) {
        event.stopPropagation();
        event.preventDefault();
      }
    },
    true,
  );
  document.addEventListener("dragend", () => {
    dragged = null;
  });
  document.addEventListener("keydown", (event) => {
    const choice = event.target.closest && event.target.closest(".select2-selection__choice");
    const found = choice && parts();
    if (!found || !event.altKey || !found.choices.includes(choice)) {
      return;
    }
    const index = found.choices.indexOf(choice);
    const step = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1 }[event.key];
    if (step) {
      // Before select2 sees it: Alt+Down would open its menu.
      event.preventDefault();
      event.stopPropagation();
      move(index, index + step, true);
    }
  }, true);

  // select2 draws the chosen names again after every change.
  document.addEventListener("DOMContentLoaded", () => {
    if (!document.getElementById(FIELD)) {
      return;
    }
    let pending = false;
    new MutationObserver(() => {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(() => {
          pending = false;
          prepare();
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
    prepare();
  });
})();
