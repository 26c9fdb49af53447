import { Spinner } from "@/components/ui/spinner";

export default function Loading() {
  return (
    <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
      <Spinner /> Working out where everyone in this sequence would go…
    </p>
  );
}
