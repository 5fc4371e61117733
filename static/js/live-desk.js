/*
 * The live desk keeps what is typed (#18). A new update's title, text and key-event box are
 * kept in this browser's storage, per live blog, as they are typed, until the update is
 * posted. If the post doesn't go through (the session ended and the login page came
 * instead, the tab was closed, the browser crashed), the desk offers the text back the next
 * time it opens for that blog: “Put it back” or “Discard”. The desk's success message
 * (“Posted at …”) forgets it. Edits of posted updates are kept by the server instead: a save
 * refused as stale comes back with its text.
 *
 * Loaded in the page's head, before the rich-text editor, so that it hears the editor's
 * `prose-editor:ready` event. No inline code: an external file only.
 */
;(() => {
  const PREFIX = "newsroom:live-desk:"
  const KEEP_FOR = 7 * 24 * 3600 * 1000

  const storage = (() => {
    try {
      return window.localStorage
    } catch {
      return null
    }
  })()
  if (!storage) {
    return
  }

  const form = () => document.getElementById("liveupdate_form")
  const field = (name) => form() && form().querySelector(`[name="${name}"]`)
  // Only the desk's add form: an update already posted has its version in the form.
  const posting = () => form() && !(field("expected_version") && field("expected_version").value)
  const key = () => (field("article") ? PREFIX + field("article").value : null)
  let editor = null

  const kept = () => {
    try {
      const data = JSON.parse(storage.getItem(key()) || "null")
      return data && Date.now() - data.at < KEEP_FOR ? data : null
    } catch {
      return null
    }
  }

  const save = () => {
    if (!posting() || !key()) {
      return
    }
    const body = editor ? (editor.isEmpty ? "" : editor.getHTML()) : field("body").value
    const title = field("title").value
    try {
      if (!title.trim() && !body) {
        storage.removeItem(key())
      } else {
        const keyEvent = field("key_event").checked
        storage.setItem(key(), JSON.stringify({ title, body, key_event: keyEvent, at: Date.now() }))
      }
    } catch {
      // Storage full or refused: the form itself still holds the text.
    }
  }

  const offer = () => {
    const data = kept()
    if (!data || field("title").value.trim() || (editor && !editor.isEmpty)) {
      return
    }
    const notice = document.createElement("div")
    notice.className = "live-desk__kept"
    notice.setAttribute("role", "status")
    const text = document.createElement("p")
    const at = new Date(data.at)
    const time = `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`
    text.textContent = `An update you wrote here at ${time} was not posted${data.title ? `: “${data.title}”` : ""}.`
    const restore = document.createElement("button")
    restore.type = "button"
    restore.textContent = "Put it back"
    restore.addEventListener("click", () => {
      field("title").value = data.title || ""
      field("key_event").checked = Boolean(data.key_event)
      if (editor) {
        editor.commands.setContent(data.body || "")
      } else {
        field("body").value = data.body || ""
      }
      notice.remove()
      field("title").focus()
    })
    const discard = document.createElement("button")
    discard.type = "button"
    discard.textContent = "Discard"
    discard.addEventListener("click", () => {
      storage.removeItem(key())
      notice.remove()
    })
    text.append(" ", restore, " ", discard)
    notice.append(text)
    form().prepend(notice)
  }

  document.addEventListener("prose-editor:ready", (event) => {
    if (!posting() || event.detail.textarea !== field("body")) {
      return
    }
    editor = event.detail.editor
    if (document.querySelector(".messagelist .success") && !document.querySelector(".errornote")) {
      storage.removeItem(key()) // Posted: what was kept is on the blog now.
    } else {
      offer()
    }
    editor.on("update", save)
    field("title").addEventListener("input", save)
    field("key_event").addEventListener("change", save)
    form().addEventListener("submit", save)
  })
})()
