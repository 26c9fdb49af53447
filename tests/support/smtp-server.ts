/**
 * A real SMTP server on loopback (the smtp-server library) whose behaviour a
 * test sets per phase: accept, answer with a code, stay silent, or drop the
 * connection. Records every message it accepted and every DATA it received.
 */
import type { Socket } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export type Behaviour =
  | { kind: "accept" }
  | { kind: "reply"; code: number; text: string }
  /** Never answers: the client's timeout decides. */
  | { kind: "silent" }
  /** Reads the whole message, then cuts the connection without a reply. */
  | { kind: "drop" };

export type LoopbackSmtp = {
  url: string;
  port: number;
  behaviour: { mailFrom: Behaviour; data: Behaviour };
  /** Messages answered 250 after DATA. */
  accepted: { from: string; to: string[]; raw: string; secure: boolean }[];
  /** Message contents fully received, whatever was answered. */
  received: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** Cuts every open connection now (a server closing idle clients). */
  disconnectAll(): void;
  close(): Promise<void>;
};

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSmtpServer(options: Partial<SMTPServerOptions> = {}): Promise<LoopbackSmtp> {
  const sockets = new Set<Socket>();
  const state: LoopbackSmtp = {
    url: "",
    port: 0,
    behaviour: { mailFrom: { kind: "accept" }, data: { kind: "accept" } },
    accepted: [],
    received: 0,
    connections: 0,
    disconnectAll: () => dropAll(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    ...options,
    onMailFrom(_address, _session, callback) {
      const b = state.behaviour.mailFrom;
      if (b.kind === "reply") return callback(smtpError(b.code, b.text));
      if (b.kind === "silent") return;
      if (b.kind === "drop") return dropAll();
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        state.received += 1;
        const b = state.behaviour.data;
        if (b.kind === "reply") return callback(smtpError(b.code, b.text));
        if (b.kind === "silent") return;
        if (b.kind === "drop") return dropAll();
        state.accepted.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          secure: session.secure,
        });
        callback(null, "Queued as test");
      });
    },
  });
  server.on("error", () => {});
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  const listening = server.listen(0, "127.0.0.1");
  listening.on("connection", (socket: Socket) => {
    sockets.add(socket);
    state.connections += 1;
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => listening.once("listening", () => resolve()));
  const address = listening.address();
  if (!address || typeof address === "string") throw new Error("SMTP server did not bind a port");
  state.port = address.port;
  state.url = `smtp://127.0.0.1:${address.port}`;
  return state;
}
