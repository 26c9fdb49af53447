import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/admin-shell/not-found-panel";

export const metadata: Metadata = { title: "Not found" };

/** notFound() from any admin page lands here, inside the shell, with a link back. */
export default function AdminNotFound() {
  return <NotFoundPanel />;
}
