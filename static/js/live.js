/*
 * A live blog's open page fetches its new updates (#18). Every half minute (while the tab is
 * visible) it asks the blog's poll, /live/<id>/updates.json, revalidating with the ETag it
 * holds: the page cache or the caching proxy answer 304 until an update is posted, so an
 * unchanged blog costs a few bytes and no work in the app. New updates are not pushed into
 * the text being read: a button says “3 new updates” and inserts them at the top when
 * pressed. An update edited since the page loaded is replaced where it is; one taken down is
 * removed. When the coverage ends the page says so and stops asking.
 *
 * Without JavaScript the page is complete: every update is in it. No inline code: an
 * external file only, under the page's Content-Security-Policy.
 */
;(() => {
  const live = document.querySelector("[data-live-poll]")
  if (!live || live.dataset.liveState !== "live") {
    return
  }
  const list = live.querySelector("[data-live-updates]")
  const notice = live.querySelector("[data-live-new]")
  const status = live.querySelector("[data-live-status]")
  const every = 1000 * (Number(live.dataset.livePollSeconds) || 30)
  const title = document.title
  let pending = []
  let etag = null
  let timer = null
  let stopped = false

  const shown = () => new Map([...list.querySelectorAll("[data-update]")].map((el) => [el.dataset.update, el]))

  const fragment = (html) => {
    const template = document.createElement("template")
    template.innerHTML = html.trim()
    const node = template.content.firstElementChild
    // Embeds' “Load” buttons are hidden until embeds.js knows it can load them.
    for (const action of node.querySelectorAll(".embed__action[hidden]")) {
      action.hidden = false
    }
    return node
  }

  const newestShown = () => {
    const first = list.querySelector("[data-update] time[datetime]")
    return first ? Date.parse(first.getAttribute("datetime")) : 0
  }

  const render = () => {
    notice.replaceChildren()
    document.title = pending.length ? `(${pending.length}) ${title}` : title
    if (!pending.length) {
      return
    }
    const button = document.createElement("button")
    button.type = "button"
    button.className = "live__new-button"
    const count = pending.length
    button.textContent = count === 1 ? "1 new update" : `${count} new updates`
    button.addEventListener("click", insert)
    notice.append(button)
  }

  const insert = () => {
    const empty = list.querySelector("[data-live-empty]")
    if (empty) {
      empty.remove()
    }
    const nodes = pending.map((update) => fragment(update.html))
    list.prepend(...nodes)
    pending = []
    render()
    // The reader is taken to the first new update (its link is focusable).
    const link = nodes[0] && nodes[0].querySelector(".live-update__time")
    if (link) {
      link.focus({ preventScroll: true })
      nodes[0].scrollIntoView({ block: "start", behavior: "smooth" })
    }
  }

  const ended = (data) => {
    stopped = true
    live.dataset.liveState = "ended"
    if (status) {
      const at = data.ended_at ? new Date(data.ended_at) : null
      const time = at ? at.toTimeString().slice(0, 5) : ""
      status.textContent = time ? `Coverage ended at ${time}. Newest first.` : "Coverage ended. Newest first."
    }
  }

  const apply = (data) => {
    const onPage = shown()
    const since = newestShown()
    const waiting = new Set(pending.map((update) => String(update.id)))
    const fresh = []
    for (const update of data.updates) {
      const id = String(update.id)
      const element = onPage.get(id)
      if (element) {
        if (element.dataset.version !== String(update.version)) {
          element.replaceWith(fragment(update.html))
        }
      } else if (!waiting.has(id) && Date.parse(update.posted_at) >= since) {
        fresh.push(update)
      }
    }
    // Updates taken down: on the page, within the answer's span of time, and not in it.
    if (data.updates.length) {
      const ids = new Set(data.updates.map((update) => String(update.id)))
      const oldest = Date.parse(data.updates[data.updates.length - 1].posted_at)
      for (const [id, element] of onPage) {
        const time = element.querySelector("time[datetime]")
        if (!ids.has(id) && time && Date.parse(time.getAttribute("datetime")) >= oldest) {
          element.remove()
        }
      }
      pending = pending.filter((update) => ids.has(String(update.id)))
    }
    pending = [...fresh, ...pending].sort((a, b) => Date.parse(b.posted_at) - Date.parse(a.posted_at) || b.id - a.id)
    const events = live.querySelector("[data-live-key-events]")
    if (events && typeof data.key_events === "string") {
      events.replaceWith(fragment(data.key_events))
    }
    render()
    if (data.state !== "live") {
      ended(data)
    }
  }

  const poll = async () => {
    timer = null
    if (stopped || document.hidden) {
      return
    }
    try {
      // "no-cache": the browser asks again every time, with its ETag (a 304 if nothing is new).
      const response = await fetch(live.dataset.livePoll, {
        cache: "no-cache",
        credentials: "omit",
        headers: { Accept: "application/json" },
      })
      if (response.status === 404 || response.status === 410) {
        stopped = true // The blog is no longer public: nothing more will come.
        return
      }
      if (response.ok) {
        const tag = response.headers.get("ETag")
        if (!tag || tag !== etag) {
          etag = tag
          apply(await response.json())
        }
      }
    } catch {
      // Offline for a moment: the next round tries again.
    }
    schedule()
  }

  const schedule = () => {
    if (!stopped && timer === null) {
      timer = window.setTimeout(poll, every)
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && timer === null && !stopped) {
      poll()
    }
  })
  schedule()
})()
