// File attachments in the composers (staff and customer): drag and drop or pick several files,
// upload each in parts (resumable), show progress with speed and time left, cancel, resume, and
// hold the send button until every file is finished. No inline script or style (CSP).
//
// A line that stops moving is said to be stalled (no frozen speed), and its parts are sent again
// after a while. Every message is in the page's language (the zone's data-i18n). An upload
// still open when the page goes away is kept in localStorage (its id and the file's name, size
// and lastModified): after a reload the composer offers it, and picking the same file again
// sends only the parts the server does not hold yet.
;(function () {
  'use strict'

  var PARALLEL_PARTS = 3
  var RETRIES = 4
  var DEFAULT_STALL_SECONDS = 15
  var uploadsByForm = new WeakMap()

  function say(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole
    })
  }

  // ---- Unfinished uploads kept across a reload, per upload URL (one board, one side) ----

  function storageKey(zone) {
    return 'orderboard:uploads:' + zone.getAttribute('data-upload-url')
  }

  function readKept(zone) {
    try {
      var list = JSON.parse(window.localStorage.getItem(storageKey(zone)) || '[]')
      return Array.isArray(list) ? list : []
    } catch (error) {
      return []
    }
  }

  function writeKept(zone, list) {
    try {
      if (list.length) window.localStorage.setItem(storageKey(zone), JSON.stringify(list))
      else window.localStorage.removeItem(storageKey(zone))
    } catch (error) {
      // Storage full or blocked (private mode): this upload just can't be resumed after a reload.
    }
  }

  function keep(zone, entry) {
    var list = readKept(zone).filter(function (kept) {
      return kept.id !== entry.id
    })
    list.push(entry)
    writeKept(zone, list.slice(-20))
  }

  function forget(zone, uploadId) {
    writeKept(
      zone,
      readKept(zone).filter(function (kept) {
        return kept.id !== uploadId
      }),
    )
  }

  /** The same file: name, size and last-modified time all agree. */
  function sameFile(entry, file) {
    return (
      entry.name === file.name &&
      entry.size === file.size &&
      entry.lastModified === file.lastModified
    )
  }

  function formatBytes(bytes) {
    var units = ['B', 'KB', 'MB', 'GB']
    var value = bytes
    var unit = 0
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024
      unit += 1
    }
    if (unit === 0) return bytes + ' B'
    return (value < 100 ? Math.round(value * 10) / 10 : Math.round(value)) + ' ' + units[unit]
  }

  function formatDuration(seconds, ja) {
    seconds = Math.max(1, Math.round(seconds))
    var h = Math.floor(seconds / 3600)
    var m = Math.floor((seconds % 3600) / 60)
    var s = seconds % 60
    if (ja) return (h ? h + '時間' : '') + (h || m ? m + '分' : '') + (h ? '' : s + '秒')
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (h ? '' : s + 's')
  }

  function zoneOf(form) {
    return form ? form.querySelector('.upload-zone') : null
  }

  function textsOf(zone) {
    try {
      return JSON.parse(zone.getAttribute('data-i18n') || '{}')
    } catch (error) {
      return {}
    }
  }

  function csrfOf(form) {
    var field = form.querySelector('input[name="_csrf"]')
    return field ? field.value : ''
  }

  function uploadsOf(form) {
    var list = uploadsByForm.get(form)
    if (!list) {
      list = []
      uploadsByForm.set(form, list)
    }
    return list
  }

  /** Every file finished (or none at all): the form may be sent. */
  function refreshSendState(form) {
    var zone = zoneOf(form)
    if (!zone) return
    var pending = uploadsOf(form).some(function (upload) {
      return upload.state !== 'done' && upload.state !== 'cancelled'
    })
    form.classList.toggle('uploads-pending', pending)
    form.querySelectorAll('button[type="submit"]').forEach(function (button) {
      button.disabled = pending
    })
    var wait = zone.querySelector('.upload-wait')
    if (wait) wait.hidden = !pending
    var ids = uploadsOf(form)
      .filter(function (upload) {
        return upload.state === 'done' && upload.attachmentId
      })
      .map(function (upload) {
        return upload.attachmentId
      })
    var input = zone.querySelector('input[name="attachment_ids"]')
    if (input) input.value = ids.join(',')
  }

  function request(method, url, csrf, body, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest()
      xhr.open(method, url)
      xhr.setRequestHeader('X-CSRF-Token', csrf)
      xhr.setRequestHeader('Accept', 'application/json')
      if (typeof body === 'string') xhr.setRequestHeader('Content-Type', 'application/json')
      else if (body) xhr.setRequestHeader('Content-Type', 'application/octet-stream')
      if (onProgress && xhr.upload) {
        xhr.upload.onprogress = function (event) {
          onProgress(event.loaded)
        }
      }
      xhr.onload = function () {
        var data = null
        try {
          data = xhr.responseText ? JSON.parse(xhr.responseText) : null
        } catch (error) {
          data = null
        }
        resolve({ status: xhr.status, data: data })
      }
      xhr.onerror = function () {
        reject(new Error('network'))
      }
      xhr.onabort = function () {
        reject(new Error('aborted'))
      }
      xhr.send(body || null)
      if (request.track) request.track(xhr)
    })
  }

  /**
   * What went wrong, in the page's language: the server's own message (already in the member's
   * or the customer's language), else the status for a page a proxy or a crash answered.
   */
  function errorMessage(response, texts) {
    var message = response && response.data && response.data.error && response.data.error.message
    if (message) return message
    var status = response ? response.status : 0
    if (!status) return texts.network || texts.failed || ''
    return say(texts.serverError, { status: status }) || texts.failed || ''
  }

  function Upload(form, file) {
    this.form = form
    this.zone = zoneOf(form)
    this.texts = textsOf(this.zone)
    this.file = file
    this.state = 'waiting'
    this.xhrs = []
    this.partXhrs = {} // part number → its request in flight
    this.done = 0 // bytes of finished parts
    this.inFlight = {} // part number → bytes sent so far
    this.samples = []
    this.speed = 0
    this.lastMovedAt = Date.now()
    this.stalled = false
    this.stallSeconds =
      Number(this.zone.getAttribute('data-stall-seconds')) || DEFAULT_STALL_SECONDS
    this.render()
  }

  Upload.prototype.render = function () {
    var row = document.createElement('li')
    row.className = 'upload-item'
    var name = document.createElement('span')
    name.className = 'upload-name'
    name.textContent = this.file.name
    var size = document.createElement('span')
    size.className = 'upload-size'
    size.textContent = formatBytes(this.file.size)
    var bar = document.createElement('progress')
    bar.className = 'upload-progress'
    bar.max = 1000
    bar.value = 0
    var status = document.createElement('span')
    status.className = 'upload-status'
    status.textContent = this.texts.waiting || ''
    var actions = document.createElement('span')
    actions.className = 'upload-actions'
    var self = this
    var retry = button('upload-retry', this.texts.retry, function () {
      self.resume()
    })
    var cancel = button('upload-cancel', this.texts.cancel, function () {
      self.cancel()
    })
    var remove = button('upload-remove', this.texts.remove, function () {
      self.cancel()
    })
    retry.hidden = true
    remove.hidden = true
    actions.appendChild(retry)
    actions.appendChild(cancel)
    actions.appendChild(remove)
    row.appendChild(name)
    row.appendChild(size)
    row.appendChild(bar)
    row.appendChild(status)
    row.appendChild(actions)
    this.row = row
    this.bar = bar
    this.status = status
    this.buttons = { retry: retry, cancel: cancel, remove: remove }
    this.zone.querySelector('.upload-list').appendChild(row)
  }

  function button(className, label, onClick) {
    var element = document.createElement('button')
    element.type = 'button'
    element.className = 'small ' + className
    element.textContent = label || ''
    element.addEventListener('click', onClick)
    return element
  }

  Upload.prototype.setState = function (state, message) {
    this.state = state
    this.row.setAttribute('data-state', state)
    this.buttons.retry.hidden = state !== 'failed'
    this.buttons.cancel.hidden = state === 'done'
    this.buttons.remove.hidden = state !== 'done'
    if (message !== undefined) this.status.textContent = message
    if (state === 'uploading') this.watch()
    else this.unwatch()
    if (state !== 'uploading') this.setStalled(false)
    refreshSendState(this.form)
  }

  /** Bytes moved (a part's progress or a part finished): the line is alive. */
  Upload.prototype.moved = function () {
    this.lastMovedAt = Date.now()
    if (this.stalled) {
      this.setStalled(false)
      this.samples = []
    }
  }

  Upload.prototype.setStalled = function (stalled) {
    this.stalled = stalled
    if (stalled) this.row.setAttribute('data-stalled', 'true')
    else this.row.removeAttribute('data-stalled')
    // While stalled the member may also resume at once instead of waiting for the retry.
    this.buttons.retry.hidden = !(stalled || this.state === 'failed')
  }

  /**
   * Once a second while uploading: after `stallSeconds` without a byte moving, say so (the
   * speed would only freeze); after three times as long, drop the parts in flight so they are
   * sent again on a fresh connection (each counts as one of the part's retries).
   */
  Upload.prototype.watch = function () {
    var self = this
    if (this.timer) return
    this.lastMovedAt = Date.now()
    this.timer = setInterval(function () {
      if (self.state !== 'uploading') return self.unwatch()
      var idle = (Date.now() - self.lastMovedAt) / 1000
      if (idle < self.stallSeconds) return
      self.setStalled(true)
      self.speed = 0
      self.status.textContent = say(self.texts.stalled, { seconds: Math.floor(idle) })
      if (idle >= self.stallSeconds * 3) {
        self.lastMovedAt = Date.now()
        for (var n in self.partXhrs) self.partXhrs[n].abort()
      }
    }, 1000)
  }

  Upload.prototype.unwatch = function () {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  Upload.prototype.sent = function () {
    var total = this.done
    for (var key in this.inFlight) total += this.inFlight[key]
    return Math.min(total, this.file.size)
  }

  /** Progress bar, bytes, speed (moving window of ~5 s) and time left. */
  Upload.prototype.progress = function () {
    if (this.stalled) return
    var now = Date.now()
    var sent = this.sent()
    this.samples.push([now, sent])
    while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift()
    var first = this.samples[0]
    var seconds = (now - first[0]) / 1000
    if (seconds > 0.3) this.speed = (sent - first[1]) / seconds
    this.bar.value = this.file.size ? Math.round((sent / this.file.size) * 1000) : 1000
    var ja = (document.documentElement.lang || 'ja') === 'ja'
    var text = formatBytes(sent) + ' / ' + formatBytes(this.file.size)
    if (this.speed > 0) {
      var left = (this.file.size - sent) / this.speed
      text += ' · ' + formatBytes(this.speed) + '/s'
      text += ja
        ? ' · ' + (this.texts.left || '残り') + ' ' + formatDuration(left, true)
        : ' · ' + formatDuration(left, false) + ' ' + (this.texts.left || 'left')
    }
    this.status.textContent = text
  }

  Upload.prototype.track = function (xhr) {
    this.xhrs.push(xhr)
  }

  Upload.prototype.call = function (method, url, body, onProgress) {
    var self = this
    request.track = function (xhr) {
      self.track(xhr)
    }
    var promise = request(method, url, csrfOf(this.form), body, onProgress)
    request.track = null
    return promise
  }

  Upload.prototype.start = function () {
    var self = this
    var max = Number(this.zone.getAttribute('data-max-bytes'))
    if (max && this.file.size > max) {
      this.setState('failed', this.texts.tooLarge)
      this.buttons.retry.hidden = true
      return
    }
    this.setState('uploading', '')
    var base = this.zone.getAttribute('data-upload-url')
    this.base = base
    this.call(
      'POST',
      base,
      JSON.stringify({ name: this.file.name, size: this.file.size, type: this.file.type || '' }),
    )
      .then(function (response) {
        if (response.status !== 201)
          throw { fatal: response.status < 500, message: errorMessage(response, self.texts) }
        self.uploadId = response.data.upload_id
        self.partSize = response.data.part_size
        self.parts = response.data.parts
        keep(self.zone, {
          id: self.uploadId,
          name: self.file.name,
          size: self.file.size,
          lastModified: self.file.lastModified,
          at: Date.now(),
        })
        return self.sendMissing([])
      })
      .catch(function (error) {
        self.fail(error)
      })
  }

  /** Sends every part the server does not hold yet, a few at a time. */
  Upload.prototype.sendMissing = function (stored) {
    var self = this
    var have = {}
    this.done = 0
    stored.forEach(function (part) {
      have[part.part_number] = true
      self.done += part.size
    })
    var queue = []
    for (var n = 1; n <= this.parts; n++) if (!have[n]) queue.push(n)
    this.samples = []
    this.progress()
    function worker() {
      if (self.state !== 'uploading') return Promise.resolve()
      var next = queue.shift()
      if (next === undefined) return Promise.resolve()
      return self.sendPart(next, 0).then(worker)
    }
    var workers = []
    for (var i = 0; i < PARALLEL_PARTS; i++) workers.push(worker())
    return Promise.all(workers).then(function () {
      if (self.state !== 'uploading') return
      return self.complete()
    })
  }

  Upload.prototype.sendPart = function (n, attempt) {
    var self = this
    var start = (n - 1) * this.partSize
    var blob = this.file.slice(start, Math.min(this.file.size, start + this.partSize))
    this.inFlight[n] = 0
    var promise = this.call(
      'PUT',
      this.base + '/' + this.uploadId + '/parts/' + n,
      blob,
      function (loaded) {
        if (loaded > (self.inFlight[n] || 0)) self.moved()
        self.inFlight[n] = loaded
        self.progress()
      },
    )
    this.partXhrs[n] = this.xhrs[this.xhrs.length - 1]
    return promise
      .then(function (response) {
        delete self.inFlight[n]
        delete self.partXhrs[n]
        if (response.status === 200) {
          self.done += blob.size
          self.moved()
          self.progress()
          return
        }
        var retriable =
          response.status >= 500 ||
          response.status === 408 ||
          response.status === 429 ||
          response.status === 0
        if (!retriable) throw { fatal: true, message: errorMessage(response, self.texts) }
        throw { message: errorMessage(response, self.texts) }
      })
      .catch(function (error) {
        delete self.inFlight[n]
        delete self.partXhrs[n]
        if (self.state !== 'uploading' || (error && error.fatal) || attempt >= RETRIES) throw error
        // A dropped connection: wait a little longer each time, then send the part again.
        return new Promise(function (resolve) {
          setTimeout(resolve, 1000 * Math.pow(2, attempt))
        }).then(function () {
          return self.sendPart(n, attempt + 1)
        })
      })
  }

  Upload.prototype.complete = function () {
    var self = this
    return this.call('POST', this.base + '/' + this.uploadId + '/complete', '{}').then(
      function (response) {
        if (response.status !== 200) throw { message: errorMessage(response, self.texts) }
        self.finished(response.data.attachment_id)
      },
    )
  }

  Upload.prototype.finished = function (attachmentId) {
    this.attachmentId = attachmentId
    this.bar.value = 1000
    forget(this.zone, this.uploadId)
    this.setState('done', formatBytes(this.file.size) + ' · ' + (this.texts.done || ''))
  }

  Upload.prototype.fail = function (error) {
    if (this.state === 'cancelled') return
    this.xhrs.forEach(function (xhr) {
      xhr.abort()
    })
    this.xhrs = []
    this.partXhrs = {}
    // A dropped connection or an aborted request says so in the page's language, never the
    // browser's word for it ("network", "aborted").
    var message =
      error && error.message && error.message !== 'aborted' && error.message !== 'network'
        ? error.message
        : this.texts.network || this.texts.failed || ''
    this.setState('failed', message)
    if (!this.uploadId) this.buttons.retry.hidden = !(error && !error.fatal)
  }

  /**
   * Resume after a failure, a stall or a reload: ask the server which parts it holds and send
   * the rest. An upload the server no longer has (expired, cancelled elsewhere) starts over.
   */
  Upload.prototype.resume = function (note) {
    var self = this
    if (!this.uploadId) return this.start()
    this.xhrs.forEach(function (xhr) {
      xhr.abort()
    })
    this.xhrs = []
    this.partXhrs = {}
    this.inFlight = {}
    this.base = this.zone.getAttribute('data-upload-url')
    this.setState('uploading', '')
    this.call('GET', this.base + '/' + this.uploadId)
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          forget(self.zone, self.uploadId)
          self.uploadId = null
          return self.start()
        }
        if (response.status !== 200)
          throw { fatal: response.status < 500, message: errorMessage(response, self.texts) }
        if (response.data.attachment_id) return self.finished(response.data.attachment_id)
        self.partSize = response.data.part_size
        self.parts = response.data.parts
        var stored = response.data.stored || []
        var promise = self.sendMissing(stored)
        if (note && stored.length) {
          var sent = stored.reduce(function (sum, part) {
            return sum + part.size
          }, 0)
          self.status.textContent = say(self.texts.resumed, { sent: formatBytes(sent) })
        }
        return promise
      })
      .catch(function (error) {
        self.fail(error)
      })
  }

  Upload.prototype.cancel = function () {
    var previous = this.state
    this.state = 'cancelled'
    this.unwatch()
    this.xhrs.forEach(function (xhr) {
      xhr.abort()
    })
    this.xhrs = []
    if (this.uploadId) forget(this.zone, this.uploadId)
    if (this.uploadId && previous !== 'cancelled') {
      request('DELETE', this.base + '/' + this.uploadId, csrfOf(this.form)).catch(function () {})
    }
    this.row.remove()
    var list = uploadsOf(this.form)
    var index = list.indexOf(this)
    if (index >= 0) list.splice(index, 1)
    refreshSendState(this.form)
  }

  function addFiles(form, files) {
    var zone = zoneOf(form)
    for (var i = 0; i < files.length; i++) {
      var file = files[i]
      var upload = new Upload(form, file)
      uploadsOf(form).push(upload)
      // The same file as an upload cut short before a reload: carry on from its stored parts.
      var kept = null
      readKept(zone).forEach(function (entry) {
        if (!kept && sameFile(entry, file) && offeredIn(zone, entry.id)) kept = entry
      })
      if (kept) {
        var row = zone.querySelector('.upload-offer[data-upload-id="' + kept.id + '"]')
        if (row) row.remove()
        upload.uploadId = kept.id
        upload.resume(true)
      } else upload.start()
    }
    refreshSendState(form)
  }

  function offeredIn(zone, uploadId) {
    var rows = zone.querySelectorAll('.upload-offer')
    for (var i = 0; i < rows.length; i++)
      if (rows[i].getAttribute('data-upload-id') === uploadId) return true
    return false
  }

  /**
   * After a reload: each kept upload the server still holds open is offered, with what is
   * already there; picking the same file resumes it, 破棄 / Discard cancels it on the server.
   */
  function offerKept(form) {
    var zone = zoneOf(form)
    if (!zone || zone.hasAttribute('data-offers-checked')) return
    zone.setAttribute('data-offers-checked', '1')
    var texts = textsOf(zone)
    var base = zone.getAttribute('data-upload-url')
    readKept(zone).forEach(function (entry) {
      request('GET', base + '/' + entry.id, csrfOf(form))
        .then(function (response) {
          if (response.status === 404 || response.status === 410) return forget(zone, entry.id)
          if (response.status !== 200 || response.data.attachment_id) {
            // Finished before the reload (the file waits for a message) or unknown: let it go.
            if (response.status === 200) forget(zone, entry.id)
            return
          }
          if (response.data.status !== 'open' || offeredIn(zone, entry.id)) return
          var sent = (response.data.stored || []).reduce(function (sum, part) {
            return sum + part.size
          }, 0)
          showOffer(form, zone, texts, entry, sent)
        })
        .catch(function () {})
    })
  }

  function showOffer(form, zone, texts, entry, sent) {
    var row = document.createElement('li')
    row.className = 'upload-item upload-offer'
    row.setAttribute('data-upload-id', entry.id)
    var text = document.createElement('span')
    text.className = 'upload-offer-text'
    text.textContent = say(texts.resumeOffer, {
      name: entry.name,
      sent: formatBytes(sent),
      size: formatBytes(entry.size),
    })
    var actions = document.createElement('span')
    actions.className = 'upload-actions'
    var choose = button('upload-resume-choose', texts.resumeChoose, function () {
      var input = zone.querySelector('input.upload-input')
      if (input) input.click()
    })
    var discard = button('upload-discard', texts.resumeDiscard, function () {
      forget(zone, entry.id)
      row.remove()
      request('DELETE', zone.getAttribute('data-upload-url') + '/' + entry.id, csrfOf(form)).catch(
        function () {},
      )
    })
    actions.appendChild(choose)
    actions.appendChild(discard)
    row.appendChild(text)
    row.appendChild(actions)
    zone.querySelector('.upload-list').appendChild(row)
  }

  function offerAll(root) {
    if (!root || !root.querySelectorAll) return
    var zones = root.querySelectorAll('.upload-zone')
    for (var i = 0; i < zones.length; i++) {
      var form = zones[i].closest('form')
      if (form) offerKept(form)
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    offerAll(document)
  })
  // A composer swapped in by htmx (after a send) offers what is still kept.
  document.addEventListener('htmx:load', function (event) {
    offerAll(event.target)
  })

  function formWithZone(target) {
    var form = target && target.closest ? target.closest('form') : null
    return form && zoneOf(form) ? form : null
  }

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types
    return types && Array.prototype.indexOf.call(types, 'Files') >= 0
  }

  document.addEventListener('dragover', function (event) {
    var form = formWithZone(event.target)
    if (!form || !hasFiles(event)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'copy'
    zoneOf(form).classList.add('dragging')
  })
  document.addEventListener('dragleave', function (event) {
    var form = formWithZone(event.target)
    if (form && !form.contains(event.relatedTarget)) zoneOf(form).classList.remove('dragging')
  })
  document.addEventListener('drop', function (event) {
    var form = formWithZone(event.target)
    if (!form || !event.dataTransfer || !event.dataTransfer.files.length) return
    event.preventDefault()
    zoneOf(form).classList.remove('dragging')
    addFiles(form, event.dataTransfer.files)
  })
  document.addEventListener('change', function (event) {
    var input = event.target
    if (!input.classList || !input.classList.contains('upload-input')) return
    var form = formWithZone(input)
    if (!form || !input.files) return
    addFiles(form, input.files)
    input.value = ''
  })
  // Sending waits for the files: a submit while uploads run is held back (before htmx sees it).
  document.addEventListener(
    'submit',
    function (event) {
      var form = event.target
      if (!zoneOf(form)) return
      var pending = uploadsOf(form).some(function (upload) {
        return upload.state !== 'done' && upload.state !== 'cancelled'
      })
      if (!pending) return
      event.preventDefault()
      event.stopPropagation()
      refreshSendState(form)
    },
    true,
  )
})()
