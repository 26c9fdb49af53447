"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeUserRoleAction } from "@/lib/actions/settings/change-user-role-action";
import { deactivateUserAction } from "@/lib/actions/settings/deactivate-user-action";
import { inviteUserAction } from "@/lib/actions/settings/invite-user-action";
import { reactivateUserAction } from "@/lib/actions/settings/reactivate-user-action";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";

type Member = { id: string; name: string; email: string; role: Role; deactivatedAt: Date | null };
type Invite = { id: string; email: string; role: Role | null; expiresAt: Date };

const ROLES = Object.keys(ROLE_LABELS) as Role[];

export function TeamMembers({ users, invites, currentUserId }: { users: Member[]; invites: Invite[]; currentUserId: string }) {
  return (
    <div className="grid gap-4">
      <InviteForm />
      <Table aria-label="Team members">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((u) => (
            <TableRow key={u.id} data-user-email={u.email}>
              <TableCell>
                {u.name}
                {u.id === currentUserId ? <span className="text-xs text-muted-foreground"> (you)</span> : null}
              </TableCell>
              <TableCell>{u.email}</TableCell>
              <TableCell>
                <RoleSelect user={u} />
              </TableCell>
              <TableCell>{u.deactivatedAt ? <Badge variant="secondary">deactivated</Badge> : <Badge variant="success">active</Badge>}</TableCell>
              <TableCell className="text-right">{u.deactivatedAt ? <ReactivateButton user={u} /> : <DeactivateButton user={u} />}</TableCell>
            </TableRow>
          ))}
          {invites.map((i) => (
            <TableRow key={i.id}>
              <TableCell className="text-muted-foreground">Invited</TableCell>
              <TableCell>{i.email}</TableCell>
              <TableCell>{ROLE_LABELS[i.role ?? "viewer"]}</TableCell>
              <TableCell>
                <Badge variant="secondary">invitation until {formatDateTime(i.expiresAt)}</Badge>
              </TableCell>
              <TableCell />
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function InviteForm() {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("marketer");
  const [errors, setErrors] = useState<{ email?: string[]; role?: string[]; form?: string }>({});
  const [pending, startTransition] = useTransition();
  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await inviteUserAction({ email, role });
      if (result.ok) {
        toast({ title: `Invitation sent to ${result.data.email}`, variant: "success" });
        setEmail("");
        setErrors({});
        router.refresh();
      } else setErrors({ email: result.fieldErrors?.email, role: result.fieldErrors?.role, form: result.fieldErrors ? undefined : result.message });
    });
  }
  return (
    <form onSubmit={submit} className="grid items-end gap-3 sm:grid-cols-[1fr_12rem_auto]" aria-label="Invite a team member" noValidate>
      <Field label="Invite by email" htmlFor="invite-email" error={errors.email}>
        <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Role" htmlFor="invite-role" error={errors.role}>
        <NativeSelect value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Button type="submit" pending={pending} disabled={!email.trim()}>
        Send invitation
      </Button>
      {errors.form ? (
        <p className="text-sm text-destructive sm:col-span-3" data-form-error>
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}

function RoleSelect({ user }: { user: Member }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <NativeSelect
      aria-label={`Role of ${user.email}`}
      value={user.role}
      disabled={pending}
      onChange={(e) => {
        const role = e.target.value as Role;
        startTransition(async () => {
          const result = await changeUserRoleAction({ userId: user.id, role });
          toast(result.ok ? { title: `${user.email} is now ${ROLE_LABELS[role]}`, variant: "success" } : { title: result.message, variant: "destructive" });
          router.refresh();
        });
      }}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </NativeSelect>
  );
}

function DeactivateButton({ user }: { user: Member }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          Deactivate
        </Button>
      }
      title={`Deactivate ${user.email}?`}
      description="They are signed out everywhere at once and cannot sign in until reactivated. What they did stays in the audit log."
      confirmLabel="Deactivate"
      destructive
      onConfirm={async () => {
        const result = await deactivateUserAction({ userId: user.id });
        if (!result.ok) throw new Error(result.message);
        toast({ title: `${user.email} deactivated`, variant: "success" });
        router.refresh();
      }}
    />
  );
}

function ReactivateButton({ user }: { user: Member }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      pending={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await reactivateUserAction({ userId: user.id });
          toast(result.ok ? { title: `${user.email} can sign in again`, variant: "success" } : { title: result.message, variant: "destructive" });
          router.refresh();
        })
      }
    >
      Reactivate
    </Button>
  );
}
