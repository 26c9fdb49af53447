import { cn } from "@/lib/utils/cn";

/** How to make replies detectable; shown wherever exit-on-reply is, while nothing can detect one. */
export function ReplyDetectionNotice({ className }: { className?: string }) {
  return (
    <p className={cn("rounded-md bg-warning px-3 py-2 text-sm text-warning-foreground", className)} data-reply-detection="off">
      <span className="font-medium">Reply detection is not configured</span>, so no reply can end a sequence yet. Set{" "}
      <code>WEBHOOK_SECRET</code> on the server and have your mail provider post inbound mail to <code>/api/webhooks/replies</code> (see
      docs/webhooks.md), or connect the mailbox replies go to under Settings, &ldquo;Mailboxes for replies and bounces&rdquo; (docs/mailbox.md). Until then, use &ldquo;Mark as replied&rdquo; on the contact&rsquo;s page.
    </p>
  );
}
