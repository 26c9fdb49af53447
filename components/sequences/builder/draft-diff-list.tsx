import type { DiffEntry } from "@/lib/sequences/versions/diff";

const FIELD: Record<"subject" | "body" | "delay", string> = { subject: "subject", body: "message", delay: "delay" };

function describe(e: DiffEntry): string {
  switch (e.kind) {
    case "added":
      return `Added step ${e.number}: "${e.subject}"`;
    case "removed":
      return `Deleted step ${e.number}: "${e.subject}"`;
    case "changed":
      return `Changed the ${e.fields.map((f) => FIELD[f]).join(", ")} of step ${e.number}: "${e.subject}"`;
    case "moved":
      return `Moved "${e.subject}" from step ${e.from} to step ${e.to}`;
  }
}

/** A draft's differences from the live version, one line each. */
export function DraftDiffList({ diff }: { diff: DiffEntry[] }) {
  if (diff.length === 0) return <p className="mt-2 text-muted-foreground">No differences from the live version yet.</p>;
  return (
    <ul className="mt-2 list-disc space-y-0.5 pl-5" aria-label="Differences from the live version">
      {diff.map((e) => (
        <li key={`${e.kind}-${e.stepId}`} data-diff-kind={e.kind}>
          {describe(e)}
        </li>
      ))}
    </ul>
  );
}
