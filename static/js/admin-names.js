/*
 * Accessible names for the admin's autocomplete fields (#14).
 *
 * Django's admin draws them with select2, whose controls aren't tied to the field's label: a
 * screen reader announces "combo box" with no name, and axe-core reports the single fields
 * (aria-input-field-name), the search box of the multiple ones (label) and their list (list).
 * Each control is named by the field's label (and, for a single field, its current value).
 * Django's date and time fields get names too: their label is tied to neither box.
 *
 * No inline code (the admin's Content-Security-Policy), no library of its own.
 */
"use strict";

(() => {
  const name = (select) => {
    const container = select.nextElementSibling;
    if (!select.id || !container || !container.classList.contains("select2")) {
      return;
    }
    const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    if (!label) {
      return;
    }
    label.id = label.id || `${select.id}_label`;
    const single = container.querySelector(".select2-selection--single");
    if (single) {
      const shown = container.querySelector(".select2-selection__rendered");
      const ids = [label.id, shown && shown.id].filter(Boolean).join(" ");
      single.setAttribute("aria-labelledby", ids);
      if (shown) {
        shown.setAttribute("aria-labelledby", label.id); // a read-only textbox of the value
      }
    }
    for (const control of container.querySelectorAll(
      ".select2-selection--multiple, .select2-search__field",
    )) {
      control.setAttribute("aria-labelledby", label.id);
    }
    // The search box sits in the list of chosen items: it is one of them for the list's sake.
    for (const search of container.querySelectorAll(".select2-selection__rendered > .select2-search")) {
      search.setAttribute("role", "listitem");
    }
    // "Remove all items" is a mouse shortcut drawn inside that list; each item has its own.
    for (const clear of container.querySelectorAll(".select2-selection__rendered > .select2-selection__clear")) {
      clear.setAttribute("aria-hidden", "true");
    }
  };

  // A date and time field (Django's split date/time widget): its label names neither box.
  const nameDateTime = (input) => {
    if (input.labels.length || input.hasAttribute("aria-label")) {
      return;
    }
    const row = input.closest(".flex-container, td, .form-row");
    const label = row && row.querySelector("label");
    const field = label ? `${label.textContent.replace(/:\s*$/, "").trim()}, ` : "";
    input.setAttribute("aria-label", `${field}${input.classList.contains("vTimeField") ? "time" : "date"}`);
  };

  // A rich-text editor (#18): named by its field's label, unless its form names it already
  // (the story form, static/js/story-measures.js). The live desk's body had no name.
  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    const surface = editor && editor.view.dom;
    const label = textarea && textarea.labels && textarea.labels[0];
    if (!surface || !label || surface.hasAttribute("aria-labelledby")) {
      return;
    }
    label.id = label.id || `${textarea.id}_label`;
    surface.setAttribute("aria-labelledby", label.id);
  });

  const nameAll = () => {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      name(select);
    }
    for (const input of document.querySelectorAll("p.datetime input")) {
      nameDateTime(input);
    }
  };
  // Django's admin starts select2 when the document is ready, and select2 draws a field again
  // after each change: name the controls whenever the fields' parts change.
  let pending = false;
  const observer = new MutationObserver(() => {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(() => {
        pending = false;
        nameAll();
      });
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    observer.observe(document.body, { childList: true, subtree: true });
    nameAll();
  });
})();
