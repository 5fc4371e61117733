/*
 * Writing aids on the story form (#14):
 *
 * - under the body, a live word count and reading time, counted as the site counts them
 *   (articles/text.py: words of letters and digits, joined by apostrophes or hyphens; at least
 *   one minute at the page's words per minute);
 * - under the headline, its length against what search results show before cutting it.
 *
 * The rich-text editor gets the body's label as its accessible name.
 *
 * No inline code (the admin's Content-Security-Policy), no library.
 */
"use strict";

const WORD = /[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu;

const setting = (name, fallback) => {
  const config = document.getElementById("story-editing");
  return Number((config && config.dataset[name]) || fallback);
};

// A line under the field (after its label and control, before its help text).
const note = (id, control) => {
  const element = document.createElement("p");
  element.id = id;
  element.className = "help story-measure";
  (control.closest(".flex-container") || control).insertAdjacentElement("afterend", element);
  return element;
};

document.addEventListener("DOMContentLoaded", () => {
  const headline = document.getElementById("id_headline");
  if (!headline || !document.getElementById("story-editing")) {
    return;
  }
  const shown = setting("headlineShown", 60);
  const length = note("story-headline-length", headline);
  headline.setAttribute(
    "aria-describedby",
    [headline.getAttribute("aria-describedby"), length.id].filter(Boolean).join(" "),
  );
  const measure = () => {
    const characters = [...headline.value.trim()].length;
    const over = characters > shown;
    length.classList.toggle("story-measure--over", over);
    length.textContent = over
      ? `${characters} characters: search results cut headlines after about ${shown}.`
      : `${characters} characters; search results show about ${shown}.`;
  };
  headline.addEventListener("input", measure);
  measure();
});

// The editor starts on its own schedule: listen from the start.
document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail;
  if (!textarea || textarea.id !== "id_body" || !document.getElementById("story-editing")) {
    return;
  }
  const perMinute = setting("wordsPerMinute", 230);
  const surface = editor.view.dom;
  const label = document.querySelector('label[for="id_body"]');
  if (label) {
    label.id = label.id || "id_body_label";
    surface.setAttribute("aria-labelledby", label.id);
  }
  surface.setAttribute("aria-multiline", "true");
  const count = note("story-word-count", textarea);
  const measure = () => {
    const words = (editor.getText().match(WORD) || []).length;
    const minutes = Math.max(1, Math.round(words / perMinute));
    const noun = words === 1 ? "word" : "words";
    count.textContent = `${words.toLocaleString("en")} ${noun} · ${minutes} min read`;
  };
  editor.on("update", measure);
  measure();
});
