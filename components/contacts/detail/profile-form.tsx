"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { updateContactProfileAction } from "@/lib/actions/contacts/update-contact-profile-action";

type Row = { id: number; key: string; value: string };

function attributeText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Name, time zone and custom attributes (key/value rows). */
export function ProfileForm({ contactId, initial }: {
  contactId: string;
  initial: { firstName: string | null; lastName: string | null; timezone: string; attributes: Record<string, unknown> };
}) {
  const router = useRouter();
  const [firstName, setFirstName] = useState(initial.firstName ?? "");
  const [lastName, setLastName] = useState(initial.lastName ?? "");
  const [timezone, setTimezone] = useState(initial.timezone);
  const [rows, setRows] = useState<Row[]>(() => Object.entries(initial.attributes).map(([key, value], id) => ({ id, key, value: attributeText(value) })));
  const [nextId, setNextId] = useState(rows.length);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [timeZones, setTimeZones] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();

  // Browser and server know different zone lists; fill the suggestions after hydration.
  useEffect(() => setTimeZones(["UTC", ...Intl.supportedValuesOf("timeZone")]), []);

  function updateRow(id: number, patch: Partial<Row>) {
    setRows((prev) => prev.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await updateContactProfileAction({
        contactId,
        firstName,
        lastName,
        timezone,
        attributes: rows.map(({ key, value }) => ({ key, value })),
      });
      if (result.ok) {
        setErrors({});
        toast({ title: "Profile saved", variant: "success" });
        router.refresh();
      } else {
        setErrors(result.fieldErrors ?? {});
        toast({ title: result.message, variant: "destructive" });
      }
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate aria-label="Edit profile">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="First name" htmlFor="profile-first-name" error={errors.firstName}>
          <Input value={firstName} onChange={(e) => setFirstName(e.target.value)} maxLength={100} autoComplete="off" />
        </Field>
        <Field label="Last name" htmlFor="profile-last-name" error={errors.lastName}>
          <Input value={lastName} onChange={(e) => setLastName(e.target.value)} maxLength={100} autoComplete="off" />
        </Field>
      </div>
      <Field label="Time zone" htmlFor="profile-timezone" error={errors.timezone} hint="An IANA zone such as Europe/Paris, or UTC.">
        <Input value={timezone} onChange={(e) => setTimezone(e.target.value)} list="profile-timezones" autoComplete="off" />
      </Field>
      <datalist id="profile-timezones">
        {timeZones.map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Custom attributes</legend>
        {rows.length === 0 ? <p className="text-sm text-muted-foreground">None yet.</p> : null}
        {rows.map((row, index) => (
          <div key={row.id} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <Field label={`Attribute ${index + 1} name`} htmlFor={`attr-key-${row.id}`} error={errors[`attributes.${index}.key`]}>
              <Input value={row.key} onChange={(e) => updateRow(row.id, { key: e.target.value })} placeholder="company" />
            </Field>
            <Field label={`Attribute ${index + 1} value`} htmlFor={`attr-value-${row.id}`} error={errors[`attributes.${index}.value`]}>
              <Input value={row.value} onChange={(e) => updateRow(row.id, { value: e.target.value })} />
            </Field>
            <Button
              type="button"
              variant="ghost"
              size="sm"
              className="mt-6"
              aria-label={`Remove attribute ${row.key || index + 1}`}
              onClick={() => setRows((prev) => prev.filter((r) => r.id !== row.id))}
            >
              Remove
            </Button>
          </div>
        ))}
        {errors.attributes ? <p className="text-sm font-medium text-destructive">{errors.attributes.join(" ")}</p> : null}
        <div>
          <Button
            type="button"
            variant="outline"
            size="sm"
            onClick={() => {
              setRows((prev) => [...prev, { id: nextId, key: "", value: "" }]);
              setNextId((n) => n + 1);
            }}
          >
            Add attribute
          </Button>
        </div>
      </fieldset>
      <div>
        <Button type="submit" pending={pending}>
          Save profile
        </Button>
      </div>
    </form>
  );
}
