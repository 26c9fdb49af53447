import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FilterSelect } from "@/components/ui/filter-select";
import { AUDIT_ACTION_CODES, AUDIT_ACTIONS, AUDIT_OBJECT_TYPES, AUDIT_OBJECT_WORDINGS } from "@/lib/audit/actions";
import type { TAuditParams } from "@/lib/validations/audit";

type Props = { params: TAuditParams; actors: { id: string; label: string }[] };

/** A GET form: the filters live in the URL, so a filtered log is linkable and the export sees it. */
export function AuditFilters({ params, actors }: Props) {
  return (
    <form action="/settings/audit" method="get" role="search" aria-label="Filter the audit log" className="mb-4 grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-5">
      <FilterSelect id="audit-actor" name="actor" label="Who" anyLabel="Anyone" value={params.actor} options={actors.map((a) => ({ value: a.id, label: a.label }))} />
      <FilterSelect id="audit-action" name="action" label="Action" anyLabel="Any action" value={params.action} options={AUDIT_ACTION_CODES.map((code) => ({ value: code, label: AUDIT_ACTIONS[code] }))} />
      <FilterSelect id="audit-object" name="object" label="Object" anyLabel="Any object" value={params.object} options={AUDIT_OBJECT_TYPES.map((type) => ({ value: type, label: AUDIT_OBJECT_WORDINGS[type] }))} />
      <div className="grid gap-1.5">
        <Label htmlFor="audit-from">From</Label>
        <Input id="audit-from" name="from" type="date" defaultValue={params.from} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-to">To</Label>
        <Input id="audit-to" name="to" type="date" defaultValue={params.to} />
      </div>
      {params.objectId ? <input type="hidden" name="objectId" value={params.objectId} /> : null}
      <div className="flex gap-2 sm:col-span-2 lg:col-span-5">
        <Button type="submit">Apply filters</Button>
        <Button asChild variant="ghost">
          <Link href="/settings/audit">Clear</Link>
        </Button>
      </div>
    </form>
  );
}
