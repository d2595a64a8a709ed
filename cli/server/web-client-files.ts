/**
 * Serves the built web client (web/dist/, made by web/build.ts) on the WebSocket listener's HTTP
 * port: index.html at "/" (never cached: it names the current assets), the content-hashed assets
 * under /assets/ (cached for a year; a new build has new names), 404 for anything else. Every
 * answer carries a CSP that allows only this origin's script, style and WebSocket, no framing.
 * Files are read once at start; the page learns the WebSocket path from a data attribute.
 */

import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where web/build.ts puts the built client. */
export const WEB_CLIENT_DIR = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Loads `distDir` and returns the handler; rejects when the client has not been built. */
export async function webClientHandler(
  distDir: string,
  webSocketPath: string,
): Promise<RequestHandler> {
  const page = (await readFile(join(distDir, "index.html"), "utf8")).replace(
    'data-ws-path="WS_PATH"',
    `data-ws-path="${escapeAttribute(webSocketPath)}"`,
  );
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of await readdir(join(distDir, "assets"))) {
    const type = TYPES[name.split(".").pop() ?? ""];
    if (type !== undefined) {
      assets.set(`/assets/${name}`, { body: await readFile(join(distDir, "assets", name)), type });
    }
  }
  return (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...SECURITY_HEADERS, allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/" || path === "/index.html") {
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
      });
      response.end(request.method === "HEAD" ? undefined : page);
      return;
    }
    const asset = path === undefined ? undefined : assets.get(path);
    if (asset === undefined) {
      response
        .writeHead(404, { ...SECURITY_HEADERS, "content-type": "text/plain" })
        .end("not found\n");
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": asset.type,
      "cache-control": "public, max-age=31536000, immutable",
    });
    response.end(request.method === "HEAD" ? undefined : asset.body);
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
