/** Fails (exit 1) when prisma/schema.prisma and prisma/migrations disagree. */
import { runPrisma } from "../lib/db/migrate";
import { throwawayDatabase } from "./lib/database";

const db = await throwawayDatabase("drift");
let code = 1;
try {
  const result = await runPrisma(
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script", "--exit-code"],
    db.url,
    { allowExit: [2] },
  );
  if (result.code === 0) {
    console.log("schema drift: none (schema.prisma matches prisma/migrations)");
    code = 0;
  } else {
    console.error("schema drift: schema.prisma differs from prisma/migrations. Run `npm run db:migration -- <name>`.\n");
    console.error(result.output);
  }
} finally {
  await db.stop();
}
process.exit(code);
