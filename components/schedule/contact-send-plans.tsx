import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getContactSendPlans } from "@/lib/sequences/schedule-preview";
import { SendPlanList } from "./send-plan-list";

/** The contact page's "Planned sends": every remaining step of every live enrollment. */
export async function ContactSendPlans({ contactId }: { contactId: string }) {
  const plans = await getContactSendPlans(contactId);
  return (
    <Card className="mt-4">
      <CardHeader>
        <CardTitle>Planned sends</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {plans.length === 0 ? <p className="text-sm text-muted-foreground">No sends planned: the contact is not waiting in an active sequence.</p> : null}
        {plans.map((plan) => (
          <section key={plan.sequenceId} aria-label={`Planned sends in ${plan.sequenceName}`} className="grid gap-2">
            <h3 className="font-semibold">{plan.sequenceName}</h3>
            <SendPlanList plan={plan} />
          </section>
        ))}
      </CardContent>
    </Card>
  );
}
