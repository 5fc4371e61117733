/*
 * The story form's "SEO and social" fieldset (#14): under the SEO title and description, their
 * lengths against what search results show; beside them, the search result and the social
 * card redrawn from the form as the editor types (templates/admin/articles/article/
 * search_preview.html).
 *
 * Empty fields fall back as the site does (articles/models.py): the title to the headline, the
 * description to the standfirst, else the body's first words. Text is cut as
 * articles/seo.py `search_cut` cuts it. A newly picked lead image's social crop (1200×630
 * around its focal point) is asked for from the admin.
 *
 * Text goes in with textContent and pictures by their src: no inline code or style (the admin's
 * Content-Security-Policy), no library.
 */
"use strict";

(() => {
  const length = (text) => [...text].length;
  const fold = (text) => text.split(/\s+/u).filter(Boolean).join(" ");

  // articles/seo.py search_cut: past `limit` characters, cut at the last word that fits.
  const cut = (text, limit) => {
    const chars = [...fold(text)];
    if (chars.length <= limit) {
      return chars.join("");
    }
    let head = chars.slice(0, limit + 1).join("");
    const space = head.lastIndexOf(" ");
    head = space > Math.floor(limit / 2) ? head.slice(0, space) : chars.slice(0, limit).join("");
    return `${head.replace(/[ ,;:.\-–—]+$/u, "")} …`;
  };

  // Django's Truncator(...).chars(n), as Article.summary uses it.
  const truncate = (text, limit) => {
    const chars = [...fold(text)];
    return chars.length <= limit ? chars.join("") : `${chars.slice(0, limit - 1).join("")}…`;
  };

  // A line under the field (after its control, before its help text), read with it.
  const note = (id, control) => {
    const element = document.createElement("p");
    element.id = id;
    element.className = "help story-measure";
    (control.closest(".flex-container") || control).insertAdjacentElement("afterend", element);
    control.setAttribute(
      "aria-describedby",
      [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "),
    );
    return element;
  };

  let bodyText = null; // the body's text once the editor is ready; until then, the saved one

  const start = () => {
    const preview = document.getElementById("seo-preview");
    const form = preview && preview.closest("form");
    const field = (name) => form && form.elements.namedItem(name);
    if (!field("seo_title") || !field("headline")) {
      return; // A story to read, not to change: the preview shows it as saved.
    }
    const value = (name) => (field(name) && field(name).value.trim()) || "";
    const { titleSuffix } = preview.dataset;
    const headlineShown = Number(preview.dataset.headlineShown);
    const descriptionShown = Number(preview.dataset.descriptionShown);
    const titleBudget = Math.max(10, headlineShown - length(titleSuffix));
    const shown = {
      title: document.getElementById("seo-preview-title"),
      slug: document.getElementById("seo-preview-slug"),
      description: document.getElementById("seo-preview-description"),
      socialTitle: document.getElementById("seo-preview-social-title"),
      socialDescription: document.getElementById("seo-preview-social-description"),
      image: document.getElementById("seo-preview-image"),
      noImage: document.getElementById("seo-preview-no-image"),
    };
    const savedDescription = shown.socialDescription.textContent;
    const titleLength = note("story-seo-title-length", field("seo_title"));
    const descriptionLength =
      field("seo_description") && note("story-seo-description-length", field("seo_description"));

    // "38 characters; search results show about 49 (60 with “ | Site”)."
    const measure = (element, text, fallback, shownCount, kind, extra = "") => {
      if (!element) {
        return;
      }
      const characters = length(text);
      const over = characters > shownCount;
      element.classList.toggle("story-measure--over", over);
      if (!characters) {
        element.textContent = `Empty: search results show the ${fallback}.`;
      } else if (over) {
        element.textContent = `${characters} characters: search results cut the ${kind} after about ${shownCount}${extra}.`;
      } else {
        element.textContent = `${characters} characters; search results show about ${shownCount}${extra}.`;
      }
    };

    const draw = () => {
      const seoTitle = value("seo_title");
      const seoDescription = fold(value("seo_description"));
      const title = seoTitle || value("headline");
      const standfirst = value("standfirst");
      const body = bodyText === null ? null : truncate(bodyText, descriptionShown);
      const description =
        seoDescription || standfirst || (body === null ? savedDescription : body);
      shown.title.textContent = cut(title + titleSuffix, headlineShown);
      shown.description.textContent = cut(description, descriptionShown);
      shown.socialTitle.textContent = title;
      shown.socialDescription.textContent = description;
      const slug = value("slug");
      if (shown.slug) {
        shown.slug.textContent = slug || (window.URLify ? window.URLify(title, 200) : "") || "…";
      }
      measure(
        titleLength,
        seoTitle,
        "headline",
        titleBudget,
        "title",
        ` (${headlineShown} with “${titleSuffix}”)`,
      );
      measure(
        descriptionLength,
        seoDescription,
        standfirst ? "standfirst" : "story’s first words",
        descriptionShown,
        "description",
      );
    };

    // The lead picture's social crop, asked for when another picture is picked.
    let asked = 0;
    const showImage = async () => {
      const picked = value("lead_image");
      if (picked === preview.dataset.imageId) {
        return;
      }
      preview.dataset.imageId = picked;
      const ask = ++asked;
      let found = null;
      if (picked) {
        try {
          const url = new URL(preview.dataset.imageUrl, window.location.href);
          url.searchParams.set("image", picked);
          const response = await fetch(url, { credentials: "same-origin" });
          found = response.ok ? await response.json() : null;
        } catch {
          found = null;
        }
      }
      if (ask !== asked) {
        return; // Another picture was picked meanwhile.
      }
      // A picture still being processed (#15) has no crop to show yet.
      const usable = found && found.url ? found : null;
      if (usable) {
        shown.image.src = usable.url;
      } else {
        shown.image.removeAttribute("src");
      }
      shown.image.hidden = !usable;
      shown.noImage.hidden = Boolean(usable);
    };

    const changed = () => {
      draw();
      showImage();
    };
    form.addEventListener("input", draw);
    // The slug is filled in from the headline by the admin's own script, on keyup.
    form.addEventListener("keyup", draw);
    form.addEventListener("change", changed);
    // The lead picture's chooser (static/js/image-chooser.js) sends a bubbling change event.
    document.addEventListener("story-seo:body", draw);
    changed();
  };

  // The editor starts on its own schedule: listen from the start.
  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    if (!textarea || textarea.id !== "id_body") {
      return;
    }
    const update = () => {
      bodyText = editor.getText({ blockSeparator: " " });
      document.dispatchEvent(new CustomEvent("story-seo:body"));
    };
    editor.on("update", update);
    update();
  });

  document.addEventListener("DOMContentLoaded", start);
})();
