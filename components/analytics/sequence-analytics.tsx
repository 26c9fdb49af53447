import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EXIT_REASON_DEFINITIONS, EXIT_REASONS } from "@/lib/sequences/exit-reasons";
import type { Funnel } from "@/lib/tracking/analytics";
import { loadSequenceAnalytics } from "@/lib/tracking/queries";
import { ZAnalyticsRange } from "@/lib/validations/analytics";
import { FunnelChart } from "./funnel-chart";
import { TrackingToggle } from "./tracking-toggle";
import { formatCount, formatRate } from "./format";

type Props = { sequenceId: string; trackingEnabled: boolean; canEdit: boolean; searchParams: Record<string, string | undefined> };

function FunnelCells({ funnel }: { funnel: Funnel }) {
  const withRate = (n: number, rate: number | null) => (
    <>
      {formatCount(n)} <span className="text-muted-foreground">({formatRate(rate)})</span>
    </>
  );
  return (
    <>
      <TableCell className="text-right tabular-nums">{formatCount(funnel.sent)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatCount(funnel.delivered)}</TableCell>
      <TableCell className="text-right tabular-nums">{withRate(funnel.opened, funnel.rates.open)}</TableCell>
      <TableCell className="text-right tabular-nums">{withRate(funnel.clicked, funnel.rates.click)}</TableCell>
      <TableCell className="text-right tabular-nums">{withRate(funnel.replied, funnel.rates.reply)}</TableCell>
      <TableCell className="text-right tabular-nums">{withRate(funnel.unsubscribed, funnel.rates.unsubscribe)}</TableCell>
      <TableCell className="text-right tabular-nums">{withRate(funnel.bounced, funnel.rates.bounce)}</TableCell>
      <TableCell className="text-right tabular-nums text-muted-foreground">{formatCount(funnel.machine)}</TableCell>
    </>
  );
}

/** The sequence page's engagement section: a date range, the funnel chart and the numbers per step. */
export async function SequenceAnalytics({ sequenceId, trackingEnabled, canEdit, searchParams }: Props) {
  const range = ZAnalyticsRange.parse({ from: searchParams.from, to: searchParams.to });
  const analytics = await loadSequenceAnalytics(sequenceId, range);
  const exits = EXIT_REASONS.filter((r) => r !== "completed" && analytics.exits[r] > 0);
  const rangeWords = range.from || range.to ? `${range.from ?? "the start"} to ${range.to ?? "today"} (UTC days)` : "all time";
  return (
    <Card className="lg:col-span-2" aria-labelledby="engagement-heading">
      <CardHeader>
        <CardTitle id="engagement-heading">Engagement</CardTitle>
        <CardDescription>
          Unique per message, people only: machine opens and clicks (privacy proxies, link scanners) are counted apart. Opens are a lower-confidence figure than clicks and
          replies. {trackingEnabled ? null : "Tracking is off for this sequence: no new opens or clicks are recorded."}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <TrackingToggle sequenceId={sequenceId} enabled={trackingEnabled} canEdit={canEdit} />
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Date range">
          <div className="grid gap-1">
            <Label htmlFor="analytics-from">From</Label>
            <Input id="analytics-from" name="from" type="date" defaultValue={range.from ?? ""} className="w-40" />
          </div>
          <div className="grid gap-1">
            <Label htmlFor="analytics-to">To</Label>
            <Input id="analytics-to" name="to" type="date" defaultValue={range.to ?? ""} className="w-40" />
          </div>
          <Button type="submit" variant="outline">
            Apply
          </Button>
          {range.from || range.to ? (
            <Link href={`/sequences/${sequenceId}`} className="text-sm text-primary hover:underline">
              All time
            </Link>
          ) : null}
          <p className="text-sm text-muted-foreground">Showing {rangeWords}.</p>
        </form>
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Enrollments now">
          {[
            ["Enrolled", analytics.enrolled],
            ["Active", analytics.active],
            ["Completed", analytics.completed],
            ["Exited early", exits.reduce((sum, r) => sum + analytics.exits[r], 0)],
          ].map(([label, value]) => (
            <div key={label} className="rounded-md border p-3">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatCount(value as number)}</dd>
            </div>
          ))}
        </dl>
        {exits.length > 0 ? (
          <p className="text-sm text-muted-foreground">
            Exits: {exits.map((r) => `${EXIT_REASON_DEFINITIONS[r].label.toLowerCase()} ${formatCount(analytics.exits[r])}`).join(" · ")} (enrollments as of now, whatever the range)
          </p>
        ) : null}
        {analytics.steps.length > 0 ? (
          <FunnelChart data={analytics.steps.map((s) => ({ name: `Step ${s.number}`, delivered: s.delivered, opened: s.opened, clicked: s.clicked, replied: s.replied }))} />
        ) : null}
        <Table aria-label="Engagement per step">
          <TableHeader>
            <TableRow>
              <TableHead>Step</TableHead>
              <TableHead className="text-right">Sent</TableHead>
              <TableHead className="text-right">Delivered</TableHead>
              <TableHead className="text-right">Opened</TableHead>
              <TableHead className="text-right">Clicked</TableHead>
              <TableHead className="text-right">Replied</TableHead>
              <TableHead className="text-right">Unsubscribed</TableHead>
              <TableHead className="text-right">Bounced</TableHead>
              <TableHead className="text-right">Machine</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {analytics.steps.map((s) => (
              <TableRow key={s.stepId} data-step-number={s.number}>
                <TableCell className="max-w-64 truncate">
                  {s.number}. {s.subject}
                </TableCell>
                <FunnelCells funnel={s} />
              </TableRow>
            ))}
            <TableRow className="font-medium">
              <TableCell>All steps</TableCell>
              <FunnelCells funnel={analytics.total} />
            </TableRow>
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
