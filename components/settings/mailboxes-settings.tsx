"use client";

import { useState } from "react";
import type { MailboxEntry } from "@/lib/mailbox/settings";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/select";
import { MailboxSettings } from "./mailbox-settings";
import { MailboxState } from "./mailbox-state";

const NO_SENDER = "none";
const keyOf = (entry: MailboxEntry) => entry.senderId ?? NO_SENDER;

/**
 * Every sender's mailbox with its state, and the form for the one picked:
 * connect, test, change or disconnect it.
 */
export function MailboxesSettings({ entries }: { entries: MailboxEntry[] }) {
  const [picked, setPicked] = useState(() => keyOf(entries[0]));
  const current = entries.find((entry) => keyOf(entry) === picked) ?? entries[0];
  return (
    <div className="grid gap-6">
      <ul className="grid gap-4" aria-label="Mailboxes">
        {entries.map((entry) => (
          <li key={keyOf(entry)} className="grid gap-2 rounded-md border p-3">
            <p className="text-sm font-medium">
              {entry.label}
              {entry.isDefault ? <span className="text-muted-foreground"> · default sender</span> : null}
            </p>
            {entry.mailbox ? <MailboxState label={entry.label} mailbox={entry.mailbox} /> : <p className="text-sm text-muted-foreground">No mailbox connected: replies to this sender are not read.</p>}
          </li>
        ))}
      </ul>
      <div className="grid gap-4">
        <Field label="Mailbox of" htmlFor="mailbox-sender" hint="Pick the sender whose mailbox to connect, test or disconnect. Senders are managed under Settings → Senders.">
          <NativeSelect value={picked} onChange={(e) => setPicked(e.target.value)}>
            {entries.map((entry) => (
              <option key={keyOf(entry)} value={keyOf(entry)}>
                {entry.label}
                {entry.mailbox ? "" : " (not connected)"}
              </option>
            ))}
          </NativeSelect>
        </Field>
        {/* Keyed on the sender: picking another starts from its own stored settings. */}
        <MailboxSettings key={keyOf(current)} senderId={current.senderId} mailbox={current.mailbox} />
      </div>
    </div>
  );
}
