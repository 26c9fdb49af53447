import { ReplyDetectionNotice } from "@/components/replies/reply-detection-notice";
import { Badge } from "@/components/ui/badge";
import { EXIT_REASON_DEFINITIONS, EXIT_REASONS } from "@/lib/sequences/exit-reasons";

/**
 * Every way out of the sequence; all but reply are always on. Exit-on-reply
 * reads "On, not detected" while reply detection is not configured.
 */
export function ExitRulesList({ exitOnReply, replyDetection }: { exitOnReply: boolean; replyDetection: boolean }) {
  return (
    <ul className="grid gap-2 text-sm" aria-label="Exit rules">
      {EXIT_REASONS.map((reason) => {
        const def = EXIT_REASON_DEFINITIONS[reason];
        const on = def.alwaysOn || (reason === "replied" && exitOnReply);
        const undetected = reason === "replied" && on && !replyDetection;
        return (
          <li key={reason} className="grid gap-2" data-exit-rule={reason}>
            <div className="flex items-start justify-between gap-3">
              <div>
                <div className="font-medium">{def.label}</div>
                <div className="text-muted-foreground">{def.description}</div>
              </div>
              <Badge variant={undetected ? "warning" : on ? "success" : "outline"}>{def.alwaysOn ? "Always on" : undetected ? "On, not detected" : on ? "On" : "Off"}</Badge>
            </div>
            {undetected ? <ReplyDetectionNotice /> : null}
          </li>
        );
      })}
    </ul>
  );
}
