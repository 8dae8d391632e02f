// File attachments in the composers (staff and customer): drag and drop or pick several files,
// upload each in parts (resumable), show progress with speed and time left, cancel, resume, and
// hold the send button until every file is finished. No inline script or style (CSP).
;(function () {
  'use strict'

  var PARALLEL_PARTS = 3
  var RETRIES = 4
  var uploadsByForm = new WeakMap()

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

  function errorMessage(response, fallback) {
    return (
      (response && response.data && response.data.error && response.data.error.message) || fallback
    )
  }

  function Upload(form, file) {
    this.form = form
    this.zone = zoneOf(form)
    this.texts = textsOf(this.zone)
    this.file = file
    this.state = 'waiting'
    this.xhrs = []
    this.done = 0 // bytes of finished parts
    this.inFlight = {} // part number → bytes sent so far
    this.samples = []
    this.speed = 0
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
    refreshSendState(this.form)
  }

  Upload.prototype.sent = function () {
    var total = this.done
    for (var key in this.inFlight) total += this.inFlight[key]
    return Math.min(total, this.file.size)
  }

  /** Progress bar, bytes, speed (moving window of ~5 s) and time left. */
  Upload.prototype.progress = function () {
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
          throw { fatal: true, message: errorMessage(response, self.texts.failed) }
        self.uploadId = response.data.upload_id
        self.partSize = response.data.part_size
        self.parts = response.data.parts
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
    return this.call(
      'PUT',
      this.base + '/' + this.uploadId + '/parts/' + n,
      blob,
      function (loaded) {
        self.inFlight[n] = loaded
        self.progress()
      },
    )
      .then(function (response) {
        delete self.inFlight[n]
        if (response.status === 200) {
          self.done += blob.size
          self.progress()
          return
        }
        var retriable =
          response.status >= 500 ||
          response.status === 408 ||
          response.status === 429 ||
          response.status === 0
        if (!retriable) throw { fatal: true, message: errorMessage(response, self.texts.failed) }
        throw { message: errorMessage(response, self.texts.failed) }
      })
      .catch(function (error) {
        delete self.inFlight[n]
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
        if (response.status !== 200) throw { message: errorMessage(response, self.texts.failed) }
        self.attachmentId = response.data.attachment_id
        self.bar.value = 1000
        self.setState('done', formatBytes(self.file.size) + ' · ' + (self.texts.done || ''))
      },
    )
  }

  Upload.prototype.fail = function (error) {
    if (this.state === 'cancelled') return
    this.xhrs.forEach(function (xhr) {
      xhr.abort()
    })
    this.xhrs = []
    this.setState(
      'failed',
      (error && error.message !== 'aborted' && error.message) || this.texts.failed || '',
    )
    if (!this.uploadId) this.buttons.retry.hidden = !(error && !error.fatal)
  }

  /** Resume after a failure: ask the server which parts it has, send the rest. */
  Upload.prototype.resume = function () {
    var self = this
    if (!this.uploadId) return this.start()
    this.setState('uploading', '')
    this.call('GET', this.base + '/' + this.uploadId)
      .then(function (response) {
        if (response.status !== 200)
          throw { fatal: true, message: errorMessage(response, self.texts.failed) }
        if (response.data.attachment_id) {
          self.attachmentId = response.data.attachment_id
          self.setState('done', formatBytes(self.file.size) + ' · ' + (self.texts.done || ''))
          return
        }
        return self.sendMissing(response.data.stored || [])
      })
      .catch(function (error) {
        self.fail(error)
      })
  }

  Upload.prototype.cancel = function () {
    var previous = this.state
    this.state = 'cancelled'
    this.xhrs.forEach(function (xhr) {
      xhr.abort()
    })
    this.xhrs = []
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
    for (var i = 0; i < files.length; i++) {
      var upload = new Upload(form, files[i])
      uploadsOf(form).push(upload)
      upload.start()
    }
    refreshSendState(form)
  }

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
