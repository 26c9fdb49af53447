"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { contactName } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ContactListItem } from "@/lib/contacts/list-contacts";
import { contactListQuery, DEFAULT_SORT_DIR, firstPageOf, type TContactListParams, type TContactSort } from "@/lib/validations/contact-list";
import { BulkActions } from "./bulk-actions";

type Option = { id: string; name: string };

type Props = {
  items: ContactListItem[];
  params: TContactListParams;
  canEdit: boolean;
  tags: Option[];
  enrollableSequences: Option[];
};

function SortHeader({ label, column, params, className }: { label: string; column: TContactSort; params: TContactListParams; className?: string }) {
  const active = params.sort === column;
  const currentDir = params.dir ?? DEFAULT_SORT_DIR[params.sort];
  const nextDir = active ? (currentDir === "asc" ? "desc" : "asc") : DEFAULT_SORT_DIR[column];
  const href = `/contacts?${contactListQuery(firstPageOf(params), { sort: column, dir: nextDir })}`;
  return (
    <TableHead aria-sort={active ? (currentDir === "asc" ? "ascending" : "descending") : undefined} className={className}>
      <Link href={href} className="inline-flex items-center gap-1 hover:underline">
        {label}
        <span aria-hidden="true" className="text-xs">
          {active ? (currentDir === "asc" ? "▲" : "▼") : ""}
        </span>
        <span className="sr-only">{`, sort ${nextDir === "asc" ? "ascending" : "descending"}`}</span>
      </Link>
    </TableHead>
  );
}

/** The contact list with per-row selection (this page) and bulk actions on the selection. */
export function ContactsTable({ items, params, canEdit, tags, enrollableSequences }: Props) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const selectAllRef = useRef<HTMLInputElement>(null);
  const allSelected = items.length > 0 && items.every((c) => selected.has(c.id));
  const someSelected = !allSelected && items.some((c) => selected.has(c.id));

  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = someSelected;
  }, [someSelected]);

  function toggle(id: string, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return (
    <div className="grid gap-3">
      {canEdit && selected.size > 0 ? (
        <BulkActions contactIds={[...selected]} tags={tags} sequences={enrollableSequences} onDone={() => setSelected(new Set())} />
      ) : null}
      <Table aria-label="Contacts">
        <TableHeader>
          <TableRow>
            {canEdit ? (
              <TableHead className="w-10">
                <input
                  ref={selectAllRef}
                  type="checkbox"
                  aria-label="Select all contacts on this page"
                  checked={allSelected}
                  onChange={(e) => setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set())}
                  className="size-4"
                />
              </TableHead>
            ) : null}
            <SortHeader label="Name" column="name" params={params} />
            <SortHeader label="Email" column="email" params={params} />
            <TableHead>Status</TableHead>
            <SortHeader label="Lead score" column="score" params={params} className="text-right" />
            <TableHead>Tags</TableHead>
            <TableHead className="text-right">Live sequences</TableHead>
            <SortHeader label="Added" column="created" params={params} />
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((c) => (
            <TableRow key={c.id} data-selected={selected.has(c.id) || undefined}>
              {canEdit ? (
                <TableCell>
                  <input
                    type="checkbox"
                    aria-label={`Select ${c.email}`}
                    checked={selected.has(c.id)}
                    onChange={(e) => toggle(c.id, e.target.checked)}
                    className="size-4"
                  />
                </TableCell>
              ) : null}
              <TableCell className="font-medium">
                <Link href={`/contacts/${c.id}`} className="text-primary hover:underline">
                  {contactName(c)}
                </Link>
              </TableCell>
              <TableCell>{c.email}</TableCell>
              <TableCell>
                <StatusBadge status={c.status} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{c.leadScore}</TableCell>
              <TableCell>
                <div className="flex flex-wrap gap-1">
                  {c.tags.map((name) => (
                    <Badge key={name} variant="secondary">
                      {name}
                    </Badge>
                  ))}
                </div>
              </TableCell>
              <TableCell className="text-right tabular-nums">{c.liveEnrollments}</TableCell>
              <TableCell className="text-sm whitespace-nowrap">{new Date(c.createdAt).toISOString().slice(0, 10)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
