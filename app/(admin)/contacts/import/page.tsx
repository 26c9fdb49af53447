import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin-shell/page-header";
import { ImportWizard } from "@/components/contacts/import/import-wizard";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { getCurrentUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Import contacts" };

export default async function ImportContactsPage() {
  const user = await getCurrentUser();
  const canImport = !!user && hasRole(user.role, "marketer");
  return (
    <>
      <PageHeader
        title="Import contacts"
        description="Known emails are updated (matched case-insensitively), new ones are added. Rows with errors are skipped and listed at the end."
        actions={
          <Button asChild variant="outline">
            <Link href="/contacts">Back to contacts</Link>
          </Button>
        }
      />
      {canImport ? <ImportWizard /> : <EmptyState title="Only marketers and admins can import contacts" />}
    </>
  );
}
