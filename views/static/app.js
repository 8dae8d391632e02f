// Staff-side behaviour that htmx attributes can't express. No inline script anywhere (CSP).
;(function () {
  'use strict'
  var PLACEHOLDER = /\{\{\s*[^{}]*?\s*\}\}/g

  function composer() {
    return document.getElementById('composer')
  }

  function setField(form, name, value) {
    var input = form.querySelector('input[name="' + name + '"]')
    if (input) input.value = value
  }

  // Placeholders left in the text, skipping any `{{…}}` that is part of a name filled in (a
  // customer called "{{VIP}}"): the same rule as the server's unfilledPlaceholders.
  function unfilledIn(form, text) {
    var values = []
    try {
      values = JSON.parse(form.getAttribute('data-filled-values') || '[]')
    } catch (error) {
      values = []
    }
    var covered = []
    values.forEach(function (value) {
      if (!value) return
      for (var at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1))
        covered.push([at, at + value.length])
    })
    var found = []
    var match
    PLACEHOLDER.lastIndex = 0
    while ((match = PLACEHOLDER.exec(text))) {
      var start = match.index
      var end = start + match[0].length
      var inside = covered.some(function (range) {
        return range[0] <= start && end <= range[1]
      })
      if (!inside) found.push({ text: match[0], index: start })
    }
    PLACEHOLDER.lastIndex = 0
    return found
  }

  function showUnfilled(form) {
    var textarea = form.querySelector('textarea[name="body"]')
    var warning = form.querySelector('.unfilled-warning')
    if (!textarea || !warning) return
    var found = unfilledIn(form, textarea.value).map(function (match) {
      return match.text
    })
    if (found.length) {
      var unique = found.filter(function (v, i) {
        return found.indexOf(v) === i
      })
      warning.textContent = (warning.getAttribute('data-template') || '{fields}').replace(
        '{fields}',
        unique.join(' '),
      )
      warning.hidden = false
    } else {
      warning.hidden = true
    }
  }

  function fillComposer(form, text) {
    var textarea = form.querySelector('textarea[name="body"]')
    if (!textarea) return
    textarea.value = text
    textarea.focus()
    // Select the first unfilled placeholder so the member can type over it.
    var match = unfilledIn(form, text)[0]
    if (match) textarea.setSelectionRange(match.index, match.index + match.text.length)
    showUnfilled(form)
    // Let listeners that watch typing (the next contact preview) see the new text too.
    textarea.dispatchEvent(new Event('input', { bubbles: true }))
  }

  // The template editor's variable chips: the chip's {{…}} goes where the cursor was in this
  // form's body (at the end when the body was never focused), and the preview asks again.
  document.addEventListener('focusin', function (event) {
    var target = event.target
    if (target instanceof HTMLTextAreaElement) target.setAttribute('data-caret', '1')
  })
  function insertVariable(button) {
    var form = button.closest('form')
    var area = form && form.querySelector('textarea[name="body"]')
    if (!area) return
    var inserted = button.getAttribute('data-insert') || ''
    var known = area.hasAttribute('data-caret')
    var start = known ? area.selectionStart : area.value.length
    var end = known ? area.selectionEnd : area.value.length
    area.setRangeText(inserted, start, end, 'end')
    area.focus()
    area.dispatchEvent(new Event('input', { bubbles: true }))
  }

  // 社内メモ mode: the composer takes the note colour (CSS) and its field says what it is.
  function setInternalMode(form, on) {
    form.classList.toggle('is-internal', on)
    var textarea = form.querySelector('textarea[name="body"]')
    if (!textarea) return
    var text = textarea.getAttribute(on ? 'data-internal-placeholder' : 'data-placeholder')
    if (text) {
      textarea.setAttribute('placeholder', text)
      textarea.setAttribute('aria-label', text)
    }
  }

  // The customer's reply form: a random key per form, filled here (not in the markup, which
  // is the same for every render), so a double tap or a resend after a timeout posts once.
  // getRandomValues, not randomUUID: it works on plain http too.
  function fillSubmitKeys(root) {
    if (!root || !root.querySelectorAll) return
    var inputs = root.querySelectorAll('input[name="submit_key"]')
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].value) continue
      var bytes = new Uint8Array(16)
      crypto.getRandomValues(bytes)
      var key = ''
      for (var j = 0; j < bytes.length; j += 1) key += (bytes[j] + 256).toString(16).slice(1)
      inputs[i].value = key
    }
  }
  fillSubmitKeys(document)
  document.addEventListener('DOMContentLoaded', function () {
    fillSubmitKeys(document)
  })
  document.addEventListener('htmx:load', function (event) {
    fillSubmitKeys(event.target)
  })

  document.addEventListener('change', function (event) {
    var target = event.target
    if (target instanceof HTMLInputElement && target.name === 'internal') {
      var form = target.closest('#composer')
      if (form) setInternalMode(form, target.checked)
    }
  })

  // The phone menu: the header's links fold behind one button (CSS shows them when expanded).
  function setMenu(toggle, open) {
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false')
  }

  // The composer stays open while it holds anything unsent; empty and left, it folds back.
  function composerInUse(form) {
    var textarea = form.querySelector('textarea[name="body"]')
    var internal = form.querySelector('input[name="internal"]')
    var files = form.querySelector('.upload-list')
    return Boolean(
      (textarea && textarea.value.trim()) ||
      (internal && internal.checked) ||
      (files && files.children.length),
    )
  }

  document.addEventListener('focusin', function (event) {
    var form = event.target instanceof Element && event.target.closest('#composer')
    if (form) form.classList.remove('is-compact')
  })
  // A file dragged onto a compact composer opens it, so the drop zone is there to take it.
  document.addEventListener('dragenter', function (event) {
    var form = event.target instanceof Element && event.target.closest('#composer')
    if (form) form.classList.remove('is-compact')
  })
  document.addEventListener('focusout', function (event) {
    var form = event.target instanceof Element && event.target.closest('#composer')
    if (!form) return
    var next = event.relatedTarget
    if (next instanceof Node && form.contains(next)) return
    if (!composerInUse(form)) form.classList.add('is-compact')
  })

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return
    var open = document.querySelector('[data-menu-toggle][aria-expanded="true"]')
    if (open) {
      setMenu(open, false)
      open.focus()
    }
  })

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null
    if (!target) return
    var menuToggle = target.closest('[data-menu-toggle]')
    if (menuToggle) {
      setMenu(menuToggle, menuToggle.getAttribute('aria-expanded') !== 'true')
      return
    }
    var openMenu = document.querySelector('[data-menu-toggle][aria-expanded="true"]')
    if (openMenu && !target.closest('.topmenu')) setMenu(openMenu, false)
    var insertButton = target.closest('button[data-insert]')
    if (insertButton) {
      insertVariable(insertButton)
      return
    }
    var templateButton = target.closest('button[data-template-id]')
    if (templateButton) {
      var form = templateButton.closest('form')
      setField(form, 'template_id', templateButton.getAttribute('data-template-id'))
      setField(form, 'decides_no', '')
      fillComposer(form, templateButton.getAttribute('data-body') || '')
      return
    }
    var decideButton = target.closest('button[data-decide-no]')
    if (decideButton) {
      var c = composer()
      if (!c) return
      var no = decideButton.getAttribute('data-decide-no')
      // The server filled the template in one pass and cut it where the number goes.
      var parts = []
      try {
        parts = JSON.parse(c.getAttribute('data-decision-parts') || '[]')
      } catch (error) {
        parts = []
      }
      var body = parts.join(no)
      setField(c, 'template_id', c.getAttribute('data-decision-template-id') || '')
      setField(c, 'decides_no', no)
      var internal = c.querySelector('input[name="internal"]')
      if (internal) internal.checked = false
      setInternalMode(c, false)
      fillComposer(c, body)
      c.scrollIntoView({ behavior: 'smooth', block: 'end' })
      return
    }
    var copyButton = target.closest('button[data-copy]')
    if (copyButton) {
      var text = copyButton.getAttribute('data-copy') || ''
      // The Clipboard API needs a secure context; elsewhere copy from the selected field.
      var field =
        copyButton.getAttribute('data-copy-field') &&
        document.querySelector(copyButton.getAttribute('data-copy-field'))
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text)
      else if (field) {
        field.select()
        document.execCommand('copy')
      }
      var label = copyButton.textContent
      var copiedLabel = copyButton.getAttribute('data-copied')
      if (copiedLabel) copyButton.textContent = copiedLabel
      copyButton.classList.add('copied')
      setTimeout(function () {
        copyButton.classList.remove('copied')
        if (copiedLabel) copyButton.textContent = label
      }, 1500)
    }
  })

  document.addEventListener('input', function (event) {
    var target = event.target
    if (target instanceof HTMLTextAreaElement && target.closest('#composer'))
      showUnfilled(target.closest('form'))
  })

  // Refuse to send while a {{…}} is unfilled (the server refuses too; this saves a round trip).
  document.addEventListener(
    'submit',
    function (event) {
      var form = event.target
      if (!(form instanceof HTMLFormElement)) return
      var confirmText = form.getAttribute('data-confirm')
      if (confirmText && !window.confirm(confirmText)) {
        event.preventDefault()
        return
      }
      if (form.id === 'composer') {
        var textarea = form.querySelector('textarea[name="body"]')
        if (textarea && unfilledIn(form, textarea.value).length) {
          showUnfilled(form)
          event.preventDefault()
          event.stopImmediatePropagation()
        }
      }
    },
    true,
  )

  // A secret shown once (API key, webhook secret): one click selects all of it for copying.
  document.addEventListener('focusin', function (event) {
    var target = event.target
    if (target instanceof HTMLInputElement && target.hasAttribute('data-select-on-focus'))
      target.select()
  })

  // ---- The board page: open at the newest message, unread line, drafts, Ctrl/⌘+Enter ----

  function boardMain() {
    return document.querySelector('.board-main[data-draft-key]')
  }

  function readDraft(key) {
    try {
      return window.localStorage.getItem(key) || ''
    } catch (e) {
      return ''
    }
  }

  function writeDraft(key, text) {
    try {
      if (text.trim()) window.localStorage.setItem(key, text)
      else window.localStorage.removeItem(key)
    } catch (e) {
      // Storage full or blocked (private mode): the draft just isn't kept.
    }
  }

  // Messages past the member's read position get a line above the first of them; the page then
  // shows the newest message (or the first unread one, when more came than fit on the screen).
  function openAtNewest() {
    var main = boardMain()
    var thread = document.getElementById('thread')
    if (!main || !thread) return
    var readSeq = Number(main.getAttribute('data-read-seq') || '0')
    var messages = thread.querySelectorAll('.message[id^="m-"]')
    var firstUnread = null
    for (var i = 0; i < messages.length; i++) {
      if (Number(messages[i].id.slice(2)) > readSeq) {
        firstUnread = messages[i]
        break
      }
    }
    var marker = null
    if (firstUnread && !thread.querySelector('.unread-marker')) {
      marker = document.createElement('div')
      marker.className = 'unread-marker'
      marker.setAttribute('role', 'separator')
      var label = document.createElement('span')
      label.textContent = main.getAttribute('data-unread-label') || ''
      marker.appendChild(label)
      thread.insertBefore(marker, firstUnread)
    }
    var last = messages[messages.length - 1]
    if (!last) return
    last.scrollIntoView({ block: 'end' })
    if (marker && marker.getBoundingClientRect().top < 60) marker.scrollIntoView({ block: 'start' })
  }

  function restoreDraft() {
    var main = boardMain()
    var form = composer()
    if (!main || !form) return
    var textarea = form.querySelector('textarea[name="body"]')
    var draft = readDraft(main.getAttribute('data-draft-key'))
    if (!textarea || textarea.value || !draft) return
    textarea.value = draft
    form.classList.remove('is-compact')
    showUnfilled(form)
    textarea.dispatchEvent(new Event('input', { bubbles: true }))
  }

  var submitting = false

  document.addEventListener('DOMContentLoaded', function () {
    restoreDraft()
    openAtNewest()
  })

  document.addEventListener('input', function (event) {
    var target = event.target
    var main = boardMain()
    if (main && target instanceof HTMLTextAreaElement && target.closest('#composer'))
      writeDraft(main.getAttribute('data-draft-key'), target.value)
  })

  document.addEventListener('keydown', function (event) {
    var target = event.target
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.isComposing) return
    if (!(target instanceof HTMLTextAreaElement)) return
    var form = target.closest('#composer')
    if (!form) return
    event.preventDefault()
    if (typeof form.requestSubmit === 'function') form.requestSubmit()
    else form.querySelector('button[type="submit"]').click()
  })

  // A plain (non-htmx) post of the composer leaves the page on purpose: no question then. htmx
  // has already cancelled the browser's own submit by the time the event bubbles up here.
  document.addEventListener('submit', function (event) {
    var form = event.target
    if (form instanceof HTMLFormElement && form.id === 'composer' && !event.defaultPrevented)
      submitting = true
  })

  // The kept draft follows the composer through a send: cleared when it goes, put back from what
  // the server sends back (a refused post returns the form filled, a sent one returns it empty)
  // or from the form itself when no answer came.
  function keepComposerDraft() {
    var main = boardMain()
    var form = composer()
    var textarea = form && form.querySelector('textarea[name="body"]')
    if (main && textarea) writeDraft(main.getAttribute('data-draft-key'), textarea.value)
  }
  document.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail && event.detail.elt
    var main = boardMain()
    if (main && elt instanceof HTMLFormElement && elt.id === 'composer')
      writeDraft(main.getAttribute('data-draft-key'), '')
  })
  document.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail && event.detail.target
    if (target && target.id === 'composer') keepComposerDraft()
  })
  document.addEventListener('htmx:afterRequest', function (event) {
    var elt = event.detail && event.detail.elt
    if (elt instanceof HTMLFormElement && elt.id === 'composer' && !event.detail.successful)
      keepComposerDraft()
  })

  // Leaving with an unsent message asks first (the draft is kept anyway, in this browser).
  window.addEventListener('beforeunload', function (event) {
    var form = composer()
    var textarea = form && form.querySelector('textarea[name="body"]')
    if (submitting || !textarea || !textarea.value.trim()) return
    event.preventDefault()
    event.returnValue = ''
  })

  // The decision record's print view: its button opens the browser's print dialog.
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element && event.target.closest('[data-print]')
    if (button) window.print()
  })

  // 送信 always answers. A sent message comes back as a fresh composer saying so; a refused one
  // (422) comes back with its errors; anything else (offline, a 5xx, a proxy's page) is said
  // here, in the member's language, with the draft left in place.
  function showSendResult(form, text) {
    var box = form.querySelector('.send-result')
    if (!box) return
    box.textContent = text
    box.hidden = false
    box.classList.add('is-error')
    box.setAttribute('role', 'alert')
    form.classList.remove('is-compact')
    // A preview dropped while the send was in flight reads the kept text again.
    document.body.dispatchEvent(new Event('next-contact-refresh'))
  }
  document.addEventListener('htmx:responseError', function (event) {
    var elt = event.detail && event.detail.elt
    if (!(elt instanceof HTMLFormElement) || elt.id !== 'composer') return
    var status = event.detail.xhr ? event.detail.xhr.status : 0
    showSendResult(elt, (elt.getAttribute('data-send-failed') || '').replace('{status}', status))
  })
  document.addEventListener('htmx:sendError', function (event) {
    var elt = event.detail && event.detail.elt
    if (!(elt instanceof HTMLFormElement) || elt.id !== 'composer') return
    showSendResult(elt, elt.getAttribute('data-send-offline') || '')
  })
  // The "sent" line has done its job once the member writes the next message.
  document.addEventListener('input', function (event) {
    var target = event.target
    var form = target instanceof HTMLTextAreaElement && target.closest('#composer')
    var box = form && form.querySelector('.send-result')
    if (box && !box.hidden && !box.classList.contains('is-error')) box.hidden = true
  })

  // Keep the thread scrolled to the newest message after htmx appends to it.
  document.addEventListener('htmx:oobAfterSwap', function (event) {
    var target = event.detail && event.detail.target
    if (target && (target.id === 'thread' || target.id === 'guest-thread')) {
      var last = target.lastElementChild
      if (last) last.scrollIntoView({ behavior: 'smooth', block: 'nearest' })
    }
  })
  // Saved views (issue #17.5): on a phone the tabs scroll sideways; bring the open one into view
  // (on load, and when the tabs come back with their counts).
  function showOpenTab() {
    var current = document.querySelector('.view-tabs ul [aria-current="page"]')
    if (!current) return
    var list = current.closest('ul')
    var item = current.parentElement
    if (!list || !item) return
    var box = list.getBoundingClientRect()
    var tab = item.getBoundingClientRect()
    if (tab.right > box.right) list.scrollLeft += tab.left - box.left - (box.width - tab.width) / 2
  }
  document.addEventListener('DOMContentLoaded', showOpenTab)
  document.addEventListener('htmx:load', function (event) {
    var elt = event.detail && event.detail.elt
    if (elt && elt.id === 'view-tabs') showOpenTab()
  })
})()

// Mentions (issue #17): in note mode (社内メモ), typing @ in the composer offers the workspace's
// members, found by name, reading (フリガナ) or email; arrow keys move, Enter or Tab picks,
// Escape closes; a click picks too. The textarea points at the list with aria-controls and
// aria-activedescendant, and a status line says how many match.
;(function () {
  'use strict'
  var state = null // { textarea, at, matches, active }
  var picking = false

  function fold(text) {
    // NFKC (full-width ＡＢＣ = ABC, ｶﾀｶﾅ = カタカナ), lower case, katakana as hiragana
    return String(text || '')
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u30a1-\u30f6]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0x60)
      })
      .replace(/\s+/g, '')
  }

  function pickerOf(textarea) {
    var form = textarea.closest('#composer')
    return form ? form.querySelector('.mention-picker') : null
  }

  function membersOf(picker) {
    if (!picker._members) {
      try {
        picker._members = JSON.parse(picker.getAttribute('data-mention-members') || '[]')
      } catch (e) {
        picker._members = []
      }
    }
    return picker._members
  }

  function queryAt(textarea) {
    var form = textarea.closest('#composer')
    if (!form || !form.classList.contains('is-internal')) return null
    var upto = textarea.value.slice(0, textarea.selectionStart)
    var at = upto.lastIndexOf('@')
    if (at < 0) return null
    // an @ inside a word (an email address being typed) opens nothing
    if (at > 0 && /[A-Za-z0-9._%+-]/.test(upto.charAt(at - 1))) return null
    var query = upto.slice(at + 1)
    if (query.length > 40 || query.indexOf('\n') >= 0) return null
    return { at: at, query: query }
  }

  function close() {
    if (!state) return
    var picker = pickerOf(state.textarea)
    if (picker) {
      var list = picker.querySelector('[role="listbox"]')
      list.hidden = true
      list.textContent = ''
    }
    state.textarea.removeAttribute('aria-activedescendant')
    state = null
  }

  function render() {
    var picker = pickerOf(state.textarea)
    var list = picker.querySelector('[role="listbox"]')
    list.textContent = ''
    state.matches.forEach(function (member, i) {
      var option = document.createElement('li')
      option.id = 'mention-option-' + i
      option.setAttribute('role', 'option')
      option.setAttribute('aria-selected', i === state.active ? 'true' : 'false')
      option.setAttribute('data-index', String(i))
      var name = document.createElement('span')
      name.className = 'mention-name'
      name.textContent = member.name
      option.appendChild(name)
      var detail = document.createElement('span')
      detail.className = 'mention-detail'
      detail.textContent = (member.kana ? member.kana + ' · ' : '') + member.email
      option.appendChild(detail)
      list.appendChild(option)
    })
    list.hidden = false
    state.textarea.setAttribute('aria-activedescendant', 'mention-option-' + state.active)
    var active = list.children[state.active]
    if (active && active.scrollIntoView) active.scrollIntoView({ block: 'nearest' })
  }

  function update(textarea) {
    var picker = pickerOf(textarea)
    var found = picker && queryAt(textarea)
    if (!found) return close()
    var q = fold(found.query)
    var matches = membersOf(picker).filter(function (member) {
      return (
        !q ||
        fold(member.name).indexOf(q) >= 0 ||
        fold(member.kana).indexOf(q) >= 0 ||
        fold(member.email).indexOf(q) === 0
      )
    })
    var status = picker.querySelector('[role="status"]')
    if (matches.length === 0) {
      close()
      if (status) status.textContent = ''
      return
    }
    state = { textarea: textarea, at: found.at, matches: matches.slice(0, 8), active: 0 }
    textarea.setAttribute('aria-controls', 'mention-options')
    textarea.setAttribute('aria-autocomplete', 'list')
    render()
    if (status)
      status.textContent = (picker.getAttribute('data-count-template') || '').replace(
        '{count}',
        String(state.matches.length),
      )
  }

  function pick(index) {
    var member = state && state.matches[index]
    if (!member) return
    var textarea = state.textarea
    var caret = textarea.selectionStart
    var insert = '@' + member.name + ' '
    textarea.value = textarea.value.slice(0, state.at) + insert + textarea.value.slice(caret)
    var position = state.at + insert.length
    close()
    textarea.focus()
    textarea.setSelectionRange(position, position)
    // drafts and the composer's other listeners see the change (the list stays closed)
    picking = true
    try {
      textarea.dispatchEvent(new Event('input', { bubbles: true }))
    } finally {
      picking = false
    }
  }

  document.addEventListener('input', function (event) {
    var target = event.target
    if (picking) return
    if (target instanceof HTMLTextAreaElement && target.closest('#composer')) update(target)
  })
  document.addEventListener('click', function (event) {
    var target = event.target
    if (target instanceof HTMLTextAreaElement && target.closest('#composer')) update(target)
  })
  document.addEventListener(
    'keydown',
    function (event) {
      if (!state || event.target !== state.textarea || event.isComposing) return
      var count = state.matches.length
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        state.active = (state.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count
        render()
      } else if (
        (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) ||
        event.key === 'Tab'
      ) {
        event.preventDefault()
        event.stopPropagation()
        pick(state.active)
      } else if (event.key === 'Escape') {
        event.preventDefault()
        event.stopPropagation()
        close()
      }
    },
    true,
  )
  document.addEventListener('mousedown', function (event) {
    var target =
      event.target instanceof Element ? event.target.closest('#mention-options li') : null
    if (!target || !state) return
    event.preventDefault() // keep the focus in the textarea
    pick(Number(target.getAttribute('data-index')))
  })
  document.addEventListener('focusout', function (event) {
    if (state && event.target === state.textarea) close()
  })
})()
