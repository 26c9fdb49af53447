import { Badge } from "@/components/ui/badge";
import { EXIT_REASON_DEFINITIONS, EXIT_REASONS } from "@/lib/sequences/exit-reasons";

/** Every way out of the sequence; all but reply are always on. */
export function ExitRulesList({ exitOnReply }: { exitOnReply: boolean }) {
  return (
    <ul className="grid gap-2 text-sm" aria-label="Exit rules">
      {EXIT_REASONS.map((reason) => {
        const def = EXIT_REASON_DEFINITIONS[reason];
        const on = def.alwaysOn || (reason === "replied" && exitOnReply);
        return (
          <li key={reason} className="flex items-start justify-between gap-3" data-exit-rule={reason}>
            <div>
              <div className="font-medium">{def.label}</div>
              <div className="text-muted-foreground">{def.description}</div>
            </div>
            <Badge variant={on ? "success" : "outline"}>{def.alwaysOn ? "Always on" : on ? "On" : "Off"}</Badge>
          </li>
        );
      })}
    </ul>
  );
}
