"use client";

// Client-only on purpose: a module-level store on the server would be shared across requests,
// and importing toast() from a server component now fails loudly instead of silently doing nothing.

import type { ComponentProps } from "react";
import {
  Provider as ToastProviderPrimitive,
  Viewport as ToastViewportPrimitive,
  Root as ToastRoot,
  Title as ToastTitlePrimitive,
  Description as ToastDescriptionPrimitive,
  Close as ToastClosePrimitive,
} from "@radix-ui/react-toast";
import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "@/lib/utils/cn";

export type ToastVariant = "default" | "success" | "destructive";

export type ToastOptions = {
  title: string;
  description?: string;
  variant?: ToastVariant;
};

export type ToastRecord = ToastOptions & { id: number };

const MAX_TOASTS = 5;
const EMPTY: ToastRecord[] = [];

let toasts: ToastRecord[] = EMPTY;
let nextId = 1;
const listeners = new Set<() => void>();

function setToasts(next: ToastRecord[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

/** Show a toast from any client component. Returns a handle to dismiss it early. */
export function toast(options: ToastOptions): { id: number; dismiss: () => void } {
  const id = nextId++;
  setToasts([...toasts, { ...options, id }].slice(-MAX_TOASTS));
  return { id, dismiss: () => dismissToast(id) };
}

export function dismissToast(id: number): void {
  setToasts(toasts.filter((t) => t.id !== id));
}

/** useSyncExternalStore adapter, consumed by <Toaster />. */
export const toastStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  getSnapshot: () => toasts,
  getServerSnapshot: () => EMPTY,
};

export const ToastProvider = ToastProviderPrimitive;

export function ToastViewport({ className, ...props }: ComponentProps<typeof ToastViewportPrimitive>) {
  return (
    <ToastViewportPrimitive
      className={cn(
        "fixed right-0 bottom-0 z-[100] m-0 flex max-h-screen w-full list-none flex-col gap-2 p-4 sm:max-w-sm",
        className,
      )}
      {...props}
    />
  );
}

const toastVariants = cva(
  "pointer-events-auto relative flex w-full items-start gap-3 rounded-lg border p-4 pr-10 shadow-lg data-[state=open]:animate-fade-in data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=cancel]:translate-x-0 data-[swipe=cancel]:transition-transform",
  {
    variants: {
      variant: {
        default: "bg-background text-foreground",
        success: "border-success bg-success text-success-foreground",
        destructive: "border-destructive bg-destructive text-destructive-foreground",
      },
    },
    defaultVariants: { variant: "default" },
  },
);

export function Toast({
  className,
  variant,
  ...props
}: ComponentProps<typeof ToastRoot> & VariantProps<typeof toastVariants>) {
  return (
    <ToastRoot
      className={cn(toastVariants({ variant }), className)}
      data-toast=""
      data-variant={variant ?? "default"}
      {...props}
    />
  );
}

export function ToastTitle({ className, ...props }: ComponentProps<typeof ToastTitlePrimitive>) {
  return <ToastTitlePrimitive className={cn("text-sm font-semibold", className)} {...props} />;
}

export function ToastDescription({ className, ...props }: ComponentProps<typeof ToastDescriptionPrimitive>) {
  return <ToastDescriptionPrimitive className={cn("text-sm opacity-90", className)} {...props} />;
}

export function ToastClose({ className, ...props }: ComponentProps<typeof ToastClosePrimitive>) {
  return (
    <ToastClosePrimitive
      aria-label="Dismiss notification"
      className={cn(
        "absolute top-3 right-3 rounded-sm p-0.5 opacity-70 transition-opacity hover:opacity-100 focus-visible:opacity-100",
        className,
      )}
      {...props}
    >
      <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-4">
        <path d="m4 4 8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    </ToastClosePrimitive>
  );
}
