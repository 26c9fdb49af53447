"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { updateSequenceScheduleAction } from "@/lib/actions/sequences/update-sequence-schedule-action";
import type { FieldErrors } from "@/lib/errors";
import { describeSchedule } from "@/lib/schedule/describe";
import type { Weekday } from "@/lib/schedule/types";
import { DEFAULT_SCHEDULE, WEEKDAY_NUMBERS, ZUpdateSequenceSchedule, type TStoredSchedule } from "@/lib/validations/schedule";
import { toastResult, validateInput } from "./action-feedback";

const DAY_LABELS: Record<Weekday, string> = { 1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun" };

type Props = {
  sequenceId: string;
  initial: { timezone: string; schedule: TStoredSchedule | null; dailyCap: number | null };
  countries: { code: string; name: string }[];
};

/** When a sequence may send: any time, or days + a daily window (+ holidays), in each contact's zone. */
export function ScheduleForm({ sequenceId, initial, countries }: Props) {
  const router = useRouter();
  const start = initial.schedule ?? DEFAULT_SCHEDULE;
  const [anyTime, setAnyTime] = useState(initial.schedule === null);
  const [days, setDays] = useState<Weekday[]>(start.days);
  const [windowStart, setWindowStart] = useState<string>(start.window.start);
  const [windowEnd, setWindowEnd] = useState<string>(start.window.end);
  const [holidayCountry, setHolidayCountry] = useState(start.holidayCountry ?? "");
  const [timezone, setTimezone] = useState(initial.timezone);
  const [dailyCap, setDailyCap] = useState(initial.dailyCap === null ? "" : String(initial.dailyCap));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);

  // Empty means no cap; anything else is checked by the schema as a number (NaN included, with its message).
  const cap = dailyCap.trim() === "" ? null : Number(dailyCap);
  const input = { sequenceId, timezone, anyTime, days, windowStart, windowEnd, holidayCountry: holidayCountry || null, dailyCap: cap };
  const checked = validateInput(ZUpdateSequenceSchedule, input);
  const countryName = countries.find((c) => c.code === holidayCountry)?.name;
  const summary = !checked.ok
    ? "Fix the fields below to see the schedule in words."
    : describeSchedule(
        anyTime ? null : { days: [...days].sort((a, b) => a - b), window: { start: windowStart as `${number}:${number}`, end: windowEnd as `${number}:${number}` }, timezone, holidayCountry: holidayCountry || null },
        countryName,
      ) + (cap === null ? "" : ` At most ${cap.toLocaleString("en")} a day.`);

  const toggleDay = (day: Weekday) => setDays((current) => (current.includes(day) ? current.filter((d) => d !== day) : [...current, day]));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!checked.ok) return setErrors(checked.fieldErrors);
    startTransition(async () => {
      const result = await updateSequenceScheduleAction(checked.data);
      setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
      if (toastResult(result, "Schedule saved")) router.refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Sending schedule">
      <p className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="schedule-summary" aria-live="polite">
        {summary}
      </p>
      <div className="flex items-center gap-3">
        <Switch id="schedule-any-time" checked={anyTime} onCheckedChange={setAnyTime} />
        <label htmlFor="schedule-any-time" className="text-sm font-medium">
          Send at any time
        </label>
      </div>
      <fieldset className="grid gap-4" disabled={anyTime}>
        <div className="grid gap-1.5">
          <span className="text-sm font-medium" id="schedule-days-label">
            Sending days
          </span>
          <div className="flex flex-wrap gap-3" role="group" aria-labelledby="schedule-days-label" aria-describedby={errors.days ? "schedule-days-error" : undefined}>
            {WEEKDAY_NUMBERS.map((day) => (
              <label key={day} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={days.includes(day)} onChange={() => toggleDay(day)} />
                {DAY_LABELS[day]}
              </label>
            ))}
          </div>
          {errors.days ? (
            <p id="schedule-days-error" data-field-error="" className="text-sm font-medium text-destructive">
              {errors.days.join(" ")}
            </p>
          ) : null}
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Window opens" htmlFor="schedule-window-start" error={errors.windowStart}>
            <Input type="time" value={windowStart} onChange={(e) => setWindowStart(e.target.value)} />
          </Field>
          <Field label="Window closes" htmlFor="schedule-window-end" error={errors.windowEnd} hint="Sends up to this time, inclusive.">
            <Input type="time" value={windowEnd} onChange={(e) => setWindowEnd(e.target.value)} />
          </Field>
        </div>
        <Field label="Holidays" htmlFor="schedule-holidays" error={errors.holidayCountry} hint="Public holidays of this country are not sending days.">
          <NativeSelect value={holidayCountry} onChange={(e) => setHolidayCountry(e.target.value)}>
            <option value="">No holiday calendar</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </fieldset>
      <Field
        label="Sequence time zone"
        htmlFor="schedule-timezone"
        error={errors.timezone}
        hint="Each contact's own zone is used; this one when a contact's is missing or invalid."
      >
        <Input value={timezone} onChange={(e) => setTimezone(e.target.value)} list="schedule-timezones" autoComplete="off" />
      </Field>
      <Field
        label="Daily cap"
        htmlFor="schedule-daily-cap"
        error={errors.dailyCap}
        hint="At most this many emails a day from this sequence (a day in the sequence's time zone); the rest wait for the next day. Empty: no cap."
      >
        <Input type="number" inputMode="numeric" min={1} step={1} value={dailyCap} onChange={(e) => setDailyCap(e.target.value)} placeholder="No cap" />
      </Field>
      <datalist id="schedule-timezones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <div>
        <Button type="submit" pending={pending}>
          Save schedule
        </Button>
      </div>
    </form>
  );
}
