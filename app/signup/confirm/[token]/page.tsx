import type { Metadata } from "next";
import { ConfirmSignupForm } from "@/components/signup/confirm-signup-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Confirm your subscription", referrer: "no-referrer" };

/** Double opt-in: the emailed link lands here; only the button confirms (link scanners only GET). */
export default async function ConfirmSignupPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-xl font-semibold">Confirm your subscription</h1>
          <CardDescription>Press the button to start receiving our email. If you did not sign up, close this page.</CardDescription>
        </CardHeader>
        <CardContent>
          <ConfirmSignupForm token={token.slice(0, 200)} />
        </CardContent>
      </Card>
    </main>
  );
}
