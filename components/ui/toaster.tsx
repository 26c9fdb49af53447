"use client";

import { useSyncExternalStore } from "react";
import {
  Toast,
  ToastClose,
  ToastDescription,
  ToastProvider,
  ToastTitle,
  ToastViewport,
  dismissToast,
  toastStore,
} from "@/components/ui/toast";

/** Mount once in the root layout; renders toasts queued with toast() from any client component. */
export function Toaster() {
  const toasts = useSyncExternalStore(toastStore.subscribe, toastStore.getSnapshot, toastStore.getServerSnapshot);
  return (
    <ToastProvider duration={5000} swipeDirection="right">
      {toasts.map(({ id, title, description, variant = "default" }) => (
        <Toast
          key={id}
          variant={variant}
          // Errors interrupt (assertive); confirmations wait for the screen reader to finish (polite).
          type={variant === "destructive" ? "foreground" : "background"}
          onOpenChange={(open) => {
            if (!open) dismissToast(id);
          }}
        >
          <div className="grid gap-1">
            <ToastTitle>{title}</ToastTitle>
            {description && <ToastDescription>{description}</ToastDescription>}
          </div>
          <ToastClose />
        </Toast>
      ))}
      <ToastViewport />
    </ToastProvider>
  );
}
