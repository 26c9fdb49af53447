"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Props = { id: string; value: string | null; onChange: (value: string | null) => void; error?: string[] };

/** "Wait until a date and time" instead of the delay: a wall-clock time in each contact's zone. */
export function WaitUntilField({ id, value, onChange, error }: Props) {
  return (
    <div className="grid gap-2">
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? "" : null)} />
        Wait until a date and time instead
      </label>
      {value !== null ? (
        <Field label="Send at" htmlFor={id} error={error} hint="In each contact's time zone; the sending schedule still applies.">
          <Input type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />
        </Field>
      ) : null}
    </div>
  );
}
