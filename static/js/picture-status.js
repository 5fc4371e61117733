/*
 * Pictures shown as "processing" until their renditions exist (#15).
 *
 * An upload returns before its sizes and crops are made (images/tasks.py); the admin shows a
 * placeholder, `<span data-picture-processing="42" data-status-url="…">Processing…</span>`,
 * and this script asks the status URL (images/chooser.py `status`) every few seconds, for
 * every such placeholder on the page at once. When a picture is ready the placeholder becomes
 * its thumbnail; when its job failed, the placeholder says so. Either way a `picture-status`
 * event (detail: the picture, as picture_data() gives it) bubbles from the placeholder, for
 * the lead-picture field and the body's figures.
 *
 *   window.NewsroomPictureStatus.watch(id, url) → Promise of the picture once not processing
 *
 * No inline code or styles (the admin's Content-Security-Policy).
 */
;(() => {
  "use strict"

  const FIRST_DELAY = 1000
  const MAX_DELAY = 10000

  const waiting = new Map() // id → {url, resolvers: [...]}
  let timer = null
  let delay = FIRST_DELAY

  const replace = (placeholder, picture) => {
    placeholder.dispatchEvent(new CustomEvent("picture-status", { bubbles: true, detail: picture }))
    if (placeholder.classList.contains("image-field__processing")) {
      return // The lead-picture field redraws itself (image-chooser.js).
    }
    if (picture.thumbnail) {
      const img = document.createElement("img")
      img.src = picture.thumbnail
      img.alt = ""
      img.width = picture.width
      img.height = picture.height
      placeholder.replaceWith(img)
    } else {
      placeholder.textContent = picture.status_text
      placeholder.classList.replace("is-processing", "is-failed")
      placeholder.removeAttribute("data-picture-processing")
    }
  }

  const ask = async () => {
    timer = null
    const byUrl = new Map()
    for (const [id, entry] of waiting) {
      byUrl.set(entry.url, [...(byUrl.get(entry.url) || []), id])
    }
    for (const [url, ids] of byUrl) {
      let answer
      try {
        const response = await fetch(`${url}?ids=${ids.join(",")}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
        answer = response.ok ? await response.json() : null
      } catch {
        answer = null // Offline for a moment: ask again later.
      }
      const found = new Map((answer?.pictures || []).map((picture) => [String(picture.id), picture]))
      for (const id of ids) {
        const picture = found.get(id)
        if (answer && !picture) {
          waiting.delete(id) // Deleted meanwhile.
        } else if (picture && !picture.processing) {
          for (const resolve of waiting.get(id)?.resolvers || []) {
            resolve(picture)
          }
          waiting.delete(id)
          for (const placeholder of document.querySelectorAll(`[data-picture-processing="${id}"]`)) {
            replace(placeholder, picture)
          }
        }
      }
    }
    delay = Math.min(delay * 1.5, MAX_DELAY)
    schedule()
  }

  const schedule = () => {
    if (!timer && waiting.size) {
      timer = window.setTimeout(ask, delay)
    }
  }

  const watch = (id, url) =>
    new Promise((resolve) => {
      const key = String(id)
      const entry = waiting.get(key) || { url, resolvers: [] }
      entry.resolvers.push(resolve)
      waiting.set(key, entry)
      delay = FIRST_DELAY
      schedule()
    })

  const start = () => {
    for (const placeholder of document.querySelectorAll("[data-picture-processing][data-status-url]")) {
      watch(placeholder.dataset.pictureProcessing, placeholder.dataset.statusUrl)
    }
  }

  window.NewsroomPictureStatus = { watch, start }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
