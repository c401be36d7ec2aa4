// The phone's local copy for offline work (DESIGN.md "Offline"), on every page: the
// "waiting to sync" count, and wiping the copy when the user logs out or the session ended.
(function () {
  "use strict";
  var NAME = "dn-offline";
  var STORES = { meta: "key", households: "id", children: "id", caregivers: "id", queue: "uuid" };
  var VERSION = 2;  // 2: caregivers
  var CACHE_PREFIX = "dn-offline";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        Object.keys(STORES).forEach(function (store) {
          if (!db.objectStoreNames.contains(store)) {
            db.createObjectStore(store, { keyPath: STORES[store] });
          }
        });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        var request = work(tx.objectStore(store));
        if (request) {
          request.onsuccess = function () { result = request.result; };
        }
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var api = {
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    count: function (store) { return run(store, "readonly", function (s) { return s.count(); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    del: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    clear: function (store) { return run(store, "readwrite", function (s) { return s.clear(); }); },
    putMany: function (store, values) {
      return run(store, "readwrite", function (s) {
        values.forEach(function (v) { s.put(v); });
      });
    },
    // Everything of ours on this device: the data, the queue and the cached app.
    wipe: function () {
      var dropCaches = window.caches
        ? caches.keys().then(function (keys) {
            return Promise.all(keys.filter(function (k) { return k.indexOf(CACHE_PREFIX) === 0; })
              .map(function (k) { return caches.delete(k); }));
          })
        : Promise.resolve();
      var dropDb = new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
      return Promise.all([dropCaches, dropDb]);
    },
    // The read copy only (the session ended): the user's own unsent edits stay queued for
    // them; the offline app drops them if someone else signs in on this device.
    wipeCopy: function () {
      var dropCaches = window.caches
        ? caches.keys().then(function (keys) {
            return Promise.all(keys.filter(function (k) { return k.indexOf(CACHE_PREFIX) === 0; })
              .map(function (k) { return caches.delete(k); }));
          })
        : Promise.resolve();
      return Promise.all([dropCaches, api.clear("households"), api.clear("children"),
        api.clear("caregivers"), api.clear("meta")]);
    },
    hasCopy: function () {
      if (!indexedDB.databases) { return Promise.resolve(true); }
      return indexedDB.databases().then(function (dbs) {
        return dbs.some(function (d) { return d.name === NAME; });
      });
    },
    refreshBadge: function () {
      var badge = document.getElementById("offline-badge");
      if (!badge) { return Promise.resolve(); }
      return api.hasCopy().then(function (has) {
        if (!has) { return 0; }
        return api.count("queue");
      }).then(function (n) {
        badge.querySelector("[data-offline-count]").textContent = String(n);
        badge.hidden = !n;
      }).catch(function () { badge.hidden = true; });
    }
  };
  window.DNOffline = api;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-offline-wipe]") || form.dataset.wiped) { return; }
    event.preventDefault();
    api.hasCopy().then(function (has) {
      return has ? api.count("queue") : 0;
    }).catch(function () { return 0; }).then(function (n) {
      if (n && !window.confirm(form.dataset.offlineWipe.replace("{n}", String(n)))) {
        throw new Error("cancelled");
      }
      return api.wipe();
    }).then(function () {
      form.dataset.wiped = "1";
      form.submit();
    }).catch(function () {});
  });

  document.addEventListener("DOMContentLoaded", function () {
    // The login page means no session: what the last user kept offline must not stay.
    if (document.querySelector("form[data-login]")) {
      api.hasCopy().then(function (has) { if (has) { api.wipeCopy(); } });
      return;
    }
    api.refreshBadge();
  });
})();
