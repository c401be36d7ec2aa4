// Service worker of the offline app (served at /sw.js). It keeps the app page and the static
// files so /ngoai-tuyen/ opens without signal. Personal data is never cached here: it lives in
// IndexedDB (static/js/offline-db.js), read through the API only while online.
"use strict";
var CACHE = "dn-offline-app-v1";
var APP = "/ngoai-tuyen/";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf("dn-offline-app-") === 0 && k !== CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The app page tells the worker which static files it uses (their names are hashed).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "precache" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(data.urls); }));
  }
  if (data.type === "wipe") {
    event.waitUntil(caches.delete(CACHE));
  }
});

function keep(request, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/api/") === 0) { return; }  // data: IndexedDB, never this cache
  if (url.pathname.indexOf("/static/") === 0) {
    // Only what the app page asked to keep is cached: other pages leave no copy behind.
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate" && url.pathname === APP) {
    // Network first (a fresh page and session check); the kept copy when there is no signal.
    event.respondWith(fetch(request).then(function (r) {
      return keep(APP, r);
    }).catch(function () {
      return caches.match(APP).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
