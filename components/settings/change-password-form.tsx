"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changePasswordAction } from "@/lib/actions/account/change-password-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** The signed-in user's own password; success signs them out everywhere, so the login page follows. */
export function ChangePasswordForm() {
  const router = useRouter();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNext] = useState("");
  const [errors, setErrors] = useState<{ currentPassword?: string[]; newPassword?: string[]; form?: string }>({});
  const [pending, startTransition] = useTransition();
  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await changePasswordAction({ currentPassword, newPassword });
      if (result.ok) router.push("/login?password=changed");
      else setErrors({ ...result.fieldErrors, form: result.fieldErrors ? undefined : result.message });
    });
  }
  return (
    <form onSubmit={submit} className="grid max-w-md gap-3" aria-label="Change your password" noValidate>
      <Field label="Current password" htmlFor="current-password" error={errors.currentPassword}>
        <Input type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
      </Field>
      <Field label="New password" htmlFor="new-password" error={errors.newPassword} hint="At least 12 characters; common passwords are refused.">
        <Input type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNext(e.target.value)} />
      </Field>
      {errors.form ? (
        <p className="text-sm text-destructive" data-form-error>
          {errors.form}
        </p>
      ) : null}
      <div>
        <Button type="submit" pending={pending} disabled={!currentPassword || !newPassword}>
          Change password
        </Button>
      </div>
    </form>
  );
}
