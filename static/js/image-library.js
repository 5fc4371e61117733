/*
 * The picture library's own pages (#14).
 *
 * - The focal point: a click on the picture sets the "focal point" numbers below it, and a
 *   marker shows where it is; with the picture focused, the arrow keys move it (Shift for small
 *   steps). The numbers stay editable and the marker follows them.
 * - A new file's credit: the credit its EXIF/IPTC names (photographer, copyright) is offered in
 *   the empty credit box before the upload strips the metadata; a typed credit is never
 *   replaced.
 */
;(() => {
  "use strict"

  const round = (value) => Math.round(Math.min(1, Math.max(0, value)) * 100) / 100

  const focalPicker = (picker) => {
    const x = document.getElementById("id_focal_x")
    const y = document.getElementById("id_focal_y")
    if (!x || !y) {
      return
    }
    const marker = picker.querySelector(".focal-picker__marker")
    const status = document.createElement("p")
    status.className = "help focal-picker__status"
    status.setAttribute("role", "status")
    picker.after(status)

    const read = (input, fallback) => {
      const value = Number.parseFloat(input.value)
      return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : fallback
    }
    const place = () => {
      marker.style.left = `${read(x, 0.5) * 100}%`
      marker.style.top = `${read(y, 0.5) * 100}%`
    }
    const set = (fx, fy) => {
      x.value = String(round(fx))
      y.value = String(round(fy))
      for (const input of [x, y]) {
        input.dispatchEvent(new Event("input", { bubbles: true }))
      }
      place()
      status.textContent =
        `Focal point: ${Math.round(round(fx) * 100)}% from the left, ` +
        `${Math.round(round(fy) * 100)}% from the top. Save to make the crops.`
    }

    picker.addEventListener("click", (event) => {
      if (event.detail === 0) {
        return // Enter or Space: the arrow keys move the point.
      }
      const box = picker.querySelector("img").getBoundingClientRect()
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height)
    })
    const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }
    picker.addEventListener("keydown", (event) => {
      const step = steps[event.key]
      if (!step) {
        return
      }
      event.preventDefault()
      const size = event.shiftKey ? 0.01 : 0.05
      set(read(x, 0.5) + step[0] * size, read(y, 0.5) + step[1] * size)
    })
    for (const input of [x, y]) {
      input.addEventListener("input", place)
    }
    picker.classList.add("is-ready")
    place()
  }

  const csrfToken = () => document.querySelector("[name=csrfmiddlewaretoken]")?.value || ""

  const creditOffer = (fileInput) => {
    const credit = document.getElementById("id_credit")
    if (!credit) {
      return
    }
    let typed = Boolean(credit.value.trim())
    credit.addEventListener("input", () => {
      typed = true
    })
    const note = document.createElement("p")
    note.className = "help"
    note.setAttribute("aria-live", "polite")
    credit.after(note)
    fileInput.addEventListener("change", async () => {
      const file = fileInput.files[0]
      if (!file || typed || credit.value.trim()) {
        return
      }
      const body = new FormData()
      body.append("file", file.slice(0, 1024 * 1024), file.name)
      try {
        const response = await fetch(fileInput.dataset.creditUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() },
        })
        const { credit: found } = response.ok ? await response.json() : {}
        if (found && !typed && !credit.value.trim() && fileInput.files[0] === file) {
          credit.value = found
          note.textContent = "Credit read from the file’s metadata: check it, change it if needed."
        }
      } catch {
        // No offer: the editor types the credit.
      }
    })
  }

  const start = () => {
    for (const picker of document.querySelectorAll(".focal-picker")) {
      focalPicker(picker)
    }
    for (const input of document.querySelectorAll("input[type=file][data-credit-url]")) {
      creditOffer(input)
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
