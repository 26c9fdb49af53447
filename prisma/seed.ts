/**
 * Seeds a database:
 *  - the first admin (created only if no user has that email; an existing
 *    user's password is never reset);
 *  - demo data (a marketer and a viewer, tags, contacts, two sequences), once
 *    per database and only into an empty one: an InstallationMarker row
 *    records it, so demo users and sequences deleted later stay deleted.
 *
 *   npm run db:seed -- --demo   (admin from STEPWISE_ADMIN_EMAIL / STEPWISE_ADMIN_PASSWORD;
 *                                demo users get generated passwords, printed)
 */
import { randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { createPrismaClient, type Db } from "../lib/db/prisma";

export const DEMO_MARKER = "demo-data";
export const DEMO_USERS = [
  { email: "marketer@stepwise.local", name: "Morgan Marketer", role: "marketer" },
  { email: "viewer@stepwise.local", name: "Vic Viewer", role: "viewer" },
] as const;

/** Creates the admin unless a user with that email exists; true when created. */
export async function seedAdmin(db: Db, email: string, password: string | (() => string)): Promise<boolean> {
  const normalized = email.trim().toLowerCase();
  if (await db.user.findUnique({ where: { email: normalized } })) return false;
  const plain = typeof password === "function" ? password() : password;
  await db.user.create({ data: { email: normalized, name: "Admin", role: "admin", passwordHash: await hashPassword(plain) } });
  console.log(`[seed] created admin ${normalized}`);
  return true;
}

/** The password earlier versions gave every demo user, published in the README. */
const RETIRED_DEMO_PASSWORD = "stepwise-demo";

/**
 * Installs made before passwords were generated still have demo users with
 * the once-published password: give each a new one (returned, to print once).
 */
export async function retirePublishedPassword(db: Db, passwordFor: (email: string) => string): Promise<{ email: string; role: string; password: string }[]> {
  const candidates = await db.user.findMany({
    where: { email: { in: ["admin@stepwise.local", ...DEMO_USERS.map((u) => u.email)] } },
    select: { id: true, email: true, role: true, passwordHash: true },
  });
  const renewed: { email: string; role: string; password: string }[] = [];
  for (const user of candidates) {
    if (!(await verifyPassword(RETIRED_DEMO_PASSWORD, user.passwordHash))) continue;
    const password = passwordFor(user.email);
    // A new password also ends the user's sessions (sessionVersion).
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password), sessionVersion: { increment: 1 } } });
    console.log(`[seed] ${user.email} had the formerly published demo password: replaced`);
    renewed.push({ email: user.email, role: user.role, password });
  }
  return renewed;
}

export type DemoSeedResult =
  | { seeded: true; users: { email: string; role: string; password: string }[] }
  | { seeded: false; reason: "seeded_before" | "not_empty" };

const FIRST_NAMES = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia"];
const LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman"];

/**
 * Seeds the demo data into an empty database, once: `passwordFor` gives each
 * demo user's password. Records the marker in the same transaction, so two
 * starts racing seed once and a later start never seeds again.
 */
export async function seedDemo(db: Db, passwordFor: (email: string) => string): Promise<DemoSeedResult> {
  if (await db.installationMarker.findUnique({ where: { key: DEMO_MARKER } })) return { seeded: false, reason: "seeded_before" };
  if ((await db.sequence.count()) > 0 || (await db.contact.count()) > 0) {
    // A database in use (or seeded before markers existed): never add demo data to it.
    await db.installationMarker.createMany({ data: [{ key: DEMO_MARKER }], skipDuplicates: true });
    return { seeded: false, reason: "not_empty" };
  }
  const users = DEMO_USERS.map((user) => ({ ...user, password: passwordFor(user.email) }));
  const hashes = await Promise.all(users.map((user) => hashPassword(user.password)));
  const created = await db.$transaction(
    async (tx) => {
      const claimed = await tx.installationMarker.createMany({ data: [{ key: DEMO_MARKER }], skipDuplicates: true });
      if (claimed.count === 0) return false;
      await seedDemoData(tx as unknown as Db, users.map((user, i) => ({ email: user.email, name: user.name, role: user.role, passwordHash: hashes[i] })));
      return true;
    },
    { timeout: 60_000 },
  );
  if (!created) return { seeded: false, reason: "seeded_before" };
  return { seeded: true, users };
}

async function seedDemoData(db: Db, users: { email: string; name: string; role: "marketer" | "viewer"; passwordHash: string }[]): Promise<void> {
  for (const user of users) {
    // An existing user with that email (the operator's) is left alone.
    await db.user.upsert({ where: { email: user.email }, update: {}, create: user });
  }

  const [trial, customer, webinar] = await Promise.all(
    ["trial", "customer", "webinar"].map((name) => db.tag.upsert({ where: { name }, update: {}, create: { name } })),
  );

  await db.contact.createMany({
    data: FIRST_NAMES.flatMap((first, i) =>
      [0, 1].map((n) => ({
        email: `${first}.${LAST_NAMES[i]}${n ? n + 1 : ""}@example.com`.toLowerCase(),
        firstName: first,
        lastName: LAST_NAMES[i],
        leadScore: (i * 7 + n * 13) % 60,
        timezone: n ? "Europe/Berlin" : "America/New_York",
        attributes: { company: `${LAST_NAMES[i]} Labs`, plan: n ? "pro" : "free" },
      })),
    ),
    skipDuplicates: true,
  });
  const contacts = await db.contact.findMany({ orderBy: { email: "asc" }, select: { id: true } });
  await db.contactTag.createMany({
    data: contacts.slice(0, 6).map((c, i) => ({ contactId: c.id, tagId: (i % 2 ? customer : webinar).id })),
    skipDuplicates: true,
  });

  await db.sequence.create({
    data: {
      name: "Trial onboarding",
      description: "Three emails over the first week of a trial.",
      status: "active",
      exitOnReply: true,
      reentryPolicy: "after_completion",
      steps: {
        create: [
          { position: 0, delayAmount: 0, delayUnit: "minutes", subject: "Welcome to Acme, {{firstName}}", body: "Hi {{firstName}},\n\nThanks for starting a trial. Reply to this email if you need a hand.\n\nThe Acme team" },
          { position: 1, delayAmount: 2, delayUnit: "days", subject: "Three things to try first", body: "Hi {{firstName}},\n\nMost teams at companies like {{company}} start with these three features..." },
          { position: 2, delayAmount: 5, delayUnit: "days", subject: "How is your trial going?", body: "Hi {{firstName}},\n\nYour trial ends soon. Want a walkthrough? Just reply." },
        ],
      },
      triggers: { create: [{ type: "tag_added", tagId: trial.id }, { type: "signup", signupSource: null }] },
    },
  });
  await db.sequence.create({
    data: {
      name: "Hot lead follow-up",
      description: "Sales outreach when a lead's score reaches 50.",
      status: "draft",
      exitOnReply: true,
      reentryPolicy: "never",
      steps: {
        create: [
          { position: 0, delayAmount: 1, delayUnit: "hours", subject: "Quick question, {{firstName}}", body: "Hi {{firstName}},\n\nSaw your team at {{company}} has been busy. Worth a 15 minute call?" },
          { position: 1, delayAmount: 3, delayUnit: "days", subject: "Following up", body: "Hi {{firstName}}, just bumping this in case it got buried." },
        ],
      },
      triggers: { create: [{ type: "score_threshold", scoreThreshold: 50 }] },
    },
  });
  console.log(`[seed] demo data: ${contacts.length} contacts, 3 tags, 2 sequences, users ${users.map((u) => u.email).join(", ")}`);
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database).");
  const email = process.env.STEPWISE_ADMIN_EMAIL;
  const password = process.env.STEPWISE_ADMIN_PASSWORD;
  const db = createPrismaClient(url, { poolSize: 2 });
  try {
    if (email && password) await seedAdmin(db, email, password);
    else console.log("[seed] STEPWISE_ADMIN_EMAIL / STEPWISE_ADMIN_PASSWORD not set: no admin created");
    if (process.argv.includes("--demo")) {
      // Operator-run: the generated passwords are printed here, nowhere else.
      const result = await seedDemo(db, () => randomBytes(15).toString("base64url"));
      if (result.seeded) for (const user of result.users) console.log(`[seed] ${user.email} (${user.role}): ${user.password}`);
      else console.log(`[seed] demo data not seeded (${result.reason === "seeded_before" ? "seeded before" : "the database is not empty"})`);
    }
  } finally {
    await db.$disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
