"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** The same instant on the viewer's own clock; empty on the server (whose zone is not the viewer's). */
export function ViewerTime({ at }: { at: string }) {
  const text = useSyncExternalStore(
    subscribe,
    () => {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const local = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(at));
      return `${local.replace(",", "")} your time (${zone})`;
    },
    () => "",
  );
  return <span data-testid="viewer-time">{text}</span>;
}
