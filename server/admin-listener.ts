/**
 * The admin listener (`--admin-listen ADDR:PORT`): plain HTTP for monitoring, apart from the
 * chat port. `GET /metrics` is the Prometheus text exposition; `GET /healthz` answers 200 "ok"
 * while the server accepts connections and 503 once it is shutting down. Anything else is 404.
 * It carries no secrets and accepts no changes, but it shows who is busy: keep it on loopback
 * (the default host) or behind a firewall.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { PrometheusMetrics } from "./prometheus-metrics.ts";

export interface AdminListener {
  readonly host: string;
  readonly port: number;
  /** Makes /healthz answer 503 from now on (graceful shutdown under way). */
  markUnhealthy(): void;
  close(): Promise<void>;
}

export function listenAdmin(
  metrics: PrometheusMetrics,
  address: { host: string; port: number },
): Promise<AdminListener> {
  let healthy = true;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
    } else if (path === "/metrics") {
      metrics.metricsText().then(
        (text) => response.writeHead(200, { "content-type": metrics.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    } else if (path === "/healthz") {
      response
        .writeHead(healthy ? 200 : 503, { "content-type": "text/plain" })
        .end(healthy ? "ok\n" : "shutting down\n");
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("try /metrics or /healthz\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      const bound = server.address() as AddressInfo;
      resolve({
        host: bound.address,
        port: bound.port,
        markUnhealthy: () => {
          healthy = false;
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
