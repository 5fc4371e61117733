/*
 * "Copy link" on the story page (#16). The button is in the page but hidden: it is shown only
 * where the browser lets a page copy text (navigator.clipboard), so a reader without
 * JavaScript, or with an older browser, never sees a button that does nothing. The result is
 * said in the share block's status line (an aria-live region), for everyone. No inline code:
 * an external file only, under the page's Content-Security-Policy.
 */
;(() => {
  const CLEAR_AFTER = 5000

  if (!navigator.clipboard || typeof navigator.clipboard.writeText !== "function") {
    return
  }

  for (const button of document.querySelectorAll("[data-share-url]")) {
    const share = button.closest(".share")
    const status = share && share.querySelector(".share__status")
    const item = button.closest("[hidden]")
    if (item) {
      item.hidden = false
    }
    let timer
    button.addEventListener("click", async () => {
      let message
      try {
        await navigator.clipboard.writeText(button.dataset.shareUrl)
        message = "Link copied"
      } catch {
        message = "Couldn’t copy the link: copy it from the address bar."
      }
      if (status) {
        status.textContent = message
        clearTimeout(timer)
        timer = setTimeout(() => {
          status.textContent = ""
        }, CLEAR_AFTER)
      }
    })
  }
})()
