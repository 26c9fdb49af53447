import { MERGE_TAG_HELP } from "@/lib/email/render";

export function MergeTagHelp({ id }: { id: string }) {
  return (
    <div id={id} className="text-xs text-muted-foreground">
      <p className="mb-1 font-medium">Merge tags</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        {MERGE_TAG_HELP.map(({ tag, description }) => (
          <div key={tag} className="contents">
            <dt>
              <code className="rounded bg-muted px-1">{tag}</code>
            </dt>
            <dd>{description}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
