/**
 * A real IMAP server for tests: Debian's dovecot (apt package
 * dovecot-imapd, installed by .ci/run) on 127.0.0.1 from a throwaway
 * config and Maildir. Not installed means a failed test, not a skipped one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";

export type Dovecot = {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Adds a raw message to the user's folder, as a mail server delivering it would. */
  append(raw: string, folder?: string): Promise<number>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
  /** Stops the server, keeping its mail, until resume(). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  dir: string;
};

function dovecotBinary(): string {
  const found = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"].find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error("dovecot is not installed: `apt-get install -y dovecot-imapd` (.ci/run installs it). The IMAP tests need a real IMAP server.");
  }
  return found;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, up: boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open === up) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not ${up ? "start" : "stop"} listening on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `oauth2IntrospectionUrl`: XOAUTH2 (and OAUTHBEARER) logins too, each
 * token checked by POSTing it to that URL (RFC 7662 introspection: the
 * answer must say active: true and name the user). Passwords still work.
 */
export async function startDovecot(options: { oauth2IntrospectionUrl?: string } = {}): Promise<Dovecot> {
  const binary = dovecotBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stepwise-dovecot-"));
  // dovecot's auth process runs as user dovecot: mkdtemp's 0700 locks it out.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const user = "sender@example.test";
  const password = "imap-test-password";
  fs.writeFileSync(path.join(dir, "users"), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  fs.mkdirSync(path.join(dir, "mail"));
  fs.mkdirSync(path.join(dir, "run"));
  const conf = path.join(dir, "dovecot.conf");
  fs.writeFileSync(
    conf,
    [
      "protocols = imap",
      "listen = 127.0.0.1",
      `base_dir = ${dir}/run`,
      "ssl = no",
      "disable_plaintext_auth = no",
      `log_path = ${dir}/dovecot.log`,
      `auth_mechanisms = plain login${options.oauth2IntrospectionUrl ? " xoauth2 oauthbearer" : ""}`,
      // Refused passwords and tokens are part of these tests: refuse at once, not after
      // the 2 s failure delay, nor after anvil's per-IP penalty that doubles with each
      // failure up to 15 s (login_trusted_networks did not lift it: dovecot 2.3 on
      // Debian still waited 5, 8, 16 s); its documented switch is the listener's mode 0.
      "auth_failure_delay = 0",
      "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}",
      ...(options.oauth2IntrospectionUrl ? [`passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${dir}/oauth2.conf.ext\n}`] : []),
      `passdb {\n  driver = passwd-file\n${options.oauth2IntrospectionUrl ? "  mechanisms = plain login\n" : ""}  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
      `userdb {\n  driver = static\n  args = uid=mail gid=mail home=${dir}/mail/%u\n}`,
      "mail_location = maildir:~/Maildir",
      "first_valid_uid = 1",
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n}`,
      "",
    ].join("\n"),
  );
  if (options.oauth2IntrospectionUrl) {
    fs.writeFileSync(
      path.join(dir, "oauth2.conf.ext"),
      [`introspection_url = ${options.oauth2IntrospectionUrl}`, "introspection_mode = post", "username_attribute = username", "active_attribute = active", "active_value = true", ""].join("\n"),
      { mode: 0o644 },
    );
  }
  execFileSync("chown", ["-R", "mail:mail", path.join(dir, "mail")]);

  const start = async () => {
    // Output to files, not pipes: the daemon inherits them and would hold a
    // pipe open, so spawnSync would wait for it forever.
    const out = fs.openSync(path.join(dir, "start.out"), "w");
    const result = spawnSync(binary, ["-c", conf], { stdio: ["ignore", out, out] });
    fs.closeSync(out);
    if (result.status !== 0) throw new Error(`dovecot failed to start: ${fs.readFileSync(path.join(dir, "start.out"), "utf8")}`);
    await waitForPort(port, true);
  };
  const stop = async () => {
    spawnSync("doveadm", ["-c", conf, "stop"], { stdio: "ignore" });
    await waitForPort(port, false);
  };
  await start();

  const client = async () => {
    const c = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass: password }, logger: false });
    c.on("error", () => {});
    await c.connect();
    return c;
  };

  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    dir,
    async append(raw, folder = "INBOX") {
      const c = await client();
      try {
        const result = await c.append(folder, raw);
        if (!result || !result.uid) throw new Error("APPEND returned no UID");
        return result.uid;
      } finally {
        await c.logout();
      }
    },
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    pause: stop,
    resume: start,
  };
}
