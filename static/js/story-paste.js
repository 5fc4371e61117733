/*
 * Pasting from Google Docs (#14). Docs wraps the whole copy in `<b id="docs-internal-guid-…"
 * style="font-weight:normal">` and marks bold and italic only by the style of spans
 * ("font-weight:700", "font-style:italic"). Those become <strong> and <em>; headings, lists
 * (nested ones too: Docs puts a sub-list beside its item, not inside it) and links stay, with
 * the address Docs sometimes routes through google.com/url unwrapped; every style, class,
 * span, colour and underline goes. Headings become the body's two levels: title and level 1
 * as h2, the others as h3.
 *
 * Tables pasted from Docs (and from anywhere else) stay tables: their first row becomes the
 * header row, as every table in a story has one (the server's sanitiser does the same).
 *
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

  const DOCS = /id="docs-internal-guid-/;
  const BOLD = /font-weight:\s*(bold|[6-9]00)\b/i;
  const ITALIC = /font-style:\s*italic\b/i;
  const HEADING_LEVEL = { H1: "h2", H2: "h2", H3: "h3", H4: "h3", H5: "h3", H6: "h3" };

  const unwrap = (node) => node.replaceWith(...node.childNodes);

  const rename = (doc, node, tag) => {
    const renamed = doc.createElement(tag);
    renamed.append(...node.childNodes);
    node.replaceWith(renamed);
    return renamed;
  };

  const googleRedirect = (href) => {
    try {
      const url = new URL(href);
      if (/^(www\.)?google\.[a-z.]+$/.test(url.hostname) && url.pathname === "/url") {
        return url.searchParams.get("q") || href;
      }
    } catch {
      // Not an absolute address: left as it is, for the sanitiser to judge.
    }
    return href;
  };

  const googleDocs = (html) => {
    if (!DOCS.test(html)) {
      return html;
    }
    const doc = new DOMParser().parseFromString(html, "text/html");
    const body = doc.body;
    for (const wrapper of body.querySelectorAll('b[id^="docs-internal-guid-"]')) {
      unwrap(wrapper); // Its "font-weight:normal" says: not bold.
    }
    for (const span of [...body.querySelectorAll("span")]) {
      const style = span.getAttribute("style") || "";
      let content = [...span.childNodes];
      if (ITALIC.test(style)) {
        const em = doc.createElement("em");
        em.append(...content);
        content = [em];
      }
      if (BOLD.test(style) && !span.closest("h1, h2, h3, h4, h5, h6")) {
        const strong = doc.createElement("strong");
        strong.append(...content);
        content = [strong];
      }
      span.replaceWith(...content);
    }
    for (const heading of [...body.querySelectorAll("h1, h2, h3, h4, h5, h6")]) {
      if (heading.tagName.toLowerCase() !== HEADING_LEVEL[heading.tagName]) {
        rename(doc, heading, HEADING_LEVEL[heading.tagName]);
      }
    }
    // A sub-list follows its item inside the parent list; it belongs in the item.
    for (const list of [...body.querySelectorAll(":is(ul, ol) > :is(ul, ol)")]) {
      const item = list.previousElementSibling;
      if (item && item.tagName === "LI") {
        item.append(list);
      }
    }
    for (const link of body.querySelectorAll("a[href]")) {
      link.setAttribute("href", googleRedirect(link.getAttribute("href")));
    }
    // Line breaks between blocks are Docs' spacing, not the writer's.
    for (const br of [...body.querySelectorAll("body > br, div > br, li > br")]) {
      br.remove();
    }
    for (const holder of [...body.querySelectorAll("div")]) {
      unwrap(holder); // Docs puts each table in a div of its own.
    }
    for (const node of body.querySelectorAll("[style], [class], [dir], [role], [id], [aria-level]")) {
      for (const name of ["style", "class", "dir", "role", "id", "aria-level"]) {
        node.removeAttribute(name);
      }
    }
    for (const dropped of [...body.querySelectorAll("meta, style, colgroup")]) {
      dropped.remove();
    }
    return body.innerHTML;
  };

  // Every pasted table has a header row: its first row, unless it has header cells already.
  const headerRows = (html) => {
    if (!/<table/i.test(html)) {
      return html;
    }
    const doc = new DOMParser().parseFromString(html, "text/html");
    for (const table of doc.body.querySelectorAll("table")) {
      const first = table.querySelector("tr");
      if (first && !first.querySelector("th")) {
        for (const cell of [...first.children]) {
          if (cell.tagName === "TD") {
            const header = rename(doc, cell, "th");
            for (const name of ["colspan", "rowspan"]) {
              if (cell.hasAttribute(name)) {
                header.setAttribute(name, cell.getAttribute(name));
              }
            }
          }
        }
      }
    }
    return doc.body.innerHTML;
  };

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor } = event.detail;
    const before = editor.view.props.transformPastedHTML;
    editor.view.setProps({
      transformPastedHTML: (html, view) =>
        headerRows(wordLists(googleDocs(before ? before(html, view) : html))),
    });
  });
})();
