import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FilterSelect } from "@/components/ui/filter-select";
import { EVENT_TYPES, type TActivityParams } from "@/lib/validations/activity";
import { eventTypeWording } from "@/lib/wordings";

type Props = {
  params: TActivityParams;
  sequences: { id: string; name: string }[];
  /** The contact the log is narrowed to (from a contact's page), if any. */
  contact: { id: string; email: string } | null;
};

/** A GET form: the filters live in the URL, so a filtered log is linkable and the export sees it. */
export function ActivityFilters({ params, sequences, contact }: Props) {
  return (
    <form action="/activity" method="get" role="search" aria-label="Filter activity" className="mb-4 grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4">
      <div className="grid gap-1.5 sm:col-span-2">
        <Label htmlFor="activity-q">Search</Label>
        <Input id="activity-q" name="q" type="search" defaultValue={params.q} placeholder="Contact email or name" />
      </div>
      <FilterSelect id="activity-sequence" name="sequence" label="Sequence" anyLabel="Any sequence" value={params.sequence} options={sequences.map((seq) => ({ value: seq.id, label: seq.name }))} />
      <FilterSelect id="activity-type" name="type" label="Event" anyLabel="Any event" value={params.type} options={EVENT_TYPES.map((type) => ({ value: type, label: eventTypeWording(type) }))} />
      <div className="grid gap-1.5">
        <Label htmlFor="activity-from">From (UTC)</Label>
        <Input id="activity-from" name="from" type="date" defaultValue={params.from} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="activity-to">To (UTC)</Label>
        <Input id="activity-to" name="to" type="date" defaultValue={params.to} />
      </div>
      {contact ? (
        <div className="grid content-end gap-1.5 text-sm">
          <input type="hidden" name="contact" value={contact.id} />
          <span>
            Contact: <span className="font-medium">{contact.email}</span>
          </span>
        </div>
      ) : null}
      <div className="flex items-end gap-2 lg:col-start-4 lg:justify-end">
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        <Link href="/activity" className="px-2 py-2 text-sm text-primary hover:underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
