// Copies the rasa-webchat bundle installed by `npm ci` into dist/, so the page serves it
// from our own server (no CDN at run time). The bundle's CSS imports Google Fonts; that
// import is removed so the page makes no third-party request (the font falls back to the
// system sans-serif, set in style.css).
"use strict";
const fs = require("fs");
const path = require("path");

const source = path.join(__dirname, "node_modules", "rasa-webchat");
const dist = path.join(__dirname, "dist");
const fontImport = /@import url\(https:\/\/fonts\.googleapis\.com\/css\?[^)]*\);/g;

const bundle = fs.readFileSync(path.join(source, "lib", "index.js"), "utf8");
const cleaned = bundle.replace(fontImport, "");
if (cleaned === bundle || /fonts\.googleapis\.com/.test(cleaned)) {
  console.error("build.js : le import Google Fonts attendu est introuvable ; version du widget changée ?");
  process.exit(1);
}
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, "webchat.js"), cleaned);
fs.copyFileSync(path.join(source, "LICENSE"), path.join(dist, "LICENSE-rasa-webchat.txt"));
