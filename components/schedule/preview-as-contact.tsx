import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/select";
import type { SendPlan } from "@/lib/sequences/schedule-preview";
import { SendPlanList } from "./send-plan-list";

type Props = { contacts: { id: string; label: string }[]; selected: string | null; plan: SendPlan | null };

/** The builder's "preview as contact": pick a contact, see when each step would reach them if enrolled now. */
export function PreviewAsContact({ contacts, selected, plan }: Props) {
  return (
    <div className="grid gap-3">
      {/* A plain GET form: the plan is computed on the server from the page's query string. */}
      <form method="get" className="flex flex-wrap items-end gap-2" aria-label="Preview as contact">
        <label className="grid gap-1.5 text-sm font-medium">
          Contact
          <NativeSelect name="previewContact" defaultValue={selected ?? ""}>
            <option value="" disabled>
              Pick a contact
            </option>
            {contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </NativeSelect>
        </label>
        <Button type="submit" variant="outline">
          Preview
        </Button>
      </form>
      {plan ? <SendPlanList plan={plan} /> : <p className="text-sm text-muted-foreground">Shows when each step would go out if this contact enrolled now.</p>}
    </div>
  );
}
