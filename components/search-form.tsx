import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A GET search form: the query lives in the URL, so results are linkable. */
export function SearchForm({ action, q, placeholder, label }: { action: string; q?: string; placeholder: string; label: string }) {
  return (
    <form action={action} method="get" role="search" className="flex max-w-md gap-2">
      <label htmlFor="search-q" className="sr-only">
        {label}
      </label>
      <Input id="search-q" name="q" type="search" defaultValue={q} placeholder={placeholder} />
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}
