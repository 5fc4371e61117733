/*
 * Embeds on readers' pages (#14): nothing is loaded from a provider until the reader asks.
 *
 * Each embed arrives as a placeholder naming the provider, with a link to the original
 * (embeds/render.py). This file shows each placeholder's button and, on a click, puts the
 * provider's player in its place: a sandboxed iframe whose address is on a host the page's
 * Content-Security-Policy frame-src allows. Players that say how tall they are (Datawrapper,
 * X, Bluesky, Instagram, Mastodon) get that height. No inline code: an external file only.
 */
;(() => {
  const SANDBOX =
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"

  const load = (figure) => {
    const placeholder = figure.querySelector(".embed__placeholder")
    let src
    try {
      src = new URL(figure.dataset.embedSrc)
    } catch {
      return
    }
    if (src.protocol !== "https:" || !placeholder) {
      return
    }
    const frame = document.createElement("iframe")
    frame.className = "embed__frame"
    frame.src = src.href
    frame.title = figure.dataset.embedTitle || "Embedded content"
    frame.setAttribute("sandbox", SANDBOX)
    frame.referrerPolicy = "strict-origin-when-cross-origin"
    if (figure.dataset.embedAllow) {
      frame.allow = figure.dataset.embedAllow
      frame.allowFullscreen = figure.dataset.embedAllow.includes("fullscreen")
    }
    placeholder.replaceWith(frame)
    figure.classList.add("embed--loaded")
    frame.focus()
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".embed__load")
    const figure = button && button.closest("figure.embed")
    if (figure) {
      load(figure)
    }
  })

  for (const action of document.querySelectorAll(".embed__action[hidden]")) {
    action.hidden = false
  }

  // Heights that players post to their parent, in each provider's own format.
  const reportedHeight = (data) => {
    if (typeof data === "string") {
      try {
        data = JSON.parse(data)
      } catch {
        return null
      }
    }
    if (!data || typeof data !== "object") {
      return null
    }
    if (data["datawrapper-height"]) {
      return Object.values(data["datawrapper-height"])[0]
    }
    const twitter = data["twttr.embed"]
    if (twitter && twitter.method === "twttr.private.resize") {
      return twitter.params && twitter.params[0] && twitter.params[0].height
    }
    if (data.type === "MEASURE" && data.details) {
      return data.details.height // Instagram
    }
    if (data.type === "setHeight") {
      return data.height // Mastodon
    }
    return data.height // Bluesky
  }

  window.addEventListener("message", (event) => {
    for (const frame of document.querySelectorAll("iframe.embed__frame")) {
      if (frame.contentWindow !== event.source) {
        continue
      }
      if (event.origin !== new URL(frame.src).origin) {
        return
      }
      const height = Number(reportedHeight(event.data))
      if (Number.isFinite(height) && height >= 80 && height <= 4000) {
        frame.style.height = `${Math.round(height)}px`
      }
      return
    }
  })
})()
