// @ts-check
/**
 * Starts a real Thunderbird with a throwaway install copy, profile and SMTP sink.
 *
 * The install copy exists only so that each run has its own
 * `distribution/policies.json` (the admin policy) without touching /etc or /usr.
 * See /work/shared/design/thunderbird-facts.md for why each step is needed.
 */

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

import { Marionette } from "./marionette.mjs";
import { startSmtpSink } from "./smtp-sink.mjs";

export const ADDON_ID = "misend-guard@misend-guard.org";
export const READY_LINE = "misend-guard: background ready";
export const SENDER = { name: "Test Sender", email: "sender@corp.example" };

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (tests/e2e/lib -> ../../..). */
export const REPO_ROOT = path.resolve(here, "../../..");
const SYSTEM_INSTALL = process.env.THUNDERBIRD_DIR ?? "/usr/lib/thunderbird";

/** Processes still running, killed if node exits without calling stop(). */
const live = new Set();
process.on("exit", () => {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

/**
 * The .xpi under test: $MISEND_GUARD_XPI, else the newest dist/misend-guard-*.xpi.
 *
 * @returns {string} an absolute path
 */
export function findXpi() {
  const fromEnv = process.env.MISEND_GUARD_XPI;
  if (fromEnv) {
    const abs = path.resolve(fromEnv);
    if (!fs.existsSync(abs)) throw new Error(`MISEND_GUARD_XPI=${fromEnv} does not exist`);
    return abs;
  }
  const dist = path.join(REPO_ROOT, "dist");
  const candidates = fs.existsSync(dist)
    ? fs
        .readdirSync(dist)
        .filter((name) => /^misend-guard-.*\.xpi$/.test(name))
        .map((name) => path.join(dist, name))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
    : [];
  if (candidates.length === 0) {
    throw new Error(
      `No add-on package found: ${dist}/misend-guard-<version>.xpi is missing. ` +
        "Run `cargo xtask dist` first, or set MISEND_GUARD_XPI=/path/to/file.xpi.",
    );
  }
  return candidates[0];
}

/** A TCP port that was free a moment ago. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A temporary folder on the same filesystem as the system install, so that
 * `cp -al` can hard-link instead of copying 200 MB.
 */
function makeTempRoot() {
  const installDev = fs.statSync(SYSTEM_INSTALL).dev;
  for (const base of [os.tmpdir(), path.join(REPO_ROOT, "target", "e2e-tmp")]) {
    fs.mkdirSync(base, { recursive: true });
    if (fs.statSync(base).dev === installDev) {
      return fs.mkdtempSync(path.join(base, "misend-guard-e2e-"));
    }
  }
  throw new Error(
    `Neither ${os.tmpdir()} nor target/ is on the same filesystem as ${SYSTEM_INSTALL}; ` +
      "set TMPDIR to a folder on that filesystem.",
  );
}

/**
 * A hard-link copy of the install with our own policies.json.
 *
 * @param {string} dest
 * @param {object} policies  the value of the top-level "policies" key
 */
function makeInstallCopy(dest, policies) {
  execFileSync("cp", ["-al", SYSTEM_INSTALL, dest]);
  // Debian's relative symlinks (omni.ja -> ../../share/...) break in the copy:
  // point them at absolute targets.
  // The launcher symlink thunderbird -> thunderbird-bin must stay relative.
  for (const entry of fs.readdirSync(dest, { withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = path.join(dest, entry.name);
    const target = fs.readlinkSync(link);
    if (path.isAbsolute(target) || !target.includes("/")) continue;
    fs.unlinkSync(link);
    fs.symlinkSync(path.resolve(SYSTEM_INSTALL, target), link);
  }
  // distribution/ may be a hard-linked folder from the system install: replace, never edit.
  const distribution = path.join(dest, "distribution");
  fs.rmSync(distribution, { recursive: true, force: true });
  fs.mkdirSync(distribution);
  fs.writeFileSync(path.join(distribution, "policies.json"), JSON.stringify({ policies }, null, 2));
}

/**
 * Prefs for a profile with one identity that sends through the sink.
 *
 * @param {{smtpPort: number, marionettePort: number, extra: Record<string, string | number | boolean>}} o
 */
function profilePrefs({ smtpPort, marionettePort, extra }) {
  return {
    // One account with a type=none server, and Local Folders.
    // A type=none account cannot be the default account: compose picks the identity explicitly.
    "mail.accountmanager.accounts": "account1,account2",
    "mail.accountmanager.localfoldersserver": "server2",
    "mail.account.account1.server": "server1",
    "mail.account.account1.identities": "id1",
    "mail.server.server1.type": "none",
    "mail.server.server1.hostname": "sender.invalid",
    "mail.server.server1.name": "Test Sender",
    "mail.server.server1.userName": "sender",
    "mail.account.account2.server": "server2",
    "mail.server.server2.type": "none",
    "mail.server.server2.hostname": "Local Folders",
    "mail.server.server2.name": "Local Folders",
    "mail.server.server2.userName": "nobody",
    "mail.identity.id1.fullName": SENDER.name,
    "mail.identity.id1.useremail": SENDER.email,
    "mail.identity.id1.smtpServer": "smtp1",
    "mail.identity.id1.fcc": false,
    "mail.identity.id1.compose_html": false,
    "mail.identity.id1.valid": true,
    "mail.smtpservers": "smtp1",
    "mail.smtp.defaultserver": "smtp1",
    "mail.smtpserver.smtp1.type": "smtp",
    "mail.smtpserver.smtp1.hostname": "127.0.0.1",
    "mail.smtpserver.smtp1.port": smtpPort,
    "mail.smtpserver.smtp1.authMethod": 1,
    "mail.smtpserver.smtp1.try_ssl": 0,
    "mail.smtpserver.smtp1.username": "",
    // A quiet start: no account wizard, start page, default-client or donation prompts.
    "mail.provider.enabled": false,
    "mailnews.start_page.enabled": false,
    "mail.shell.checkDefaultClient": false,
    "mail.rights.version": 1,
    "mail.inappnotifications.enabled": false,
    "app.donation.eoy.version.viewed": 999,
    "mail.spotlight.firstRunDone": true,
    "mail.winsearch.firstRunDone": true,
    "mailnews.database.global.indexer.enabled": false,
    "toolkit.telemetry.enabled": false,
    "toolkit.telemetry.reportingpolicy.firstRun": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "datareporting.healthreport.uploadEnabled": false,
    "app.update.enabled": false,
    "app.update.auto": false,
    "app.update.checkInstallTime": false,
    "extensions.update.enabled": false,
    "extensions.getAddons.cache.enabled": false,
    // Send without Thunderbird's own prompts getting in the way of the add-on's.
    "mail.compose.attachment_reminder": false,
    "mail.SpellCheckBeforeSend": false,
    "mail.warn_on_send_accel_key": false,
    // An unsigned add-on installed by policy, enabled in every scope.
    "xpinstall.signatures.required": false,
    "extensions.autoDisableScopes": 0,
    // Extension console.log lines on stdout, where the harness reads them.
    "devtools.console.stdout.content": true,
    "browser.dom.window.dump.enabled": true,
    "marionette.port": marionettePort,
    ...extra,
  };
}

/** @param {Record<string, unknown>} prefs */
function userJs(prefs) {
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join("\n") + "\n";
}

/** @typedef {Awaited<ReturnType<typeof startThunderbird>>} Thunderbird a running instance */

/**
 * @typedef {object} StartOptions
 * @property {string} [xpiPath]  the add-on; default findXpi()
 * @property {object | null} [policy]  the add-on's policy (`3rdparty.Extensions[ADDON_ID]`); null for none
 * @property {Record<string, string | number | boolean>} [prefs]  extra user.js prefs
 * @property {import("./smtp-sink.mjs").SmtpSink} [sink]  default: a new sink, stopped by stop()
 * @property {string} [name]  a label for the log file
 * @property {string} [addonId]
 * @property {string | null} [readyLine]  stdout text that says the background started; null to skip
 * @property {number} [startTimeoutMs]
 * @property {boolean} [headless]  default true; false shows the windows (needs a display)
 * @property {Record<string, unknown>} [policies]  more top-level enterprise policies for
 *   policies.json, such as `Preferences`
 */

/**
 * @param {StartOptions} [options]
 */
export async function startThunderbird(options = {}) {
  const {
    xpiPath = findXpi(),
    policy = null,
    prefs = {},
    name = "thunderbird",
    addonId = ADDON_ID,
    readyLine = READY_LINE,
    startTimeoutMs = 30000,
    headless = true,
    policies = {},
  } = options;
  const startedAt = Date.now();
  const ownSink = !options.sink;
  const sink = options.sink ?? (await startSmtpSink());
  const root = makeTempRoot();
  const install = path.join(root, "thunderbird");
  const profile = path.join(root, "profile");
  const logDir = path.join(REPO_ROOT, "target", "e2e-logs");
  fs.mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, `${name.replace(/[^\w.-]+/g, "-")}-${process.pid}-${startedAt}.log`);
  const log = fs.openSync(logPath, "a");
  /** @type {string[]} */
  const lines = [];
  /** @type {Set<() => void>} */
  const lineWaiters = new Set();

  /** @type {import("node:child_process").ChildProcess | null} */
  let child = null;
  /** @type {Marionette | null} */
  let marionette = null;
  let exited = false;
  let stopped = false;

  const stop = async ({ failed = false } = {}) => {
    if (stopped) return;
    stopped = true;
    if (marionette && !marionette.closed && !exited) {
      await marionette.quit({ timeoutMs: 8000 });
    }
    marionette?.close();
    if (child && !exited) {
      const gone = new Promise((resolve) => child?.once("exit", resolve));
      if ((await Promise.race([gone.then(() => true), sleep(10000, undefined, { ref: false }).then(() => false)])) === false) {
        killGroup();
        await Promise.race([gone, sleep(5000, undefined, { ref: false })]);
      }
    }
    // Content processes may outlive the parent for a moment.
    killGroup();
    if (child?.pid) live.delete(child.pid);
    fs.closeSync(log);
    fs.rmSync(root, { recursive: true, force: true });
    if (ownSink) await sink.stop();
    if (!failed && process.env.KEEP_TB_LOGS !== "1") {
      fs.rmSync(logPath, { force: true });
    } else {
      process.stderr.write(`Thunderbird log kept: ${logPath}\n`);
    }
  };

  const killGroup = () => {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };

  try {
    const marionettePort = await freePort();
    makeInstallCopy(install, {
      DisableAppUpdate: true,
      DisableTelemetry: true,
      Extensions: { Install: [xpiPath] },
      ...(policy === null ? {} : { "3rdparty": { Extensions: { [addonId]: policy } } }),
      ...policies,
    });
    fs.mkdirSync(profile);
    fs.writeFileSync(
      path.join(profile, "user.js"),
      userJs(profilePrefs({ smtpPort: sink.port, marionettePort, extra: prefs })),
    );

    const spawned = spawn(
      path.join(install, "thunderbird"),
      ["--profile", profile, "--no-remote", "--marionette", "--remote-allow-system-access"],
      {
        env: {
          ...process.env,
          ...(headless ? { MOZ_HEADLESS: "1" } : {}),
          MOZ_CRASHREPORTER_DISABLE: "1",
          MOZ_NO_REMOTE: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // Its own process group, so stop() can kill the content processes too.
      },
    );
    child = spawned;
    if (spawned.pid) live.add(spawned.pid);
    spawned.on("exit", (code, signal) => {
      exited = true;
      fs.writeSync(log, `\n[harness] thunderbird exited: code=${code} signal=${signal}\n`);
      for (const waiter of [...lineWaiters]) waiter();
    });
    let partial = "";
    const onOutput = (/** @type {Buffer} */ chunk) => {
      fs.writeSync(log, chunk);
      const text = partial + chunk.toString("utf8");
      const parts = text.split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
      for (const waiter of [...lineWaiters]) waiter();
    };
    spawned.stdout?.on("data", onOutput);
    spawned.stderr?.on("data", onOutput);

    /**
     * Waits for an output line containing `text` (or matching a RegExp).
     *
     * @param {string | RegExp} pattern
     * @param {{timeoutMs?: number, from?: number}} [opts]  from: index into `lines`
     * @returns {Promise<string>}
     */
    const waitForLine = (pattern, { timeoutMs = 10000, from = 0 } = {}) =>
      new Promise((resolve, reject) => {
        const matches = (/** @type {string} */ l) =>
          typeof pattern === "string" ? l.includes(pattern) : pattern.test(l);
        const check = () => {
          const found = lines.slice(from).find(matches);
          if (found !== undefined) {
            done();
            resolve(found);
          } else if (exited) {
            done();
            reject(new Error(`Thunderbird exited before printing ${pattern}; log: ${logPath}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Thunderbird did not print ${pattern} within ${timeoutMs} ms; log: ${logPath}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          lineWaiters.delete(check);
        };
        lineWaiters.add(check);
        check();
      });

    marionette = await Marionette.connectWithRetry(marionettePort, {
      timeoutMs: startTimeoutMs,
      isAlive: () => !exited,
    });
    await marionette.newSession();
    await marionette.setContext("chrome");
    await marionette.setTimeouts({ script: 30000, implicit: 0 });

    const addon = await waitForAddon(marionette, addonId, startTimeoutMs);
    if (readyLine) await waitForLine(readyLine, { timeoutMs: startTimeoutMs });
    const readyAt = Date.now();

    return {
      marionette,
      sink,
      profile,
      install,
      logPath,
      lines,
      addon,
      /** Milliseconds from spawn to add-on ready. */
      startupMs: readyAt - startedAt,
      waitForLine,
      isRunning: () => !exited,
      stop,
    };
  } catch (e) {
    await stop({ failed: true });
    throw e;
  }
}

/**
 * Waits until the AddonManager reports the add-on installed and active.
 *
 * @param {Marionette} marionette  in chrome context
 * @param {string} addonId
 * @param {number} timeoutMs
 */
async function waitForAddon(marionette, addonId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  /** @type {any} */
  let last = null;
  while (Date.now() < deadline) {
    last = await marionette.execute(
      `const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
       const addon = await AddonManager.getAddonByID(arguments[0]);
       return addon && { id: addon.id, version: addon.version, isActive: addon.isActive,
                         userDisabled: addon.userDisabled, appDisabled: addon.appDisabled,
                         signedState: addon.signedState };`,
      [addonId],
    );
    if (last?.isActive) return last;
    await sleep(100);
  }
  throw new Error(`Add-on ${addonId} not active after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/**
 * Runs `body` with a started Thunderbird, always stops it, keeps the log on failure.
 *
 * @template T
 * @param {StartOptions} options
 * @param {(tb: Awaited<ReturnType<typeof startThunderbird>>) => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withThunderbird(options, body) {
  const tb = await startThunderbird(options);
  let failed = true;
  try {
    const result = await body(tb);
    failed = false;
    return result;
  } finally {
    await tb.stop({ failed });
  }
}
