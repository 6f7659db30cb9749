// The Hub's service worker: it keeps copies of the Hub's own static files (styles, scripts, icons) so the app
// opens quickly, and nothing else. Pages, the API, screenshots and every other answer may hold case data or
// personal details: they always go to the network and are never stored here.
"use strict";

var CACHE = "hub-static-v1";
var STATIC_PREFIX = "/static/";

function isStaticFile(request) {
  var url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin && url.pathname.indexOf(STATIC_PREFIX) === 0;
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  // Copies kept by an older version of this file go.
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  if (!isStaticFile(event.request)) { return; }  // not answered here: the browser fetches it as usual
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(event.request).then(function (kept) {
        if (kept) { return kept; }
        return fetch(event.request).then(function (response) {
          if (response.ok && response.type === "basic") { cache.put(event.request, response.clone()); }
          return response;
        });
      });
    })
  );
});
