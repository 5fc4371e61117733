/*
 * Pasting from desktop Word (#14). Word puts a list on the clipboard as paragraphs, each
 * starting with its bullet or number ("·", "o", "1.") in a span it marks "mso-list:Ignore", and
 * the editor kept them as paragraphs starting "·". They become lists again, numbered where
 * Word numbered them and nested by Word's levels; the markers go. Everything else is left to
 * the editor and to the server's sanitiser (the single rule for what a body may hold).
 *
 * No inline code (the admin's Content-Security-Policy), no library.
 */
"use strict";

(() => {
  const LIST_ITEM = /mso-list:\s*l\d+\s+level(\d+)/i;
  const NUMBERED = /^(\d+|[a-z]|[ivxlc]+)[.)]$/i;

  const wordLists = (html) => {
    if (!/mso-list/i.test(html)) {
      return html;
    }
    const doc = new DOMParser().parseFromString(html, "text/html");
    let run = [];

    const flush = () => {
      if (!run.length) {
        return;
      }
      const root = doc.createElement(run[0].numbered ? "ol" : "ul");
      run[0].paragraph.before(root);
      const open = [{ list: root, level: run[0].level }];
      for (const item of run) {
        while (item.level < open[open.length - 1].level && open.length > 1) {
          open.pop();
        }
        if (item.level > open[open.length - 1].level) {
          const parent = open[open.length - 1].list;
          const holder = parent.lastElementChild || parent.appendChild(doc.createElement("li"));
          const list = holder.appendChild(doc.createElement(item.numbered ? "ol" : "ul"));
          open.push({ list, level: item.level });
        }
        const entry = doc.createElement("li");
        entry.append(...item.paragraph.childNodes);
        open[open.length - 1].list.appendChild(entry);
        item.paragraph.remove();
      }
      run = [];
    };

    for (const paragraph of [...doc.body.querySelectorAll("p")]) {
      const level = (paragraph.getAttribute("style") || "").match(LIST_ITEM);
      if (!level) {
        flush();
        continue;
      }
      const marker = [...paragraph.querySelectorAll("span[style]")].find((span) =>
        /mso-list:\s*ignore/i.test(span.getAttribute("style")),
      );
      const shown = marker ? marker.textContent.replace(/\s+/g, "") : "";
      if (marker) {
        marker.remove();
      }
      if (run.length && run[run.length - 1].paragraph.nextElementSibling !== paragraph) {
        flush();
      }
      run.push({ paragraph, level: Number(level[1]), numbered: NUMBERED.test(shown) });
    }
    flush();
    return doc.body.innerHTML;
  };

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor } = event.detail;
    const before = editor.view.props.transformPastedHTML;
    editor.view.setProps({
      transformPastedHTML: (html, view) => wordLists(before ? before(html, view) : html),
    });
  });
})();
