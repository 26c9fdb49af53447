import type { Metadata } from "next";
import Link from "next/link";
import { NewPasswordForm } from "@/components/auth/new-password-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { peekUserToken } from "@/lib/team/tokens";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await peekUserToken(getDb(), "password_reset", decodeURIComponent(token));
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-xl font-semibold">Choose a new password</h1>
          <CardDescription>{link ? `For ${link.email}.` : "This link is not valid any more: it was used, replaced by a newer one, or it expired."}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {link ? <NewPasswordForm token={decodeURIComponent(token)} kind="reset" email={link.email} /> : null}
          <Link href={link ? "/login" : "/login/forgot"} className="block text-sm text-primary hover:underline">
            {link ? "Back to sign in" : "Ask for a new link"}
          </Link>
        </CardContent>
      </Card>
    </main>
  );
}
