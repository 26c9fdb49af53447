import type { Metadata } from "next";
import { SignupForm } from "@/components/signup/signup-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Sign up" };

/** The hosted signup form; `?source=webinar` tells signup triggers which form this is. */
export default async function SignupPage({ searchParams }: { searchParams: Promise<{ source?: string | string[] }> }) {
  const { source } = await searchParams;
  const formSource = (Array.isArray(source) ? source[0] : source)?.trim().slice(0, 100) || undefined;
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-xl font-semibold">Stay in the loop</h1>
          <CardDescription>Sign up with your email. You can unsubscribe from any message with one click.</CardDescription>
        </CardHeader>
        <CardContent>
          <SignupForm source={formSource} />
        </CardContent>
      </Card>
    </main>
  );
}
