/*
 * The body's own tools (#14): links to our stories, tables with a header row, pull quotes and
 * "read more" boxes. Their stored forms are described in articles/body.py, and the server's
 * sanitiser (articles/text.py) keeps exactly those.
 *
 * - StoryLink replaces the editor's Link: its dialog searches our published stories by
 *   headline (the admin's stories/ view, articles/story_picker.py) or takes a typed address.
 *   A story is stored by id (`<a href="…" data-story="12">`), so readers get its current
 *   address whatever its slug becomes.
 * - StoryTable: the editor's Table, inserted at once with a header row (3 × 3); rows and
 *   columns are added and removed from the toolbar while the cursor is in the table.
 * - PullQuote: a paragraph of plain words set off as a quote (`<aside class="pull-quote">`).
 * - RelatedStory: a "Read more" box naming one of our stories, picked with the same search.
 *
 * An ES module loaded by the editor (DJANGO_PROSE_EDITOR_EXTENSIONS in settings); its exports
 * become extensions by name. No inline code or styles (the admin's Content-Security-Policy):
 * the dialog's look is in static/css/admin.css.
 */
import { Link, Node, Table } from "django-prose-editor/editor"

const SEARCH_DELAY = 150
let dialogs = 0

const storiesUrl = () => document.getElementById("story-editing")?.dataset.storiesUrl

const element = (tag, properties = {}, children = []) => {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(properties)) {
    if (/^(data-|aria-|role$)/.test(name)) {
      node.setAttribute(name, value)
    } else {
      node[name] = value
    }
  }
  node.append(...children)
  return node
}

/*
 * A typed address as a link may hold it: our own paths and http(s) or mailto addresses; a
 * bare "example.com/page" gets https://. Anything else (javascript:, data:…) is refused.
 */
const typedAddress = (value) => {
  const text = value.trim()
  if (!text) {
    return ""
  }
  if (text.startsWith("/") && !text.startsWith("//")) {
    return text
  }
  const scheme = text.match(/^([a-z][a-z0-9+.-]*):/i)
  if (!scheme) {
    return /^[^\s/]+\.[^\s/]+/.test(text) ? `https://${text}` : null
  }
  return ["http", "https", "mailto"].includes(scheme[1].toLowerCase()) ? text : null
}

/*
 * The story search dialog: a combobox (the search field) controlling a listbox of results;
 * arrows move through them, Enter or a click picks one. With `allowAddress`, an address can
 * be typed instead. Resolves with {story} or {href}, or null when cancelled.
 */
const storyDialog = (editor, { title, submitText, allowAddress, href = "", current = "" }) =>
  new Promise((resolve) => {
    const prefix = `story-dialog-${++dialogs}`
    let results = []
    let active = -1
    let timer = null
    let request = null
    let done = false

    const search = element("input", {
      id: `${prefix}-search`,
      type: "search",
      autocomplete: "off",
      placeholder: "Type words of the headline",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${prefix}-results`,
    })
    const list = element("ul", {
      id: `${prefix}-results`,
      className: "story-dialog__results",
      role: "listbox",
      "aria-label": "Published stories",
    })
    const status = element("p", {
      className: "story-dialog__status",
      role: "status",
      "aria-live": "polite",
    })
    // Without the search's address (an editor outside the story form), only an address.
    const searching = Boolean(storiesUrl())
    const fields = [element("h3", { className: "prose-editor-dialog-title", textContent: title })]
    if (searching) {
      fields.push(
        element("div", { className: "prose-editor-dialog-field story-dialog__search" }, [
          element("label", { htmlFor: search.id, textContent: "Search our stories" }),
          search,
          status,
          list,
        ]),
      )
    }
    if (current) {
      fields.splice(
        1,
        0,
        element("p", { className: "story-dialog__current", textContent: current }),
      )
    }
    let address = null
    if (allowAddress) {
      address = element("input", {
        id: `${prefix}-address`,
        name: "href",
        type: "text",
        inputMode: "url",
        value: href,
        size: 50,
        placeholder: "https://…",
      })
      fields.push(
        element("div", { className: "prose-editor-dialog-field" }, [
          element("label", { htmlFor: address.id, textContent: "Or a web address" }),
          address,
        ]),
      )
    }
    const submit = element("button", { type: "submit", textContent: submitText })
    const cancel = element("button", { type: "button", textContent: "Cancel" })
    fields.push(element("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]))
    if (!allowAddress) {
      submit.hidden = true // A box needs a story: picking one is the action.
    }
    const form = element("form", { method: "dialog" }, fields)
    const dialog = element("dialog", { className: "prose-editor-dialog story-dialog" }, [form])
    const holder = element("div", {}, [dialog])

    const finish = (value) => {
      if (done) {
        return
      }
      done = true
      clearTimeout(timer)
      request?.abort()
      resolve(value)
      dialog.close()
      holder.remove()
      if (!value) {
        editor.commands.focus() // Back where the writer was; a choice focuses as it applies.
      }
    }

    const show = (index) => {
      active = index
      for (const [position, option] of [...list.children].entries()) {
        option.setAttribute("aria-selected", String(position === index))
      }
      if (index >= 0) {
        search.setAttribute("aria-activedescendant", list.children[index].id)
        list.children[index].scrollIntoView({ block: "nearest" })
      } else {
        search.removeAttribute("aria-activedescendant")
      }
    }

    const render = (found, query) => {
      results = found
      list.replaceChildren(
        ...found.map((story, index) => {
          const option = element(
            "li",
            { id: `${prefix}-option-${index}`, role: "option", "aria-selected": "false" },
            [
              element("span", { className: "story-dialog__headline", textContent: story.headline }),
              element("span", { className: "story-dialog__date", textContent: story.date_label }),
            ],
          )
          option.addEventListener("mousedown", (event) => event.preventDefault())
          option.addEventListener("click", () => finish({ story }))
          return option
        }),
      )
      search.setAttribute("aria-expanded", String(found.length > 0))
      show(-1)
      if (!found.length) {
        status.textContent = query ? "No published story has those words." : ""
      } else {
        const count = found.length === 1 ? "1 story" : `${found.length} stories`
        status.textContent = query
          ? `${count} found. Use the arrow keys and Enter to pick one.`
          : "The latest stories. Type words of a headline to search."
      }
    }

    const run = async () => {
      const query = search.value.trim()
      request?.abort()
      request = new AbortController()
      const url = new URL(storiesUrl(), window.location.href)
      url.searchParams.set("q", query)
      try {
        const response = await fetch(url, {
          signal: request.signal,
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
        if (response.status === 401) {
          render([], "")
          status.textContent = "You are logged out. Log in again in another tab, then search."
          return
        }
        if (!response.ok) {
          throw new Error(String(response.status))
        }
        render((await response.json()).results, query)
      } catch (error) {
        if (error.name !== "AbortError") {
          render([], "")
          status.textContent = "The stories can't be searched just now."
        }
      }
    }

    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(run, SEARCH_DELAY)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && results.length) {
        event.preventDefault()
        show((active + 1) % results.length)
      } else if (event.key === "ArrowUp" && results.length) {
        event.preventDefault()
        show(active <= 0 ? results.length - 1 : active - 1)
      } else if (event.key === "Enter") {
        event.preventDefault() // Enter in the search picks; it never submits an address.
        if (active >= 0) {
          finish({ story: results[active] })
        }
      }
    })
    // An address of one of our stories (pasted from the site) is linked by id, like a story
    // picked from the search, so that it follows the story's changes of address.
    const ourStory = async (typed) => {
      const url = new URL(typed, window.location.href)
      if (!searching || url.origin !== window.location.origin) {
        return null
      }
      const search = new URL(storiesUrl(), window.location.href)
      search.searchParams.set("q", url.pathname)
      try {
        const response = await fetch(search, { headers: { Accept: "application/json" } })
        const found = response.ok ? (await response.json()).results : []
        return found.length === 1 ? found[0] : null
      } catch {
        return null // Linked by its address, then.
      }
    }

    address?.addEventListener("input", () => address.setCustomValidity(""))
    submit.addEventListener("click", async (event) => {
      event.preventDefault()
      const typed = typedAddress(address.value)
      if (typed === null) {
        address.setCustomValidity("Type a web address (https://…) or a path on this site.")
        address.reportValidity()
        return
      }
      const story = typed ? await ourStory(typed) : null
      finish(story ? { story } : { href: typed })
    })
    cancel.addEventListener("click", () => finish(null))
    dialog.addEventListener("close", () => finish(null))

    editor.view.dom.parentElement.append(holder)
    dialog.showModal()
    if (searching) {
      search.focus()
      run()
    } else {
      address?.focus()
    }
  })

const linkAttrs = (choice) =>
  choice.story
    ? { href: choice.story.url, story: String(choice.story.id) }
    : { href: choice.href, story: null }

export const StoryLink = Link.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      story: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-story"),
        renderHTML: (attrs) => (attrs.story ? { "data-story": attrs.story } : {}),
      },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          const editing = editor.isActive("link")
          const attrs = editing ? editor.getAttributes("link") : {}
          storyDialog(editor, {
            title: editing ? "Edit link" : "Link",
            submitText: "Link to this address",
            allowAddress: true,
            href: attrs.story ? "" : attrs.href || "",
            current: attrs.story ? `Now links to our story at ${attrs.href}.` : "",
          }).then((choice) => {
            if (!choice) {
              return
            }
            const chain = editor.chain().focus()
            if (!choice.story && !choice.href) {
              chain.extendMarkRange("link").unsetLink().run() // An emptied address: no link.
              return
            }
            const link = linkAttrs(choice)
            if (editing) {
              chain.extendMarkRange("link").updateAttributes("link", link).run()
            } else if (editor.state.selection.empty) {
              // Nothing selected: the headline (or the address) becomes the link's words.
              const words = choice.story ? choice.story.headline : choice.href
              chain.insertContent({ type: "text", text: words, marks: [{ type: "link", attrs: link }] })
              chain.unsetMark("link").run()
            } else {
              chain.setMark("link", link).run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "link",
      groups: "link",
      command(editor) {
        editor.commands.addLink()
      },
      button: buttons.material("insert_link", "Link (our stories or an address)"),
      active: (editor) => editor.isActive("link"),
    })
    menu.defineItem({
      name: "unlink",
      groups: "link",
      command(editor) {
        editor.chain().focus().extendMarkRange("link").unsetLink().run()
      },
      button: buttons.material("link_off", "Remove link"),
      hidden: (editor) => !editor.isActive("link"),
    })
  },
})

export const StoryTable = Table.extend({
  addCommands() {
    return {
      ...this.parent?.(),
      insertTableWithOptions:
        () =>
        ({ commands }) =>
          commands.insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
    }
  },
})

const quoteWords = (element) =>
  [...element.querySelectorAll("p")].map((p) => p.textContent.trim()).join(" ") ||
  element.textContent.trim()

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "text*",
  marks: "",
  defining: true,

  parseHTML() {
    return [
      {
        tag: "aside.pull-quote",
        getContent: (node, schema) => {
          // A paragraph's content is a ProseMirror Fragment of the words alone.
          const words = quoteWords(node)
          return schema.nodes.paragraph.create(null, words ? schema.text(words) : null).content
        },
      },
    ]
  },

  renderHTML() {
    return ["aside", { class: "pull-quote" }, ["p", 0]]
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      command(editor) {
        if (editor.isActive("pullQuote")) {
          editor.chain().focus().setNode("paragraph").run()
        } else {
          editor.chain().focus().setNode("pullQuote").run()
        }
      },
      enabled: (editor) =>
        editor.isActive("pullQuote") || editor.can().setNode("pullQuote"),
      active: (editor) => editor.isActive("pullQuote"),
      button: buttons.material("record_voice_over", "Pull quote"),
    })
  },
})

export const RelatedStory = Node.create({
  name: "relatedStory",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      story: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-related"),
        renderHTML: (attrs) => ({ "data-related": attrs.story }),
      },
      href: {
        default: "",
        parseHTML: (node) => node.querySelector("a")?.getAttribute("href") || "",
        renderHTML: () => ({}),
      },
      headline: {
        default: "",
        parseHTML: (node) => node.textContent.trim(),
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "aside[data-related]" }]
  },

  renderHTML({ node, HTMLAttributes }) {
    return ["aside", HTMLAttributes, ["a", { href: node.attrs.href }, node.attrs.headline]]
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "relatedStory",
      groups: "nodes",
      command(editor) {
        storyDialog(editor, {
          title: "Read more: one of our stories",
          submitText: "Insert",
          allowAddress: false,
        }).then((choice) => {
          if (choice?.story) {
            const { id, url, headline } = choice.story
            editor
              .chain()
              .focus()
              .insertContent({
                type: "relatedStory",
                attrs: { story: String(id), href: url, headline },
              })
              .run()
          }
        })
      },
      enabled: () => Boolean(storiesUrl()),
      button: buttons.material("article", "Read more box"),
    })
  },
})
