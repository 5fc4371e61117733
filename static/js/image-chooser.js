/*
 * The picture chooser (#14): the library's thumbnails in a dialog on the page (no popup
 * window), searched as you type; a new picture uploaded from the dialog, by its button or by
 * dropping a file, after asking for its alt text (unless it is decorative) and offering the
 * credit its metadata names. The server side is images/chooser.py.
 *
 *   window.NewsroomImages.choose()      → Promise of a picture, or null if cancelled
 *   window.NewsroomImages.upload(file?) → the same, for a new picture (file optional)
 *
 * A picture is {id, label, thumbnail, width, height, alt, is_decorative, caption, credit,
 * edit_url, status, processing, status_text}; a picture whose renditions are still being made
 * (#15) has no thumbnail yet, and static/js/picture-status.js says when it has. The lead-picture field (images/widgets.py) and the body editor's picture node
 * (static/js/editor/picture.js) both use these. Everything is built with DOM methods: no
 * inline code or styles (the admin's Content-Security-Policy).
 */
;(() => {
  "use strict"

  const MAX_HEADER = 1024 * 1024 // what images/metadata.py reads of a file
  const ACCEPTED = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"]

  const config = () => document.querySelector("[data-browse-url][data-upload-url]")

  const csrfToken = () => {
    const input = document.querySelector("[name=csrfmiddlewaretoken]")
    if (input) {
      return input.value
    }
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
    return match ? decodeURIComponent(match[1]) : ""
  }

  const el = (tag, props = {}, children = []) => {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") {
        node.textContent = value
      } else if (key === "class") {
        node.className = value
      } else if (value === true) {
        node.setAttribute(key, "")
      } else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(key, value)
      }
    }
    for (const child of children) {
      node.append(child)
    }
    return node
  }

  const imageFiles = (transfer) =>
    [...(transfer?.files || [])].filter((file) => file.type.startsWith("image/"))

  const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files")

  // Lets picture files be dropped on the element: it is marked while a file is over it, and
  // the first picture dropped goes to onFile. Drops of anything else pass through.
  const acceptDrops = (element, onFile) => {
    element.addEventListener("dragover", (event) => {
      if (hasFiles(event)) {
        event.preventDefault()
        element.classList.add("is-dropping")
      }
    })
    element.addEventListener("dragleave", () => element.classList.remove("is-dropping"))
    element.addEventListener("drop", (event) => {
      element.classList.remove("is-dropping")
      const files = imageFiles(event.dataTransfer)
      if (files.length) {
        event.preventDefault()
        event.stopPropagation()
        onFile(files[0])
      }
    })
  }

  // The dialog ---------------------------------------------------------------------------

  let dialog = null
  let parts = {}
  let pending = null // {resolve} of the call the dialog answers
  let opener = null
  let chosenFile = null
  let creditTyped = false
  let searchTimer = null
  let searchRequest = null

  const field = (id, label, control, help) => {
    const wrapper = el("div", { class: "image-chooser__field" }, [
      el("label", { for: id, text: label }),
      control,
    ])
    if (help) {
      const helpId = `${id}-help`
      control.setAttribute("aria-describedby", helpId)
      wrapper.append(el("p", { class: "help", id: helpId, text: help }))
    }
    return wrapper
  }

  const build = () => {
    const title = el("h2", { id: "image-chooser-title", text: "Choose a picture" })
    const close = el("button", { type: "button", class: "image-chooser__close", text: "Close" })

    // The library: search and a grid of thumbnails.
    const query = el("input", {
      type: "search",
      id: "image-chooser-q",
      autocomplete: "off",
      spellcheck: "false",
    })
    query.setAttribute("aria-describedby", "image-chooser-q-help")
    const search = el("form", { class: "image-chooser__search", role: "search" }, [
      el("label", { for: "image-chooser-q", text: "Search the library" }),
      query,
      el("button", { type: "submit", class: "button", text: "Search" }),
      el("p", { class: "help", id: "image-chooser-q-help", text: "Matches alt text, captions and credits." }),
    ])
    const toUpload = el("button", { type: "button", class: "button", text: "Upload a new picture" })
    const results = el("div", { class: "image-chooser__results", "aria-live": "polite" })
    const library = el("section", { class: "image-chooser__library", "aria-label": "Library" }, [
      search,
      el("p", { class: "image-chooser__hint" }, [
        toUpload,
        " or drop a picture file anywhere in this dialog.",
      ]),
      results,
    ])

    // Upload: the file, then what the library needs to know about it.
    const file = el("input", {
      type: "file",
      id: "image-chooser-file",
      name: "file",
      accept: ACCEPTED.join(","),
    })
    const fileName = el("p", { class: "image-chooser__file", "aria-live": "polite" })
    const drop = el("div", { class: "image-chooser__drop" }, [
      field("image-chooser-file", "Picture file (JPEG, PNG, WebP or GIF)", file),
      el("p", { class: "help", text: "Or drop the file here." }),
      fileName,
    ])
    const alt = el("textarea", { id: "image-chooser-alt", name: "alt_text", rows: "2" })
    const decorative = el("input", { type: "checkbox", id: "image-chooser-decorative", name: "is_decorative" })
    const caption = el("textarea", { id: "image-chooser-caption", name: "caption", rows: "2" })
    const credit = el("input", { type: "text", id: "image-chooser-credit", name: "credit", maxlength: "200" })
    const creditNote = el("p", { class: "help", id: "image-chooser-credit-note", "aria-live": "polite" })
    const errors = el("div", { class: "image-chooser__errors", role: "alert" })
    const submit = el("button", { type: "submit", class: "button default", text: "Upload and use" })
    const back = el("button", { type: "button", class: "button", text: "Back to the library" })
    const upload = el("form", { class: "image-chooser__upload", novalidate: true }, [
      drop,
      field(
        "image-chooser-alt",
        "Alt text (required)",
        alt,
        "What the picture shows, for readers who cannot see it, e.g. “Firefighters carry a hose up a burning hillside”."
      ),
      el("div", { class: "image-chooser__field image-chooser__check" }, [
        decorative,
        el("label", {
          for: "image-chooser-decorative",
          text: "Decorative: the picture adds no information, screen readers skip it",
        }),
      ]),
      field("image-chooser-caption", "Caption", caption),
      field("image-chooser-credit", "Credit", credit, "Photographer and/or agency, e.g. “Jane Doe/Reuters”."),
      creditNote,
      errors,
      el("p", { class: "image-chooser__actions" }, [submit, " ", back]),
    ])
    const uploadSection = el(
      "section",
      { class: "image-chooser__upload-section", "aria-label": "Upload a new picture", hidden: true },
      [upload]
    )

    dialog = el("dialog", { class: "image-chooser", "aria-labelledby": "image-chooser-title" }, [
      el("div", { class: "image-chooser__head" }, [title, close]),
      library,
      uploadSection,
    ])
    document.body.append(dialog)
    parts = {
      title, query, results, library, uploadSection, upload, file, fileName, alt, decorative,
      caption, credit, creditNote, errors, submit, back, toUpload,
    }

    close.addEventListener("click", () => finish(null))
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault()
      finish(null)
    })
    dialog.addEventListener("close", () => {
      // Closed some other way (a form with method=dialog, the browser): a cancel. The close
      // event of an answered call may arrive after the next call opened the dialog again.
      if (!dialog.open) {
        finish(null)
      }
    })
    search.addEventListener("submit", (event) => {
      event.preventDefault()
      browse(1)
    })
    query.addEventListener("input", () => {
      window.clearTimeout(searchTimer)
      searchTimer = window.setTimeout(() => browse(1), 250)
    })
    results.addEventListener("click", (event) => {
      const pick = event.target.closest("[data-picture]")
      if (pick) {
        finish(JSON.parse(pick.dataset.picture))
        return
      }
      const page = event.target.closest("[data-page]")
      if (page) {
        browse(Number(page.dataset.page), true)
      }
    })
    toUpload.addEventListener("click", () => showUpload(null))
    back.addEventListener("click", () => showLibrary())
    file.addEventListener("change", () => takeFile(file.files[0] || null))
    credit.addEventListener("input", () => {
      creditTyped = true
    })
    decorative.addEventListener("change", () => {
      alt.disabled = decorative.checked
    })
    upload.addEventListener("submit", (event) => {
      event.preventDefault()
      send()
    })
    acceptDrops(dialog, showUpload)
  }

  const open = () => {
    if (!config()) {
      return Promise.resolve(null)
    }
    if (!dialog) {
      build()
    }
    if (pending) {
      pending.resolve(null)
    }
    opener = document.activeElement
    return new Promise((resolve) => {
      pending = { resolve }
      if (!dialog.open) {
        dialog.showModal()
      }
    })
  }

  const finish = (picture) => {
    if (!pending) {
      return
    }
    const { resolve } = pending
    pending = null
    if (dialog.open) {
      dialog.close()
    }
    if (opener && opener.isConnected) {
      opener.focus()
    }
    resolve(picture)
  }

  // The library ---------------------------------------------------------------------------

  const showLibrary = () => {
    parts.title.textContent = "Choose a picture"
    parts.uploadSection.hidden = true
    parts.library.hidden = false
    parts.query.focus()
  }

  const browse = async (page, focusGrid = false) => {
    const url = new URL(config().dataset.browseUrl, window.location.href)
    url.searchParams.set("q", parts.query.value)
    url.searchParams.set("page", String(page))
    if (searchRequest) {
      searchRequest.abort()
    }
    const request = (searchRequest = new AbortController())
    parts.results.setAttribute("aria-busy", "true")
    try {
      const response = await fetch(url, {
        signal: request.signal,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
      if (!response.ok) {
        throw new Error(String(response.status))
      }
      const html = await response.text()
      // The server's template escaped every value; the fragment holds no scripts or styles.
      const fragment = document.createRange().createContextualFragment(html)
      parts.results.replaceChildren(fragment)
      window.NewsroomPictureStatus?.start() // pictures still processing (#15)
      if (focusGrid) {
        parts.results.querySelector("[data-picture]")?.focus()
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        parts.results.replaceChildren(
          el("p", { class: "errornote", text: "The library could not be loaded. Try again." })
        )
      }
    } finally {
      if (searchRequest === request) {
        parts.results.removeAttribute("aria-busy")
      }
    }
  }

  // Upload ---------------------------------------------------------------------------------

  const resetUpload = () => {
    parts.upload.reset()
    parts.alt.disabled = false
    parts.errors.replaceChildren()
    parts.creditNote.textContent = ""
    parts.fileName.textContent = ""
    for (const control of parts.upload.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid")
    }
    chosenFile = null
    creditTyped = false
  }

  const showUpload = (file) => {
    resetUpload()
    parts.title.textContent = "Upload a picture"
    parts.library.hidden = true
    parts.uploadSection.hidden = false
    if (file) {
      takeFile(file)
      parts.alt.focus()
    } else {
      parts.file.focus()
    }
  }

  const takeFile = (file) => {
    chosenFile = file
    parts.fileName.textContent = file ? `File: ${file.name} (${Math.ceil(file.size / 1024)} KB)` : ""
    if (file) {
      offerCredit(file)
    }
  }

  const offerCredit = async (file) => {
    // Read from the file before the library removes its metadata (images/metadata.py).
    const body = new FormData()
    body.append("file", file.slice(0, MAX_HEADER), file.name)
    try {
      const response = await fetch(config().dataset.creditUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
      const { credit } = response.ok ? await response.json() : {}
      if (credit && chosenFile === file && !creditTyped && !parts.credit.value.trim()) {
        parts.credit.value = credit
        parts.creditNote.textContent = "Credit read from the file’s metadata: check it, change it if needed."
      }
    } catch {
      // No offer: the editor types the credit.
    }
  }

  const showErrors = (errors) => {
    const names = { file: parts.file, alt_text: parts.alt, caption: parts.caption, credit: parts.credit }
    const list = el("ul", { class: "errorlist" })
    let first = null
    for (const [name, messages] of Object.entries(errors)) {
      for (const { message } of messages) {
        list.append(el("li", { text: message }))
      }
      const control = names[name]
      if (control) {
        control.setAttribute("aria-invalid", "true")
        first = first || control
      }
    }
    parts.errors.replaceChildren(el("p", { text: "The picture was not uploaded:" }), list)
    ;(first || parts.file).focus()
  }

  const send = async () => {
    for (const control of parts.upload.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid")
    }
    const local = {}
    if (!chosenFile) {
      local.file = [{ message: "Choose a picture file, or drop one here." }]
    }
    if (!parts.decorative.checked && !parts.alt.value.trim()) {
      local.alt_text = [
        { message: "Describe what the picture shows, or tick “decorative” if it adds no information." },
      ]
    }
    if (Object.keys(local).length) {
      showErrors(local)
      return
    }
    const body = new FormData(parts.upload)
    body.set("file", chosenFile, chosenFile.name)
    parts.submit.disabled = true
    parts.errors.replaceChildren(el("p", { text: "Uploading…" }))
    try {
      const response = await fetch(config().dataset.uploadUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      })
      if (response.status === 201) {
        finish(await response.json())
      } else if (response.status === 400) {
        showErrors((await response.json()).errors)
      } else if (response.status === 403) {
        showErrors({ file: [{ message: "Your account may not add pictures to the library." }] })
      } else if (response.status === 413) {
        showErrors({ file: [{ message: "This file is too large to upload." }] })
      } else {
        showErrors({ file: [{ message: `The upload failed (error ${response.status}). Try again.` }] })
      }
    } catch {
      showErrors({ file: [{ message: "The upload did not reach the server. Check the connection and try again." }] })
    } finally {
      parts.submit.disabled = false
    }
  }

  // The public calls --------------------------------------------------------------------------

  const choose = () => {
    const answer = open()
    if (dialog) {
      showLibrary()
      browse(1)
    }
    return answer
  }

  const upload = (file) => {
    const answer = open()
    if (dialog) {
      showUpload(file || null)
    }
    return answer
  }

  window.NewsroomImages = { choose, upload }

  // The lead-picture field (images/widgets.py) ------------------------------------------------

  const enhance = (box) => {
    const input = box.querySelector("input[type=hidden]")
    const preview = box.querySelector(".image-field__preview")
    const img = preview.querySelector("img") || el("img", { alt: "" })
    if (!img.isConnected) {
      preview.prepend(img)
    }
    const label = box.querySelector(".image-field__label")
    const credit = box.querySelector(".image-field__credit")
    const edit = box.querySelector(".image-field__edit")
    const empty = box.querySelector(".image-field__empty")
    const clear = box.querySelector("[data-action=clear]")
    const status = box.querySelector(".image-field__status")
    const processing =
      box.querySelector(".image-field__processing") ||
      el("span", { class: "picture-pending image-field__processing is-processing", role: "status" })
    if (!processing.isConnected) {
      img.after(processing)
    }

    // While its renditions are being made (#15) the picture has no thumbnail: "Processing…"
    // stands in its place until picture-status.js says it is ready.
    const draw = (picture) => {
      img.hidden = !picture.thumbnail
      if (picture.thumbnail) {
        img.src = picture.thumbnail
      } else {
        img.removeAttribute("src")
      }
      img.alt = picture.alt
      img.width = picture.width
      img.height = picture.height
      processing.hidden = Boolean(picture.thumbnail)
      processing.textContent = picture.status_text || ""
      processing.classList.toggle("is-failed", picture.status === "failed")
      processing.classList.toggle("is-processing", picture.status !== "failed")
      if (picture.processing && window.NewsroomPictureStatus) {
        window.NewsroomPictureStatus.watch(picture.id, box.dataset.statusUrl).then((ready) => {
          if (input.value === String(ready.id)) {
            draw(ready)
          }
        })
      }
    }

    const show = (picture) => {
      input.value = picture ? String(picture.id) : ""
      preview.hidden = !picture
      empty.hidden = Boolean(picture)
      clear.hidden = !picture
      if (picture) {
        draw(picture)
        label.textContent = picture.label
        credit.textContent = picture.credit ? `Photo: ${picture.credit}` : ""
        edit.href = picture.edit_url
        edit.hidden = false
      }
      status.textContent = picture ? `Lead picture: ${picture.label}` : "No lead picture."
      // The story form's autosave and its warning before leaving notice the change.
      input.dispatchEvent(new Event("input", { bubbles: true }))
      input.dispatchEvent(new Event("change", { bubbles: true }))
    }

    // The page came with a picture still processing.
    if (input.value && !processing.hidden && processing.classList.contains("is-processing")) {
      draw({
        id: input.value,
        processing: true,
        thumbnail: "",
        alt: img.alt,
        width: img.width,
        height: img.height,
        status: "processing",
        status_text: processing.textContent,
      })
    }

    const take = (promise) =>
      promise.then((picture) => {
        if (picture) {
          show(picture)
        }
      })

    box.querySelector("[data-action=choose]").addEventListener("click", () => take(choose()))
    box.querySelector("[data-action=upload]").addEventListener("click", () => take(upload()))
    clear.addEventListener("click", () => {
      show(null)
      box.querySelector("[data-action=choose]").focus()
    })
    acceptDrops(box, (file) => take(upload(file)))
  }

  const start = () => {
    for (const box of document.querySelectorAll("[data-image-field]")) {
      enhance(box)
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
