/**
 * SIGHUP: reload without a restart, as mosquitto, ngircd and ergo do. Re-reads the options (so a
 * config file's new log level applies), the users file and the TLS certificate and key, and logs
 * one line saying what changed. Whatever cannot be reloaded is logged and the old value kept:
 * a reload never stops the server. Every other option (the listening address, port, users file
 * path, timers, listeners, cluster...) needs a restart; a change to one is logged as ignored.
 */
import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { Logger, LogLevel } from "../../server/logger.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { parseServerConfig, type ServerConfig } from "./config.ts";

/** What a reload applies (the users file's contents are re-read whatever the options say). */
const RELOADED: ReadonlySet<keyof ServerConfig> = new Set(["logLevel", "tls"]);

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export class HangupReload {
  private config: ServerConfig;
  private tlsFiles: TlsFiles | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly server: RunningParrotServer,
    private readonly logger: Logger,
    private readonly argv: readonly string[],
    config: ServerConfig,
    tlsFiles: TlsFiles | undefined,
  ) {
    this.config = config;
    this.tlsFiles = tlsFiles;
  }

  /** Reloads once per call, one reload at a time (signals may come faster than files are read). */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadOnce());
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    const changed: string[] = [];
    let next: ServerConfig;
    try {
      const parsed = parseServerConfig(this.argv, process.env);
      if (parsed === "help") return;
      next = parsed;
    } catch (error) {
      this.logger.error(
        { err: (error as Error).message },
        "SIGHUP: options do not parse; nothing reloaded",
      );
      return;
    }
    const keys = new Set([...Object.keys(this.config), ...Object.keys(next)]);
    for (const key of keys as Set<keyof ServerConfig>) {
      if (!RELOADED.has(key) && !isDeepStrictEqual(next[key], this.config[key])) {
        this.logger.warn(
          { option: key, running: this.config[key], asked: next[key] },
          "SIGHUP: this change needs a restart; ignored",
        );
      }
    }
    if (next.logLevel !== this.config.logLevel) {
      changed.push(`log level ${this.config.logLevel} -> ${next.logLevel}`);
      this.logger.level = next.logLevel satisfies LogLevel;
      this.config = { ...this.config, logLevel: next.logLevel };
    }
    let usersChanged = false;
    const tls = await this.readChangedTls(next);
    if (tls !== undefined) {
      try {
        // Re-reads the users file too, unless the certificate is refused.
        usersChanged = (await this.server.reload({ tls: tls.pem })).usersChanged;
        this.tlsFiles = tls.pem;
        this.config = { ...this.config, tls: tls.files };
        changed.push("TLS certificate");
      } catch (error) {
        this.logger.error(
          { err: (error as Error).message },
          "SIGHUP: the TLS certificate and key are not a valid pair; keeping the ones loaded",
        );
      }
    }
    try {
      usersChanged ||= (await this.server.reload()).usersChanged;
      if (usersChanged) changed.push("users file");
    } catch (error) {
      this.logger.error(
        { err: error },
        "SIGHUP: cannot reload the users file; keeping the users loaded",
      );
    }
    this.logger.info(
      { changed },
      changed.length === 0
        ? "SIGHUP: reloaded; nothing changed"
        : `SIGHUP: reloaded ${changed.join(", ")}`,
    );
  }

  /** The TLS files when they differ from those serving now; undefined when unchanged or unreadable. */
  private async readChangedTls(
    next: ServerConfig,
  ): Promise<{ files: NonNullable<ServerConfig["tls"]>; pem: TlsFiles } | undefined> {
    if (this.config.tls === undefined) {
      if (next.tls !== undefined)
        this.logger.warn("SIGHUP: turning TLS on needs a restart; ignored");
      return undefined;
    }
    const files = next.tls ?? this.config.tls;
    let pem: TlsFiles;
    try {
      pem = { cert: await readFile(files.certFile), key: await readFile(files.keyFile) };
    } catch (error) {
      this.logger.error(
        { err: (error as Error).message },
        "SIGHUP: cannot read the TLS files; keeping the certificate loaded",
      );
      return undefined;
    }
    const current = this.tlsFiles;
    if (current !== undefined && pem.cert.equals(current.cert) && pem.key.equals(current.key)) {
      return undefined;
    }
    return { files, pem };
  }
}
