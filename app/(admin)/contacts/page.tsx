import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { ContactFilters, hasActiveFilters } from "@/components/contacts/contact-filters";
import { ContactsPagination } from "@/components/contacts/contacts-pagination";
import { ContactsTable } from "@/components/contacts/contacts-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { getCurrentUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listContactFilterOptions, listContacts } from "@/lib/contacts/queries";
import { contactListQuery, firstPageOf, parseContactListParams } from "@/lib/validations/contact-list";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = parseContactListParams(raw);
  const [result, options, user] = await Promise.all([listContacts(params), listContactFilterOptions(), getCurrentUser()]);
  const canEdit = !!user && hasRole(user.role, "marketer");
  const filtered = hasActiveFilters(params);
  const count = `${result.total.toLocaleString("en")}${result.totalIsCapped ? "+" : ""}`;
  const noun = result.total === 1 && !result.totalIsCapped ? "contact" : "contacts";
  const exportQuery = contactListQuery(firstPageOf(params));

  return (
    <>
      <PageHeader
        title="Contacts"
        description={filtered ? `${count} matching ${noun}` : `${count} ${noun}`}
        actions={
          <>
            <Button asChild variant="outline">
              <a href={`/api/contacts/export${exportQuery ? `?${exportQuery}` : ""}`} download>
                Export CSV
              </a>
            </Button>
            {canEdit ? (
              <Button asChild>
                <Link href="/contacts/import">Import CSV</Link>
              </Button>
            ) : null}
          </>
        }
      />
      <div className="mb-4">
        <ContactFilters params={params} tags={options.tags} sequences={options.sequences} />
      </div>
      {result.items.length === 0 ? (
        <EmptyState
          // Past the last row (a position kept in a URL while contacts were deleted): the earlier pages still have them.
          title={result.hasPreviousPage ? "No contacts on this page" : filtered ? "No contacts match these filters" : "No contacts yet"}
          description={result.hasPreviousPage ? undefined : filtered ? "Try a broader search or clear the filters." : canEdit ? "Import a CSV file, or add contacts through the API or a signup form." : undefined}
          action={
            result.hasPreviousPage ? (
              <Button asChild variant="outline">
                <Link href={`/contacts?${contactListQuery(firstPageOf(params))}`}>Back to the first page</Link>
              </Button>
            ) : filtered ? (
              <Button asChild variant="outline">
                <Link href="/contacts">Clear filters</Link>
              </Button>
            ) : null
          }
        />
      ) : (
        <>
          <ContactsTable
            // A new page or filter starts with nothing selected.
            key={contactListQuery(params)}
            items={result.items}
            params={params}
            canEdit={canEdit}
            tags={options.tags}
            enrollableSequences={options.sequences.filter((s) => s.status === "active")}
          />
          <ContactsPagination
            className="mt-2"
            page={result.page}
            pageCount={Math.max(1, Math.ceil(result.total / result.pageSize))}
            countIsCapped={result.totalIsCapped}
            previousHref={result.hasPreviousPage ? `/contacts?${contactListQuery(firstPageOf(params), { before: result.previousCursor ?? undefined })}` : null}
            nextHref={result.hasNextPage && result.nextCursor ? `/contacts?${contactListQuery(firstPageOf(params), { after: result.nextCursor })}` : null}
          />
        </>
      )}
    </>
  );
}
