/**
 * Seeds a database:
 *  - always: the first admin, from STEPWISE_ADMIN_EMAIL / STEPWISE_ADMIN_PASSWORD
 *    (created only if no user has that email; the password is never reset);
 *  - with --demo: a marketer and a viewer, tags, contacts and two sequences,
 *    only into an empty database (no sequences yet).
 *
 *   npm run db:seed -- --demo
 */
import { hashPassword } from "../lib/auth/password";
import { createPrismaClient, type Db } from "../lib/db/prisma";

export const DEMO_PASSWORD = "stepwise-demo";

export async function seedAdmin(db: Db, email: string, password: string): Promise<void> {
  const normalized = email.trim().toLowerCase();
  if (await db.user.findUnique({ where: { email: normalized } })) return;
  await db.user.create({ data: { email: normalized, name: "Admin", role: "admin", passwordHash: await hashPassword(password) } });
  console.log(`[seed] created admin ${normalized}`);
}

const FIRST_NAMES = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia"];
const LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman"];

export async function seedDemo(db: Db): Promise<void> {
  if ((await db.sequence.count()) > 0) {
    console.log("[seed] demo data already present");
    return;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [email, name, role] of [
    ["marketer@stepwise.local", "Morgan Marketer", "marketer"],
    ["viewer@stepwise.local", "Vic Viewer", "viewer"],
  ] as const) {
    await db.user.upsert({ where: { email }, update: {}, create: { email, name, role, passwordHash } });
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
  console.log(`[seed] demo data: ${contacts.length} contacts, 3 tags, 2 sequences; demo users' password: ${DEMO_PASSWORD}`);
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
    if (process.argv.includes("--demo")) await seedDemo(db);
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
