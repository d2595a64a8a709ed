/** --cluster, --node-id, --cluster-lease: joining the servers that share one Redis (server/cluster/). */
import { hostname } from "node:os";
import { DEFAULT_LEASE_MS } from "../../server/cluster/redis-login-registry.ts";
import { ConfigError } from "./config-error.ts";
import type { OptionSources } from "./option-sources.ts";
import { parseSeconds } from "./option-values.ts";

export interface ClusterConfig {
  url: string;
  nodeId: string;
  leaseMs: number;
}

/** `port` names the node by default, with the process id (several nodes may share a host). */
export function parseCluster(options: OptionSources, port: number): ClusterConfig | undefined {
  const urlOption = options.value("cluster");
  const nodeId = options.value("node-id")?.text;
  const leaseOption = options.value("cluster-lease");
  if (urlOption === undefined) {
    if (nodeId !== undefined || leaseOption !== undefined) {
      throw new ConfigError("--node-id and --cluster-lease only mean something with --cluster");
    }
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(urlOption.text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "redis:" && url.protocol !== "rediss:")) {
    throw new ConfigError(`${urlOption.source}: "${urlOption.text}" is not a redis:// URL`);
  }
  // Three renewals per lease (server/cluster/redis-login-registry.ts): at least 3 ms.
  const leaseMs = leaseOption === undefined ? DEFAULT_LEASE_MS : parseSeconds(leaseOption);
  if (leaseMs < 3) {
    throw new ConfigError(`${leaseOption!.source}: the lease must be at least 0.003 s`);
  }
  return { url: urlOption.text, nodeId: nodeId ?? `${hostname()}:${port}+${process.pid}`, leaseMs };
}
