import { ReplyDetectionNotice } from "@/components/replies/reply-detection-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** Whether replies can end sequences ("exit when the contact replies"), and how to turn that on. */
export function ReplyDetectionSettings({ configured }: { configured: boolean }) {
  return (
    <Card aria-labelledby="reply-detection-heading" role="region">
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle id="reply-detection-heading">Reply detection</CardTitle>
          <Badge variant={configured ? "success" : "warning"}>{configured ? "Configured" : "Not configured"}</Badge>
        </div>
        <CardDescription>
          Sequences with &ldquo;Exit when the contact replies&rdquo; end when a reply is detected. Replies arrive through the signed webhook{" "}
          <code>POST /api/webhooks/replies</code> or are read from a connected mailbox.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {configured ? (
          <p className="text-sm">
            Replies end those sequences when they arrive through the webhook (signed with <code>WEBHOOK_SECRET</code>, when set) or in the
            connected mailbox (when one is connected below).
          </p>
        ) : (
          <ReplyDetectionNotice />
        )}
      </CardContent>
    </Card>
  );
}
