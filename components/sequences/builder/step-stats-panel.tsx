"use client";

import { useQuery } from "@tanstack/react-query";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EXIT_REASON_DEFINITIONS, EXIT_REASONS } from "@/lib/sequences/exit-reasons";
import type { SequenceStats } from "@/lib/sequences/stats";
import { sequenceStatsKey } from "./sequence-stats-query";

const POLL_MS = 5_000;

async function fetchStats(sequenceId: string): Promise<SequenceStats> {
  const response = await fetch(`/api/sequences/${sequenceId}/stats`, { cache: "no-store", headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? "Could not load the numbers.");
  }
  return response.json();
}

const fmt = (n: number) => n.toLocaleString("en");

/** Per-step and exit numbers, refreshed every few seconds while the page is open. */
export function StepStatsPanel({ sequenceId }: { sequenceId: string }) {
  const { data, error, isPending, isFetching } = useQuery({
    queryKey: sequenceStatsKey(sequenceId),
    queryFn: () => fetchStats(sequenceId),
    refetchInterval: POLL_MS,
  });

  if (isPending) {
    return (
      <div aria-busy="true" aria-label="Loading numbers" className="grid gap-2">
        <Skeleton className="h-8 w-full" />
        <Skeleton className="h-8 w-full" />
        <Skeleton className="h-8 w-2/3" />
      </div>
    );
  }
  if (error && !data) {
    return <p className="text-sm font-medium text-destructive">{error.message}</p>;
  }

  return (
    <div className="grid gap-4" aria-busy={isFetching || undefined} data-stats-panel="">
      <dl className="flex flex-wrap gap-6 text-sm">
        <div>
          <dt className="text-muted-foreground">In the sequence</dt>
          <dd className="text-lg font-semibold tabular-nums" data-stat="active">
            {fmt(data.active + data.paused)}
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Completed</dt>
          <dd className="text-lg font-semibold tabular-nums" data-stat="completed">
            {fmt(data.completed)}
          </dd>
        </div>
      </dl>
      {data.steps.length === 0 ? (
        <p className="text-sm text-muted-foreground">No steps yet.</p>
      ) : (
        <Table aria-label="Step statistics">
          <TableHeader>
            <TableRow>
              <TableHead>Step</TableHead>
              <TableHead className="text-right">Waiting</TableHead>
              <TableHead className="text-right">Sent</TableHead>
              <TableHead className="text-right">Skipped</TableHead>
              <TableHead className="text-right">Failed</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.steps.map((s) => (
              <TableRow key={s.stepId} data-step-stats={s.number}>
                <TableHead scope="row" className="h-auto py-2 whitespace-normal normal-case tracking-normal text-foreground">
                  {s.number}. {s.subject}
                </TableHead>
                <TableCell className="text-right tabular-nums">{fmt(s.waiting)}</TableCell>
                <TableCell className="text-right tabular-nums">{fmt(s.sent)}</TableCell>
                <TableCell className="text-right tabular-nums">{fmt(s.skipped)}</TableCell>
                <TableCell className="text-right tabular-nums">{fmt(s.failed)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div>
        <h3 className="mb-2 text-sm font-semibold">Exits by reason</h3>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
          {EXIT_REASONS.map((reason) => (
            <div key={reason} className="flex justify-between gap-2" data-exit-count={reason}>
              <dt className="text-muted-foreground">{EXIT_REASON_DEFINITIONS[reason].label}</dt>
              <dd className="tabular-nums">{fmt(data.exits[reason])}</dd>
            </div>
          ))}
        </dl>
      </div>
      {error ? <p className="text-xs text-muted-foreground">Could not refresh: {error.message}</p> : null}
    </div>
  );
}
