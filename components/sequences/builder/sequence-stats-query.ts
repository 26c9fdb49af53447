"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

/** The stats panel's query key: one place, so mutations refresh exactly that panel. */
export const sequenceStatsKey = (sequenceId: string) => ["sequence-stats", sequenceId] as const;

/**
 * Refetches the sequence's numbers now: after a change the page made, the
 * panel should not wait for its next poll to show it.
 */
export function useRefreshSequenceStats(sequenceId: string): () => void {
  const client = useQueryClient();
  return useCallback(() => void client.invalidateQueries({ queryKey: sequenceStatsKey(sequenceId) }), [client, sequenceId]);
}
