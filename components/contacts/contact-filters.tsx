import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FilterSelect } from "@/components/ui/filter-select";
import { CONTACT_STATUSES, type TContactListParams } from "@/lib/validations/contact-list";

type Option = { id: string; name: string };

export function hasActiveFilters(params: TContactListParams): boolean {
  return Boolean(params.q || params.tag || params.status || params.sequence || params.scoreMin !== undefined || params.scoreMax !== undefined);
}

/** A GET form: the filters live in the URL, so a filtered list is linkable and the export sees it. */
export function ContactFilters({ params, tags, sequences }: { params: TContactListParams; tags: Option[]; sequences: Option[] }) {
  return (
    // Two rows of four on large screens: in one row of six, the score range got too narrow for its labels and inputs.
    <form action="/contacts" method="get" role="search" aria-label="Filter contacts" className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4">
      <div className="grid gap-1.5 sm:col-span-2">
        <Label htmlFor="filter-q">Search</Label>
        <Input id="filter-q" name="q" type="search" defaultValue={params.q} placeholder="Email or name" />
      </div>
      <FilterSelect id="filter-tag" name="tag" label="Tag" anyLabel="Any tag" value={params.tag} options={tags.map((t) => ({ value: t.id, label: t.name }))} />
      <FilterSelect id="filter-status" name="status" label="Status" anyLabel="Any status" value={params.status} options={CONTACT_STATUSES.map((st) => ({ value: st, label: st[0].toUpperCase() + st.slice(1) }))} />
      <FilterSelect id="filter-sequence" name="sequence" label="In sequence" anyLabel="Any or none" value={params.sequence} options={sequences.map((seq) => ({ value: seq.id, label: seq.name }))} />
      <fieldset className="grid grid-cols-2 gap-2 lg:col-span-2">
        <legend className="sr-only">Lead score range</legend>
        <div className="grid gap-1.5">
          <Label htmlFor="filter-score-min">Score from</Label>
          <Input id="filter-score-min" name="scoreMin" type="number" step={1} defaultValue={params.scoreMin} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="filter-score-max">Score to</Label>
          <Input id="filter-score-max" name="scoreMax" type="number" step={1} defaultValue={params.scoreMax} />
        </div>
      </fieldset>
      {params.sort !== "created" || params.dir ? (
        <>
          <input type="hidden" name="sort" value={params.sort} />
          {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
        </>
      ) : null}
      <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-1">
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
        {hasActiveFilters(params) ? (
          <Button asChild variant="ghost">
            <Link href="/contacts">Clear filters</Link>
          </Button>
        ) : null}
      </div>
    </form>
  );
}
