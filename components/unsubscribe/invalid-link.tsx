import { PublicPanel } from "./public-panel";

/** Shown for a forged, edited or expired link: calm, and nothing changed. */
export function InvalidLink() {
  return (
    <PublicPanel
      title="This link is not valid any more"
      description="This unsubscribe link is not valid any more: it may have expired, or been copied incompletely. Nothing was changed."
    >
      <p className="text-sm text-muted-foreground">
        To unsubscribe, use the link at the bottom of a recent email from us, or reply to that email and ask us to remove you.
      </p>
    </PublicPanel>
  );
}
