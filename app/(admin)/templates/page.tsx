import type { Metadata } from "next";
import { PageHeader } from "@/components/admin-shell/page-header";
import { SearchForm } from "@/components/search-form";
import { NewSnippetForm } from "@/components/templates/new-snippet-form";
import { TemplateRowActions } from "@/components/templates/template-row-actions";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { bodyTemplateText } from "@/lib/email/body-doc";
import { templatesPageData } from "@/lib/templates/queries";

export const metadata: Metadata = { title: "Templates and snippets" };

type Props = { searchParams: Promise<Record<string, string | undefined>> };

function excerpt(body: string): string {
  const text = bodyTemplateText(body).replace(/\s+/g, " ").trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

export default async function TemplatesPage({ searchParams }: Props) {
  const { q } = await searchParams;
  const { templates, snippets, query } = await templatesPageData(typeof q === "string" ? q : undefined);
  const user = await getCurrentUser();
  const canEdit = !!user && hasRole(user.role, "marketer");
  const date = (d: Date) => d.toISOString().slice(0, 10);
  return (
    <>
      <PageHeader title="Templates and snippets" description="Start a step from a template; insert a snippet (a signature, a footer) from the editor's toolbar." />
      <div className="mb-6">
        <SearchForm action="/templates" q={query} placeholder="Search templates and snippets" label="Search templates and snippets by name" />
      </div>

      <section aria-labelledby="templates-heading" className="mb-10 grid gap-3">
        <h2 id="templates-heading" className="text-lg font-semibold">
          Step templates
        </h2>
        {templates.length === 0 ? (
          <EmptyState
            title={query ? "No template matches your search" : "No templates yet"}
            description={query ? "Try another name." : 'Save a step as a template with "Save as template" in the step editor.'}
          />
        ) : (
          <Table aria-label="Step templates">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Subject</TableHead>
                <TableHead>Message</TableHead>
                <TableHead>Updated</TableHead>
                {canEdit ? <TableHead className="sr-only">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {templates.map((t) => (
                <TableRow key={t.id} data-template={t.name}>
                  <TableCell className="font-medium">{t.name}</TableCell>
                  <TableCell>{t.subject}</TableCell>
                  <TableCell className="max-w-md text-muted-foreground">{excerpt(t.body)}</TableCell>
                  <TableCell>{date(t.updatedAt)}</TableCell>
                  {canEdit ? (
                    <TableCell>
                      <TemplateRowActions kind="template" id={t.id} name={t.name} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section aria-labelledby="snippets-heading" className="grid gap-3">
        <h2 id="snippets-heading" className="text-lg font-semibold">
          Snippets
        </h2>
        {snippets.length === 0 ? (
          <EmptyState title={query ? "No snippet matches your search" : "No snippets yet"} description={query ? "Try another name." : "Add a signature or a footer to insert it into any step."} />
        ) : (
          <Table aria-label="Snippets">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Content</TableHead>
                <TableHead>Updated</TableHead>
                {canEdit ? <TableHead className="sr-only">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {snippets.map((s) => (
                <TableRow key={s.id} data-snippet={s.name}>
                  <TableCell className="font-medium">{s.name}</TableCell>
                  <TableCell className="max-w-md text-muted-foreground">{excerpt(s.body)}</TableCell>
                  <TableCell>{date(s.updatedAt)}</TableCell>
                  {canEdit ? (
                    <TableCell>
                      <TemplateRowActions kind="snippet" id={s.id} name={s.name} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {canEdit ? (
          <div>
            <NewSnippetForm />
          </div>
        ) : null}
      </section>
    </>
  );
}
