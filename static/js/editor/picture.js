/*
 * Pictures from the library inside a story's body (#14).
 *
 * Stored as `<figure data-image="42"><img src="…" alt="…"><figcaption>Caption for this
 * use</figcaption></figure>` (articles/body.py); the img is only this editor's preview, readers
 * get the library picture's renditions, alt text and credit. The caption is typed in place.
 *
 * A picture comes in three ways, all through the library's own dialog and validation
 * (static/js/image-chooser.js, `window.NewsroomImages`), which asks for alt text unless the
 * picture is marked decorative: the toolbar's picture button (choose or upload), a file
 * dropped onto the body, or a file pasted into it.
 *
 * A picture just uploaded has no thumbnail until its renditions are made (#15): the figure
 * says "Picture processing…" (data-processing, css/image-chooser.css) and its preview is
 * filled in once static/js/picture-status.js says the picture is ready.
 *
 * An ES module loaded by the editor (DJANGO_PROSE_EDITOR_EXTENSIONS in settings); its exports
 * become extensions by name.
 */
import { Node, Plugin } from "django-prose-editor/editor"

const chooser = () => window.NewsroomImages
const statusUrl = () => document.querySelector("[data-status-url]")?.dataset.statusUrl

const pictureNode = (picture) => ({
  type: "picture",
  attrs: {
    image: String(picture.id),
    src: picture.thumbnail_url || picture.thumbnail || picture.url || "",
    alt: picture.is_decorative ? "" : picture.alt || "",
  },
  content: picture.caption ? [{ type: "text", text: picture.caption }] : [],
})

const imageFiles = (transfer) =>
  [...(transfer?.files || [])].filter((file) => file.type.startsWith("image/"))

const uploadInto = (editor, files, position) => {
  const api = chooser()
  if (!api) {
    return false
  }
  ;(async () => {
    let at = position
    for (const file of files) {
      const picture = await api.upload(file, { purpose: "body" }).catch(() => null)
      if (!picture) {
        continue // Cancelled, or refused with the reason shown in the dialog.
      }
      const node = pictureNode(picture)
      if (at === null || at > editor.state.doc.content.size) {
        editor.chain().focus().insertContent(node).run()
      } else {
        editor.chain().focus().insertContentAt(at, node).run()
        at = null
      }
    }
  })()
  return true
}

export const Picture = Node.create({
  name: "picture",
  group: "block",
  content: "text*",
  marks: "bold italic link",
  draggable: true,
  isolating: true,
  defining: true,

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
        renderHTML: (attrs) => ({ "data-image": attrs.image }),
      },
      src: {
        default: "",
        parseHTML: (element) => element.querySelector("img")?.getAttribute("src") || "",
        renderHTML: () => ({}),
      },
      alt: {
        default: "",
        parseHTML: (element) => element.querySelector("img")?.getAttribute("alt") || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    // A picture stored without a caption has no figcaption (articles/text.py drops an empty
    // one): an empty one stands in, or the editor would fail to start on such a body.
    return [
      {
        tag: "figure[data-image]",
        contentElement: (figure) =>
          figure.querySelector("figcaption") || document.createElement("figcaption"),
      },
    ]
  },

  renderHTML({ node, HTMLAttributes }) {
    const processing = node.attrs.image && !node.attrs.src ? { "data-processing": "" } : {}
    return [
      "figure",
      { ...HTMLAttributes, ...processing },
      ["img", { src: node.attrs.src, alt: node.attrs.alt }],
      ["figcaption", 0],
    ]
  },

  addCommands() {
    return {
      insertPicture:
        (picture) =>
        ({ commands }) =>
          commands.insertContent(pictureNode(picture)),
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "picture",
      groups: "nodes",
      command(editor) {
        const api = chooser()
        if (!api) {
          return
        }
        api.choose({ purpose: "body" }).then((picture) => {
          if (picture) {
            editor.chain().focus().insertPicture(picture).run()
          }
        })
      },
      enabled: () => Boolean(chooser()),
      button: buttons.material("add_photo_alternate", "Insert a picture"),
    })
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    // Pictures without a preview (processing, #15): asked about once each, and their figures
    // given the thumbnail when it exists.
    const asked = new Set()
    const fillIn = (view) => {
      const url = statusUrl()
      if (!url || !window.NewsroomPictureStatus) {
        return
      }
      view.state.doc.descendants((node) => {
        const id = node.type.name === "picture" && !node.attrs.src ? node.attrs.image : null
        if (id && !asked.has(id)) {
          asked.add(id)
          window.NewsroomPictureStatus.watch(id, url).then((picture) => {
            asked.delete(id)
            if (!picture.thumbnail) {
              return
            }
            const { tr } = editor.state
            editor.state.doc.descendants((found, pos) => {
              if (found.type.name === "picture" && found.attrs.image === id && !found.attrs.src) {
                tr.setNodeMarkup(pos, undefined, { ...found.attrs, src: picture.thumbnail })
              }
            })
            if (tr.docChanged) {
              editor.view.dispatch(tr)
            }
          })
        }
      })
    }
    return [
      new Plugin({
        view(view) {
          fillIn(view)
          return { update: fillIn }
        },
      }),
      new Plugin({
        props: {
          handleDrop(view, event) {
            const files = imageFiles(event.dataTransfer)
            if (!files.length) {
              return false
            }
            event.preventDefault()
            const spot = view.posAtCoords({ left: event.clientX, top: event.clientY })
            return uploadInto(editor, files, spot ? spot.pos : null)
          },
          handlePaste(view, event) {
            const clipboard = event.clipboardData
            const files = imageFiles(clipboard)
            // Word and some browsers add a picture of copied text beside the text itself:
            // only a clipboard holding nothing but a picture is one.
            if (!files.length || clipboard.getData("text/html") || clipboard.getData("text/plain")) {
              return false
            }
            event.preventDefault()
            return uploadInto(editor, files, null)
          },
        },
      }),
    ]
  },
})
