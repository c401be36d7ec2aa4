// The offline app (/ngoai-tuyen/): the collaborator's groups kept on the phone, forms queued
// with a client UUID, and a sync through the API (If-Match + X-Merge: fields) when the
// connection returns. Validation stays on the server: its Vietnamese field errors come back
// to the queued record. See DESIGN.md "Offline" and api/merge.py.
(function () {
  "use strict";
  var db = window.DNOffline;
  var config = JSON.parse(document.getElementById("offline-config").textContent);
  var DAY = 24 * 3600 * 1000;
  var texts = {};
  document.getElementById("texts").content.querySelectorAll("[data-key]").forEach(function (el) {
    texts[el.dataset.key] = el.textContent;
  });
  // What each kind of record is: where it is sent, where it is kept, how it is shown.
  var KINDS = {
    household: {
      store: "households",
      endpoint: config.api.households,
      notes: "notes",
      title: function (r) { return (r.code || "") + " — " + (r.head_name || ""); },
      detail: function (r) { return r.address || ""; }
    },
    child: {
      store: "children",
      endpoint: config.api.children,
      notes: "notes",
      title: function (r) { return r.full_name || ""; },
      detail: function (r) {
        return [r.household, r.birth_date ? texts.born + " " + dmy(r.birth_date) : ""]
          .filter(Boolean).join(" · ");
      }
    },
    // Added to a record of the copy (`parent`: the household's or the child's id, which is
    // "local-<uuid>" until that record has synced). Only the caregivers are kept for reading.
    caregiver: {
      store: "caregivers",
      endpoint: config.api.caregivers,
      parent: "household",
      title: function (r) { return texts.kindCaregiver + ": " + (r.name || "") + (r._label ? " — " + r._label : ""); }
    },
    screening: {
      endpoint: config.api.screenings,
      parent: "child",
      title: function (r) { return texts.kindScreening + ": " + (r._label || ""); }
    },
    followup: {
      endpoint: config.api.followups,
      parent: "child",
      title: function (r) { return texts.kindFollowup + ": " + (r._label || ""); }
    },
    intake: {
      endpoint: config.api.intakes,
      parent: "child",
      title: function (r) { return texts.kindIntake + ": " + (r._label || String(r.description || "").slice(0, 40)); }
    }
  };
  var FORM_TITLES = {
    household: ["newHousehold", "editHousehold"],
    child: ["newChild", "editChild"],
    caregiver: ["newCaregiver"],
    screening: ["newScreening"],
    followup: ["newFollowup"],
    intake: ["newIntake"]
  };
  var DATE_FIELDS = ["birth_date", "dropout_date"];
  var syncing = false;
  var current = null;  // the form being edited: {kind, id, queued}

  function $(id) { return document.getElementById(id); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function dmy(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : (iso || "");
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  // ---- status line and views -------------------------------------------------------------
  function setStatus(key, extra) {
    var badge = $("offline-status");
    badge.textContent = texts[key] + (extra ? " — " + extra : "");
    badge.className = "badge " + (key === "offline" ? "text-bg-warning" : key === "online" || key === "synced" ? "text-bg-success" : "text-bg-secondary");
  }
  function show(panel) {
    document.querySelectorAll("[data-panel]").forEach(function (p) { p.hidden = p.dataset.panel !== panel; });
    document.querySelectorAll("[data-view]").forEach(function (a) {
      a.classList.toggle("active", a.dataset.view === panel);
      if (a.dataset.view === panel) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
  }
  function route() {
    var hash = location.hash.replace("#", "");
    show(hash === "tre" ? "children" : hash === "cho" ? "queue" : hash === "viec" ? "due" : "households");
  }

  // ---- the local copy ----------------------------------------------------------------------
  function fetchAll(url) {
    var rows = [];
    function page(next) {
      return fetch(next, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.status === 401 || r.status === 403) { throw { session: true }; }
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.json();
        }).then(function (body) {
          rows = rows.concat(body.results || []);
          return body.next ? page(body.next) : rows;
        });
    }
    return page(url);
  }

  function download() {
    var due = fetch(config.dueUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) { throw { session: true }; }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      });
    return Promise.all([fetchAll(config.api.households), fetchAll(config.api.children), fetchAll(config.api.caregivers), due])
      .then(function (lists) {
        return db.all("queue").then(function (queue) {
          var pending = {};
          queue.forEach(function (q) { if (q.op === "update") { pending[q.kind + ":" + q.id] = q; } });
          function prepare(kind, rows) {
            return rows.map(function (r) {
              var q = pending[kind + ":" + r.id];
              r._base = JSON.parse(JSON.stringify(r));
              if (q) { Object.assign(r, q.data); r._pending = true; }
              return r;
            });
          }
          return Promise.all([db.clear("households"), db.clear("children"), db.clear("caregivers")]).then(function () {
            var locals = queue.filter(function (q) { return q.op === "create"; });
            return Promise.all([
              db.putMany("households", prepare("household", lists[0]).concat(localRows(locals, "household"))),
              db.putMany("children", prepare("child", lists[1]).concat(localRows(locals, "child"))),
              db.putMany("caregivers", prepare("caregiver", lists[2]).concat(localRows(locals, "caregiver"))),
              db.put("meta", { key: "due", screenings: lists[3].screenings, followups: lists[3].followups })
            ]);
          });
        });
      }).then(function () {
        return db.put("meta", { key: "copy", user: config.user, at: Date.now() });
      });
  }
  function localRows(queue, kind) {
    return queue.filter(function (q) { return q.kind === kind; }).map(function (q) {
      return Object.assign({ id: "local-" + q.uuid, _pending: true, _local: q.uuid }, q.data);
    });
  }

  // The copy belongs to one user and expires after config.maxDays without the server.
  function checkOwner() {
    return db.get("meta", "copy").then(function (meta) {
      if (meta && meta.user !== config.user) {
        return db.wipe().then(function () { return null; });
      }
      if (meta && Date.now() - meta.at > config.maxDays * DAY) {
        // The read copy goes; what the user typed and has not sent stays queued (it is theirs,
        // and only the server may refuse it): say both.
        return db.wipeCopy().then(function () { return db.count("queue"); }).then(function (n) {
          notice(texts.expired + (n ? " " + texts.keptQueue.replace("{n}", String(n)) : ""));
          return null;
        });
      }
      return meta;
    });
  }

  function notice(text) {
    var box = $("offline-notice");
    box.textContent = text;
    box.hidden = !text;
  }

  function showCopy(meta) {
    $("offline-copy").textContent = meta ? texts.copy + " " + new Date(meta.at).toLocaleString("vi-VN") : texts.nocopy;
  }

  // ---- lists -----------------------------------------------------------------------------
  function norm(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function renderList(kind, listId, searchId) {
    var spec = KINDS[kind];
    return Promise.all([db.all(spec.store), db.all("caregivers"), db.get("meta", "due")]).then(function (got) {
      var rows = got[0];
      var carers = {};
      got[1].forEach(function (c) { (carers[c.household] = carers[c.household] || []).push(c); });
      var due = dueSets(got[2]);
      var q = norm($(searchId).value);
      var list = $(listId);
      list.replaceChildren();
      rows.filter(function (r) { return !q || norm(spec.title(r) + " " + spec.detail(r) + " " + (r.code || "") + " " + (r.household || "")).indexOf(q) >= 0; })
        .sort(function (a, b) { return spec.title(a).localeCompare(spec.title(b), "vi"); })
        .forEach(function (r) {
          var left = el("div", {}, [
            el("div", { class: "fw-semibold", text: spec.title(r) }),
            el("div", { class: "small text-muted", text: spec.detail(r) })
          ]);
          var item = el("li", { class: "list-group-item d-flex justify-content-between align-items-start gap-2", "data-id": String(r.id) }, [left]);
          var right = el("div", { class: "d-flex flex-wrap justify-content-end gap-1 align-items-center" });
          if (r._pending) { right.appendChild(el("span", { class: "badge text-bg-warning", text: texts.pending })); }
          var label = spec.title(r);
          if (kind === "household") {
            var names = (carers[r.id] || []).map(function (c) { return c.name + (c.relation ? " (" + c.relation + ")" : "") + (c._pending ? " — " + texts.pending : ""); });
            if (names.length) { left.appendChild(el("div", { class: "small", "data-caregivers": "", text: texts.caregivers + ": " + names.join("; ") })); }
            right.appendChild(addButton("caregiver", r.id, label, texts.addCaregiver));
          } else {
            if (due.screenings[r.id]) { right.appendChild(el("span", { class: "badge text-bg-info", text: texts.dueScreening })); }
            if (due.followups[r.id] !== undefined) { right.appendChild(el("span", { class: "badge text-bg-danger", text: texts.dueFollowup })); }
            right.appendChild(addButton("screening", r.id, label, texts.screen));
            right.appendChild(addButton("followup", r.id, label, texts.follow));
            right.appendChild(addButton("intake", r.id, label, texts.tip));
          }
          right.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-edit": kind, "data-id": String(r.id), text: texts.edit }));
          item.appendChild(right);
          list.appendChild(item);
        });
      if (!list.children.length) { list.appendChild(el("li", { class: "list-group-item text-muted", text: texts.none })); }
    });
  }
  function addButton(kind, parentId, label, text) {
    return el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-add": kind, "data-parent": String(parentId), "data-label": label, "aria-label": text + ": " + label, text: text });
  }
  function dueSets(meta) {
    var out = { screenings: {}, followups: {} };
    ((meta && meta.screenings) || []).forEach(function (id) { out.screenings[id] = true; });
    ((meta && meta.followups) || []).forEach(function (f) { out.followups[f.child] = f.last_visit; });
    return out;
  }
  // What is due in the user's groups: the screenings of this year, the children to follow up.
  function renderDue() {
    return Promise.all([db.get("meta", "due"), db.all("children")]).then(function (got) {
      var due = dueSets(got[0]);
      var byId = {};
      got[1].forEach(function (c) { byId[c.id] = c; });
      function fill(listId, ids, kind, text, extra) {
        var list = $(listId);
        list.replaceChildren();
        ids.filter(function (id) { return byId[id]; }).map(function (id) { return byId[id]; })
          .sort(function (a, b) { return KINDS.child.title(a).localeCompare(KINDS.child.title(b), "vi"); })
          .forEach(function (c) {
            var label = KINDS.child.title(c);
            list.appendChild(el("li", { class: "list-group-item d-flex justify-content-between align-items-start gap-2", "data-id": String(c.id) }, [
              el("div", {}, [
                el("div", { class: "fw-semibold", text: label }),
                el("div", { class: "small text-muted", text: [KINDS.child.detail(c), extra(c.id)].filter(Boolean).join(" · ") })
              ]),
              addButton(kind, c.id, label, text)
            ]));
          });
        if (!list.children.length) { list.appendChild(el("li", { class: "list-group-item text-muted", text: texts.none })); }
      }
      fill("due-screening-list", Object.keys(due.screenings).map(Number), "screening", texts.screen, function () { return ""; });
      fill("due-followup-list", Object.keys(due.followups).map(Number), "followup", texts.follow, function (id) {
        return due.followups[id] ? texts.lastVisit + " " + dmy(due.followups[id]) : texts.noVisit;
      });
    });
  }
  function renderQueue() {
    return db.all("queue").then(function (queue) {
      queue.sort(function (a, b) { return a.seq - b.seq; });
      $("offline-queue-count").textContent = String(queue.length);
      db.refreshBadge();
      var list = $("queue-list");
      list.replaceChildren();
      queue.forEach(function (q) {
        var spec = KINDS[q.kind];
        var state = q.status === "error" ? texts.error : q.status === "conflict" ? texts.conflict : texts.pending;
        var body = el("div", {}, [
          el("div", { class: "fw-semibold", text: (q.op === "create" ? texts.create : texts.update) + ": " + spec.title(Object.assign({}, q.record || {}, q.data)) }),
          el("div", { class: "small " + (q.status ? "text-danger" : "text-muted"), text: state })
        ]);
        if (q.status === "error" && q.errors) {
          var ul = el("ul", { class: "small text-danger mb-0" });
          Object.keys(q.errors).forEach(function (f) {
            [].concat(q.errors[f]).forEach(function (m) { ul.appendChild(el("li", { text: m })); });
          });
          body.appendChild(ul);
        }
        var actions = el("div", { class: "d-flex flex-column gap-1" });
        if (q.status === "conflict") {
          actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-warning", "data-resolve": q.uuid, text: texts.resolve }));
        } else {
          actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-fix": q.uuid, text: q.status === "error" ? texts.fix : texts.edit }));
        }
        actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-danger", "data-discard": q.uuid, text: texts.discard }));
        list.appendChild(el("li", { class: "list-group-item d-flex justify-content-between gap-2", "data-queue": q.uuid, "data-status": q.status || "pending" }, [body, actions]));
      });
      if (!queue.length) { list.appendChild(el("li", { class: "list-group-item text-muted", text: texts.queueEmpty })); }
    });
  }
  function renderAll() {
    return Promise.all([
      renderList("household", "household-list", "household-search"),
      renderList("child", "child-list", "child-search"),
      renderDue(),
      renderQueue()
    ]);
  }

  // ---- forms -----------------------------------------------------------------------------
  function openForm(kind, record, queued, errors, context) {
    var spec = KINDS[kind];
    if (!context && queued && spec.parent) {
      context = { parent: queued.data[spec.parent], label: (queued.record || {})._label || "" };
    }
    current = { kind: kind, id: record && !record._local && record.id !== undefined ? record.id : null, queued: queued || null, record: record, context: context || null };
    var body = $("form-body");
    body.replaceChildren(document.getElementById("form-" + kind).content.cloneNode(true));
    var prefix = kind + "-";
    var values = queued ? Object.assign({}, record || {}, queued.data) : (record || {});
    if (!record && !queued && context && context.initial) { values = context.initial; }
    body.querySelectorAll("[name]").forEach(function (input) {
      var name = input.name.replace(prefix, "");
      if (!(name in values)) { return; }
      var v = values[name];
      if (input.type === "checkbox") { input.checked = v === true || v === "on"; return; }
      if (v === null || v === undefined) { v = ""; }
      if (DATE_FIELDS.indexOf(name) >= 0) { v = dmy(v); }
      input.value = String(v);
    });
    var box = $("form-errors");
    box.hidden = true;
    body.querySelectorAll(".is-invalid").forEach(function (i) { i.classList.remove("is-invalid"); });
    if (errors) {
      box.replaceChildren();
      Object.keys(errors).forEach(function (field) {
        var input = body.querySelector("[name='" + prefix + field + "']");
        [].concat(errors[field]).forEach(function (m) {
          if (input) {
            input.classList.add("is-invalid");
            input.insertAdjacentElement("afterend", el("div", { class: "invalid-feedback d-block", text: m }));
          } else {
            box.appendChild(el("div", { text: m }));
          }
        });
      });
      box.hidden = !box.children.length;
    }
    var titles = FORM_TITLES[kind];
    $("form-title").textContent = texts[titles[current.id !== null && titles[1] ? 1 : 0]] + (context && context.label ? ": " + context.label : "");
    show("form");
    var first = body.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }

  // A form that was saved or cancelled leaves nothing behind in the page: what was typed is
  // in the queue only, and a reopened record is never mistaken for the form it replaced.
  function closeForm() {
    $("form-body").replaceChildren();
    $("form-errors").replaceChildren();
    $("form-errors").hidden = true;
    current = null;
  }

  function formData(kind) {
    var prefix = kind + "-";
    var data = {};
    $("form-body").querySelectorAll("[name]").forEach(function (input) {
      var name = input.name.replace(prefix, "");
      data[name] = input.type === "checkbox" ? input.checked : input.value;
    });
    return data;
  }
  // The fields an edit changed against the record as it came from the server.
  function changed(base, data) {
    var out = {};
    Object.keys(data).forEach(function (k) {
      var was = base[k];
      if (DATE_FIELDS.indexOf(k) >= 0) { was = dmy(was); }
      if (typeof data[k] === "boolean") { if (Boolean(was) !== data[k]) { out[k] = data[k]; } return; }
      if (String(was === null || was === undefined ? "" : was) !== data[k]) { out[k] = data[k]; }
    });
    return out;
  }

  function nextSeq() {
    return db.all("queue").then(function (queue) {
      return queue.reduce(function (m, q) { return Math.max(m, q.seq || 0); }, 0) + 1;
    });
  }

  function saveForm(event) {
    event.preventDefault();
    var kind = current.kind;
    var spec = KINDS[kind];
    var data = formData(kind);
    var now = new Date().toISOString();
    var work;
    if (current.queued) {
      // Fixing a queued record (an error from the server, or a second look): same UUID.
      var q = current.queued;
      if (q.op === "create" && spec.parent) { data[spec.parent] = q.data[spec.parent]; }
      q.data = q.op === "update" ? changed(current.record._base || {}, data) : data;
      q.status = "";
      q.errors = null;
      q.editedAt = now;
      work = db.put("queue", q).then(function () { return localUpdate(kind, q); });
    } else if (current.id === null) {
      var context = current.context;
      if (spec.parent && context) { data[spec.parent] = context.parent; }
      work = nextSeq().then(function (seq) {
        var q = { uuid: uuid(), seq: seq, op: "create", kind: kind, data: data, editedAt: now, status: "", user: config.user, record: context ? { _label: context.label } : null };
        return db.put("queue", q).then(function () { return localUpdate(kind, q); });
      });
    } else {
      var record = current.record;
      var diff = changed(record._base || {}, data);
      if (!Object.keys(diff).length) { alert(texts.nochange); return; }
      work = db.all("queue").then(function (queue) {
        var existing = queue.filter(function (x) { return x.op === "update" && x.kind === kind && x.id === record.id; })[0];
        if (existing) {
          existing.data = diff;
          existing.editedAt = now;
          existing.status = "";
          return db.put("queue", existing).then(function () { return localUpdate(kind, existing); });
        }
        return nextSeq().then(function (seq) {
          var q = { uuid: uuid(), seq: seq, op: "update", kind: kind, id: record.id, version: record._base.version, data: diff, base: record._base, record: { code: record.code, head_name: record.head_name, full_name: record.full_name }, editedAt: now, status: "", user: config.user };
          return db.put("queue", q).then(function () { return localUpdate(kind, q); });
        });
      });
    }
    var back = kind === "child" || (spec.parent === "child") ? "#tre" : kind === "household" || kind === "caregiver" ? "#ho" : "#cho";
    if (current.context && current.context.from) { back = current.context.from; }
    work.then(function () {
      closeForm();
      location.hash = back;
      route();
      return renderAll();
    }).then(function () {
      if (navigator.onLine) { sync(); }
    });
  }

  function localUpdate(kind, q) {
    var store = KINDS[kind].store;
    if (!store) { return Promise.resolve(); }  // screenings, visits, tips: in the queue only
    if (q.op === "create") {
      return db.put(store, Object.assign({ id: "local-" + q.uuid, _pending: true, _local: q.uuid }, q.data));
    }
    return db.get(store, q.id).then(function (r) {
      if (!r) { return; }
      var base = r._base || {};
      var merged = Object.assign({}, base, q.data, { _base: base, _pending: true });
      return db.put(store, merged);
    });
  }

  // ---- sync ------------------------------------------------------------------------------
  function csrf() {
    return fetch(config.tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.redirected || r.status === 401 || r.status === 403) { throw { session: true }; }
        return r.json();
      }).then(function (body) {
        if (body.user !== config.user) { throw { session: true }; }
        return body.csrf;
      });
  }

  function send(q, token) {
    var spec = KINDS[q.kind];
    var headers = {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": token,
      "X-Offline-Edited-At": encodeURIComponent(q.editedAt)
    };
    var url = spec.endpoint;
    var method = "POST";
    var body = Object.assign({}, q.data);
    if (q.op === "create") {
      body.client_uuid = q.uuid;
    } else {
      url = spec.endpoint + q.id + "/";
      method = "PATCH";
      headers["If-Match"] = '"' + q.version + '"';
      headers["X-Merge"] = "fields";
      // The values the edit started from, for records whose history does not reach back.
      if (q.base && q.base.version === q.version) {
        body._base = {};
        Object.keys(q.data).forEach(function (f) { body._base[f] = q.base[f]; });
        body._base.version = q.version;
      }
      if (q.reason) { headers["X-Change-Reason"] = encodeURIComponent(q.reason); }
    }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers, body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (json) {
          return { status: r.status, etag: r.headers.get("ETag"), body: json };
        });
      });
  }

  function settle(q, result, queue) {
    var spec = KINDS[q.kind];
    if (result.status === 200 || result.status === 201) {
      var record = result.body;
      record._base = JSON.parse(JSON.stringify(result.body));
      var drop = q.op === "create" && spec.store ? db.del(spec.store, "local-" + q.uuid) : Promise.resolve();
      return drop.then(function () { return spec.store ? db.put(spec.store, record) : null; })
        .then(function () { return db.del("queue", q.uuid); })
        .then(function () { return q.op === "create" ? adopt(queue, "local-" + q.uuid, record.id) : null; });
    }
    if (result.status === 400) {
      q.status = "error";
      q.errors = result.body;
      return db.put("queue", q);
    }
    if (result.status === 409 || result.status === 412) {
      q.status = "conflict";
      q.conflicts = result.body.conflicts || Object.keys(q.data).map(function (f) {
        return { field: f, label: f, server: (result.body.current || {})[f], mine: q.data[f], server_display: String((result.body.current || {})[f]), mine_display: String(q.data[f]) };
      });
      q.current = result.body.current;
      q.currentVersion = (result.etag || "").replace(/\W/g, "");
      return db.put("queue", q);
    }
    if (result.status === 401 || result.status === 403) { throw { session: true }; }
    if (result.status === 404) {
      q.status = "error";
      q.errors = { non_field_errors: [result.body.detail || "404"] };
      return db.put("queue", q);
    }
    throw new Error("HTTP " + result.status);
  }

  // A record made on the phone has synced: what was added to it waits no longer for its id.
  function adopt(queue, localId, id) {
    return Promise.all(queue.filter(function (x) {
      var parent = KINDS[x.kind].parent;
      return parent && x.data[parent] === localId;
    }).map(function (x) {
      x.data[KINDS[x.kind].parent] = id;
      return db.put("queue", x);
    }));
  }
  function waitsForParent(q) {
    var parent = KINDS[q.kind].parent;
    return parent && String(q.data[parent]).indexOf("local-") === 0;
  }

  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    setStatus("syncing");
    return csrf().then(function (token) {
      return db.all("queue").then(function (queue) {
        queue = queue.filter(function (q) { return !q.status; }).sort(function (a, b) { return a.seq - b.seq; });
        // One at a time, in the order they were made (a household before its child).
        return queue.reduce(function (chain, q) {
          return chain.then(function () {
            // Its household or child was refused and waits to be fixed: so does this.
            if (waitsForParent(q)) { return null; }
            return send(q, token).then(function (r) { return settle(q, r, queue); });
          });
        }, Promise.resolve());
      });
    }).then(function () {
      return download();
    }).then(function () {
      setStatus("synced");
    }).catch(function (err) {
      if (err && err.session) {
        location.href = config.loginUrl + "?next=" + encodeURIComponent(location.pathname);
        return;
      }
      setStatus(navigator.onLine ? "online" : "offline", texts.lost);
    }).then(function () {
      syncing = false;
      return db.get("meta", "copy").then(showCopy);
    }).then(renderAll);
  }

  // ---- conflicts -------------------------------------------------------------------------
  function openConflict(q) {
    current = { conflict: q };
    var body = $("conflict-body");
    body.replaceChildren();
    var spec = KINDS[q.kind];
    q.conflicts.forEach(function (c, i) {
      var name = "choice-" + i;
      var options = [["server", texts.keepServer], ["mine", texts.keepMine]];
      if (spec.notes && c.field !== spec.notes) { options.push(["both", texts.keepBoth]); }
      var fieldset = el("fieldset", { class: "border rounded p-2 mb-3", "data-field": c.field }, [
        el("legend", { class: "h6", text: c.label }),
        el("div", { class: "row g-2 mb-2" }, [
          el("div", { class: "col-sm-6" }, [el("div", { class: "small text-muted", text: texts.server }), el("div", { class: "fw-semibold", "data-server": "", text: c.server_display })]),
          el("div", { class: "col-sm-6" }, [el("div", { class: "small text-muted", text: texts.mine }), el("div", { class: "fw-semibold", "data-mine": "", text: c.mine_display })])
        ])
      ]);
      options.forEach(function (o, j) {
        var id = name + "-" + o[0];
        var input = el("input", { class: "form-check-input", type: "radio", name: name, id: id, value: o[0] });
        if (j === 0) { input.checked = true; }
        fieldset.appendChild(el("div", { class: "form-check" }, [input, el("label", { class: "form-check-label", for: id, text: o[1] })]));
      });
      body.appendChild(fieldset);
    });
    show("conflict");
  }

  function resolveConflict(event) {
    event.preventDefault();
    var q = current.conflict;
    var spec = KINDS[q.kind];
    var data = {};
    var conflicted = {};
    var chosen = [];
    var notes = [];
    q.conflicts.forEach(function (c, i) {
      conflicted[c.field] = true;
      var choice = document.querySelector("input[name='choice-" + i + "']:checked").value;
      chosen.push(c.label + ": " + (choice === "mine" ? texts.keepMine : texts.keepServer).toLowerCase());
      if (choice === "mine") { data[c.field] = q.data[c.field]; }
      if (choice === "both") { notes.push(texts.otherValue + " — " + c.label + ": " + c.mine_display); }
    });
    // The fields that did not conflict still go as they were sent.
    Object.keys(q.data).forEach(function (f) { if (!conflicted[f]) { data[f] = q.data[f]; } });
    if (notes.length) {
      var was = (q.current || {})[spec.notes] || "";
      data[spec.notes] = (was ? was + "\n" : "") + notes.join("\n");
    }
    q.data = data;
    q.version = Number(q.currentVersion || q.version);
    q.base = q.current ? Object.assign({}, q.current, { version: Number(q.version) }) : null;
    q.reason = (texts.reason + ": " + chosen.join("; ")).slice(0, 100);
    q.status = "";
    q.conflicts = null;
    db.put("queue", q).then(function () {
      location.hash = "#cho";
      route();
      return sync();
    });
  }

  // A caregiver of a household, a screening, a visit or a tip about a child of the copy.
  function openAdd(kind, parentId, label) {
    var id = /^\d+$/.test(parentId) ? Number(parentId) : parentId;
    var context = { parent: id, label: label, from: location.hash || "#ho", initial: {} };
    if (kind === "followup") {
      var today = new Date();
      context.initial.date = String(today.getDate()).padStart(2, "0") + "/" + String(today.getMonth() + 1).padStart(2, "0") + "/" + today.getFullYear();
    }
    if (kind !== "intake") { openForm(kind, null, null, null, context); return; }
    // The tip is for the child's group (the household's), as the page's form asks.
    db.get("children", id).then(function (child) {
      return child && child.household_id ? db.get("households", child.household_id) : null;
    }).then(function (household) {
      if (household && household.group) { context.initial.group = household.group; }
      openForm(kind, null, null, null, context);
    });
  }

  // ---- wiring ----------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var t = event.target.closest("button");
    if (!t) { return; }
    if (t.dataset.new) { openForm(t.dataset.new, null); }
    if (t.dataset.add) { openAdd(t.dataset.add, t.dataset.parent, t.dataset.label); }
    if (t.dataset.edit) {
      var kind = t.dataset.edit;
      var id = t.dataset.id;
      db.get(KINDS[kind].store, /^\d+$/.test(id) ? Number(id) : id).then(function (r) {
        if (r && r._local) {
          return db.get("queue", r._local).then(function (q) { openForm(kind, r, q); });
        }
        openForm(kind, r);
      });
    }
    if (t.dataset.fix) {
      db.get("queue", t.dataset.fix).then(function (q) {
        var store = KINDS[q.kind].store;
        if (!store) { openForm(q.kind, null, q, q.errors); return null; }
        var key = q.op === "create" ? "local-" + q.uuid : q.id;
        return db.get(store, key).then(function (r) {
          // The copy may have expired: an edit still has the record it started from.
          if (!r && q.op === "update" && q.base) { r = Object.assign({}, q.base, { _base: q.base }); }
          openForm(q.kind, r || (q.op === "create" ? null : q.data), q, q.errors);
        });
      });
    }
    if (t.dataset.resolve) { db.get("queue", t.dataset.resolve).then(openConflict); }
    if (t.dataset.discard && window.confirm(texts.discardConfirm)) {
      db.get("queue", t.dataset.discard).then(function (q) {
        var store = KINDS[q.kind].store;
        var drop = !store ? Promise.resolve() : q.op === "create" ? db.del(store, "local-" + q.uuid) : db.get(store, q.id).then(function (r) {
          if (r && r._base) { return db.put(store, Object.assign({}, r._base, { _base: r._base })); }
        });
        return drop.then(function () { return db.del("queue", q.uuid); });
      }).then(renderAll);
    }
    if (t.hasAttribute("data-cancel")) { closeForm(); route(); }
    if (t.id === "offline-sync") { sync(); }
    if (t.id === "offline-refresh" && navigator.onLine) {
      download().then(function () { return db.get("meta", "copy"); }).then(showCopy).then(renderAll);
    }
  });
  $("offline-form").addEventListener("submit", saveForm);
  $("conflict-form").addEventListener("submit", resolveConflict);
  $("household-search").addEventListener("input", function () { renderList("household", "household-list", "household-search"); });
  $("child-search").addEventListener("input", function () { renderList("child", "child-list", "child-search"); });
  window.addEventListener("hashchange", route);
  window.addEventListener("online", function () { setStatus("online"); sync(); });
  window.addEventListener("offline", function () { setStatus("offline"); });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = [].slice.call(document.querySelectorAll("link[rel=stylesheet], script[src], link[rel=icon]"))
        .map(function (n) { return n.href || n.src; }).concat([location.pathname]);
      if (reg.active) { reg.active.postMessage({ type: "precache", urls: urls }); }
    }).catch(function () {});
  }

  route();
  checkOwner().then(function (meta) {
    showCopy(meta);
    setStatus(navigator.onLine ? "online" : "offline");
    return renderAll().then(function () {
      if (navigator.onLine) { return sync(); }
    });
  });
  window.DNOfflineApp = { sync: sync, download: download };
})();
