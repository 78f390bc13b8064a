// The exhibit's service worker: after one visit the exhibit opens and works with the network off.
//
// - On install it caches the app shell (index.html and the hashed script, wasm and style it names),
//   the manifest and icons, every data file the app reads, and the images the data refers to.
// - index.html and everything under data/ are fetched network-first: a curator's edit on the
//   server is seen on the next load, and the cached copy is used only when the server cannot be
//   reached. (A file that is broken on the server still replaces the copy here: the last copy
//   that loaded cleanly is kept apart, in GOOD, by the app itself.) Hashed build files never
//   change under their name, so they come from the cache first.
// - The app registers this file as `sw.js?v=<build>`; each build has its own cache, and a new
//   build's worker deletes the older caches when it takes over.

const VERSION = new URL(self.location.href).searchParams.get("v") || "dev";
const CACHE = "lilong-" + VERSION;
const PREFIX = "lilong-";
// The last good copy of each data file (src/last_good.rs): the app and its checker worker keep
// there each file that loaded cleanly, and read it when the server's cannot be used. It outlives
// builds, so a new build's worker leaves it alone.
const GOOD = "lilong-good";

// The files the loader reads (lilong_core::load::FILES), under the data folder.
const DATA_FILES = [
  "exhibit.json", "sources.json", "districts.geojson", "subdistricts.json", "areas.geojson",
  "places.geojson", "projects.json", "stories.json",
  "i18n/zh-Hans.json", "i18n/zh-Hant.json", "i18n/en.json",
  // Optional: the base map's streets and water (lilong_core::basemap::FILE).
  "basemap.geojson",
  // The checked exhibit (lilong_core::checked::FILE), when the build wrote one.
  "checked.bin",
];
const EXTRA = [
  "manifest.webmanifest", "icons/icon.svg", "icons/icon-192.png", "icons/icon-512.png",
  // The checker worker, started when the data files are newer than checked.bin (src/checker.rs).
  "lilong-checker_loader.js", "lilong-checker.js", "lilong-checker_bg.wasm",
];

const scopeUrl = (path) => new URL(path, self.registration.scope).href;

/// Fetches `path` fresh and stores it; false when it cannot be had.
async function store(cache, path) {
  try {
    const resp = await fetch(scopeUrl(path), { cache: "no-cache" });
    if (!resp.ok) return false;
    await cache.put(scopeUrl(path), resp);
    return true;
  } catch (_) {
    return false;
  }
}

async function precache() {
  const cache = await caches.open(CACHE);
  const index = await fetch(scopeUrl("./"), { cache: "no-cache" });
  if (!index.ok) throw new Error("index.html: " + index.status);
  const html = await index.clone().text();
  await cache.put(scopeUrl("./"), index);
  // The hashed files index.html names: './lilong-….js', './lilong-…_bg.wasm', './style-….css'.
  const shell = new Set();
  for (const m of html.matchAll(/["'](?:\.\/)?([\w\-./]+\.(?:js|wasm|css))["']/g)) {
    if (!m[1].startsWith("data/") && !m[1].includes("//")) shell.add(m[1]);
  }
  await cache.addAll([...shell].map(scopeUrl));
  await Promise.all(EXTRA.map((p) => store(cache, p)));
  await Promise.all(DATA_FILES.map((f) => store(cache, "data/" + f)));
  // Images the places and stories refer to (paths under data/).
  const media = new Set();
  for (const f of ["places.geojson", "stories.json"]) {
    const resp = await cache.match(scopeUrl("data/" + f));
    if (!resp) continue;
    const text = await resp.text();
    for (const m of text.matchAll(/"file"\s*:\s*"([^"]+\.(?:jpe?g|png|webp|avif|svg|gif))"/gi)) {
      if (!m[1].includes("..") && !m[1].includes("//")) media.add("data/" + m[1]);
    }
  }
  await Promise.all([...media].map((p) => store(cache, p)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith(PREFIX) && n !== CACHE && n !== GOOD).map((n) => caches.delete(n)),
      ))
      .then(() => self.clients.claim()),
  );
});

/// The network's answer, stored; the cached copy when the network fails or says no.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const resp = await fetch(request);
    if (resp.ok) {
      await cache.put(key, resp.clone());
      return resp;
    }
    const cached = await cache.match(key);
    return cached || resp;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw err;
  }
}

/// The cached copy of a file whose name never changes; fetched and stored on first use.
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const resp = await fetch(request);
  if (resp.ok) await cache.put(request, resp.clone());
  return resp;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (request.mode === "navigate" || path === "" || path === "index.html") {
    // Every view is a query string on the one page: all share the cached index.html.
    event.respondWith(networkFirst(request, scopeUrl("./")));
  } else if (path.startsWith("data/") || path.includes("/data/") || /\.(json|geojson|bin)$/.test(path)) {
    // Any data folder (`?data=city` loads another): fresh when online, cached when not.
    event.respondWith(networkFirst(request, url.origin + url.pathname));
  } else {
    event.respondWith(cacheFirst(request));
  }
});
