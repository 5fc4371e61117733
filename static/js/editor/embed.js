/*
 * Embeds inside a story's body (#14): videos, posts, audio, charts and documents by address.
 *
 * Stored as `<figure data-embed="https://…"><a href="https://…">https://…</a></figure>`
 * (articles/body.py). The editor shows a box naming the provider and the address; it asks the
 * site (the lookup in embeds/views.py, `lookupUrl` in articles/text.py) what readers will get:
 * the provider's player when they ask for it, or a plain link.
 *
 * An embed comes two ways: pasting a bare address on an empty line (it becomes an embed when a
 * provider the site knows plays it, and stays a link otherwise), or the toolbar's embed button,
 * which asks for the address.
 *
 * An ES module loaded by the editor (DJANGO_PROSE_EDITOR_EXTENSIONS in settings); its exports
 * become extensions by name.
 */
import { Node, Plugin } from "django-prose-editor/editor"

const ADDRESS = /^https?:\/\/[^\s<>"]+$/

const answers = new Map()

/* What the site says readers get for `url`: {provider, noun, title, playable, message}. */
const lookup = (lookupUrl, url) => {
  if (!answers.has(url)) {
    const address = `${lookupUrl}?${new URLSearchParams({ url })}`
    const answer = fetch(address, { credentials: "same-origin", redirect: "error" })
      .then(async (response) => {
        const body = await response.json().catch(() => ({}))
        if (!response.ok) {
          answers.delete(url)
          return { playable: false, message: body.error || "The address couldn't be checked." }
        }
        return body
      })
      .catch(() => {
        answers.delete(url)
        return { playable: false, message: "The address couldn't be checked just now." }
      })
    answers.set(url, answer)
  }
  return answers.get(url)
}

const element = (tag, className, text) => {
  const node = document.createElement(tag)
  if (className) {
    node.className = className
  }
  if (text) {
    node.textContent = text
  }
  return node
}

/* The toolbar's question: a modal dialog asking for the address, checked before inserting. */
const askForAddress = (lookupUrl) =>
  new Promise((resolve) => {
    const dialog = element("dialog", "embed-dialog")
    dialog.setAttribute("aria-labelledby", "embed-dialog-title")
    const form = element("form", "embed-dialog__form")
    form.method = "dialog"
    const title = element("h2", "embed-dialog__title", "Embed")
    title.id = "embed-dialog-title"
    const label = element("label", "", "Address of the video, post, audio, chart or document")
    label.htmlFor = "embed-dialog-url"
    const input = element("input", "vTextField")
    Object.assign(input, { id: "embed-dialog-url", type: "url", required: true })
    input.setAttribute("autocomplete", "off")
    const hint = element(
      "p",
      "help embed-dialog__hint",
      "Paste the address from your browser, e.g. https://www.youtube.com/watch?v=… Readers " +
        "load it from the provider only when they ask for it."
    )
    const error = element("p", "errornote embed-dialog__error")
    error.setAttribute("role", "alert")
    error.hidden = true
    const buttons = element("div", "embed-dialog__buttons")
    const insert = element("button", "button default", "Embed")
    insert.type = "submit"
    const cancel = element("button", "button", "Cancel")
    cancel.type = "button"
    buttons.append(insert, cancel)
    form.append(title, label, input, hint, error, buttons)
    dialog.append(form)
    document.body.append(dialog)

    let chosen = null
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(chosen)
    })
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      const url = input.value.trim()
      insert.disabled = true
      const answer = await lookup(lookupUrl, url)
      insert.disabled = false
      if (answer.playable) {
        chosen = url
        dialog.close()
        return
      }
      error.textContent = answer.message
      error.hidden = false
      input.focus()
    })
    dialog.showModal()
    input.focus()
  })

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { lookupUrl: "" }
  },

  addAttributes() {
    return {
      url: {
        default: "",
        parseHTML: (figure) => figure.getAttribute("data-embed") || "",
        renderHTML: (attrs) => ({ "data-embed": attrs.url }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]" }]
  },

  renderHTML({ node, HTMLAttributes }) {
    return ["figure", HTMLAttributes, ["a", { href: node.attrs.url }, node.attrs.url]]
  },

  addNodeView() {
    const { lookupUrl } = this.options
    return ({ node }) => {
      const url = node.attrs.url
      const dom = element("figure", "embed-node")
      dom.contentEditable = "false"
      dom.dataset.embed = url
      const provider = element("p", "embed-node__provider", "Embed")
      const title = element("p", "embed-node__title")
      title.hidden = true
      const address = element("p", "embed-node__url", url)
      const status = element("p", "embed-node__status", "Checking the address…")
      dom.append(provider, title, address, status)
      lookup(lookupUrl, url).then((answer) => {
        if (answer.provider) {
          provider.textContent = `${answer.provider} ${answer.noun}`
        }
        if (answer.title) {
          title.textContent = answer.title
          title.hidden = false
        }
        status.textContent = answer.message
        dom.classList.toggle("embed-node--link", !answer.playable)
      })
      return {
        dom,
        update: (updated) => updated.type === node.type && updated.attrs.url === url,
      }
    }
  },

  addCommands() {
    return {
      insertEmbed:
        (url) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { url } }),
    }
  },

  addMenuItems({ menu, buttons }) {
    const { lookupUrl } = this.options
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      command(editor) {
        askForAddress(lookupUrl).then((url) => {
          if (url) {
            editor.chain().focus().insertEmbed(url).run()
          }
        })
      },
      enabled: () => Boolean(lookupUrl),
      button: buttons.material("smart_display", "Embed a video, post, chart or document"),
    })
  },

  addProseMirrorPlugins() {
    const { lookupUrl } = this.options
    const type = this.type
    return [
      new Plugin({
        props: {
          // A bare address pasted on an empty line is pasted as usual (a link); once the
          // site says a provider plays it, the line becomes the embed.
          handlePaste(view, event) {
            const text = (event.clipboardData?.getData("text/plain") || "").trim()
            const { $from, empty } = view.state.selection
            if (
              !lookupUrl ||
              !ADDRESS.test(text) ||
              !empty ||
              $from.depth !== 1 ||
              $from.parent.type.name !== "paragraph" ||
              $from.parent.content.size
            ) {
              return false
            }
            const at = $from.before()
            lookup(lookupUrl, text).then((answer) => {
              const line = view.state.doc.nodeAt(at)
              if (!answer.playable || !line || line.type.name !== "paragraph") {
                return
              }
              if (line.textContent.trim() !== text) {
                return // Typed on since: leave it as it is.
              }
              const tr = view.state.tr.replaceWith(at, at + line.nodeSize, type.create({ url: text }))
              if (at + 1 >= tr.doc.content.size) {
                tr.insert(tr.doc.content.size, view.state.schema.nodes.paragraph.create())
              }
              view.dispatch(tr.scrollIntoView())
            })
            return false
          },
        },
      }),
    ]
  },
})
