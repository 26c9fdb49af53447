import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { statusWording } from "@/lib/wordings";

// One map serves sequences, enrollments and contacts: shared names (active, paused, bounced)
// mean the same thing everywhere, so they share a colour.
const STATUS_VARIANTS: Record<string, BadgeVariant> = {
  // sequence
  draft: "secondary",
  active: "success",
  paused: "warning",
  archived: "outline",
  // enrollment
  completed: "default",
  replied: "success",
  opted_out: "secondary",
  removed: "outline",
  contact_deleted: "outline",
  bounced: "destructive",
  // contact
  subscribed: "success",
  unsubscribed: "secondary",
};

export function statusVariant(status: string): BadgeVariant {
  return STATUS_VARIANTS[status] ?? "outline";
}

export function statusLabel(status: string): string {
  return statusWording(status);
}

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge variant={statusVariant(status)} data-status={status} className={className}>
      {statusLabel(status)}
    </Badge>
  );
}
