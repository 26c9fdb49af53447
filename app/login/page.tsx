import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "password:changed": "Your password was changed and every session ended. Sign in with the new password.",
  "password:reset": "Your new password is set. Sign in with it.",
  "invite:accepted": "Welcome to the team. Sign in with the password you chose.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; password?: string; invite?: string }> }) {
  if (await getCurrentUser()) redirect("/sequences");
  const { callbackUrl, password, invite } = await searchParams;
  const notice = NOTICES[`password:${password}`] ?? NOTICES[`invite:${invite}`];
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-xl font-semibold">Sign in to Stepwise</h1>
          <CardDescription>Email sequences that stop the moment they should.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {notice ? (
            <p className="text-sm" role="status">
              {notice}
            </p>
          ) : null}
          <LoginForm callbackUrl={callbackUrl} />
          <Link href="/login/forgot" className="block text-sm text-primary hover:underline">
            Forgot password?
          </Link>
        </CardContent>
      </Card>
    </main>
  );
}
