// EventLab's service worker: once the site has loaded, it keeps working offline, so a workshop
// survives bad venue Wi-Fi. Network first (a new deploy is picked up at once), every same-origin
// GET kept in the cache, and the cache answers when the network does not. Asset URLs are
// relative and the scope is this folder, so the site works under any base path.
const CACHE = 'eventlab-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(async () => {
        const cache = await caches.open(CACHE);
        // A page request with a fragment or query still finds the cached page.
        return (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match('./')) ?? Response.error();
      }),
  );
});
