"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type FunnelPoint = { name: string; delivered: number; opened: number; clicked: number; replied: number };

const SERIES = [
  { key: "delivered", label: "Delivered", color: "#64748b" },
  { key: "opened", label: "Opened", color: "#0ea5e9" },
  { key: "clicked", label: "Clicked", color: "#6366f1" },
  { key: "replied", label: "Replied", color: "#16a34a" },
] as const;

/** Per step: delivered, then unique opens, clicks and replies (people only). The table beside it has the same numbers. */
export function FunnelChart({ data }: { data: FunnelPoint[] }) {
  return (
    <div className="h-72 w-full" role="img" aria-label="Funnel per step: delivered, opened, clicked and replied">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tickLine={false} />
          <YAxis allowDecimals={false} tickLine={false} width={48} />
          <Tooltip />
          <Legend />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
