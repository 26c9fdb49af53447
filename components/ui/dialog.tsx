import type { ComponentProps } from "react";
import {
  Root as DialogRoot,
  Trigger as DialogTriggerPrimitive,
  Portal as DialogPortal,
  Overlay as DialogOverlayPrimitive,
  Content as DialogContentPrimitive,
  Close as DialogClosePrimitive,
  Title as DialogTitlePrimitive,
  Description as DialogDescriptionPrimitive,
} from "@radix-ui/react-dialog";
import { cn } from "@/lib/utils/cn";

export const Dialog = DialogRoot;
export const DialogTrigger = DialogTriggerPrimitive;
export const DialogClose = DialogClosePrimitive;

type DialogContentProps = ComponentProps<typeof DialogContentPrimitive> & {
  /** Hide the top-right "Close" button (e.g. when the footer already offers Cancel). */
  hideCloseButton?: boolean;
};

export function DialogContent({ className, children, hideCloseButton = false, ...props }: DialogContentProps) {
  return (
    <DialogPortal>
      <DialogOverlayPrimitive className="fixed inset-0 z-50 bg-slate-950/50 data-[state=open]:animate-fade-in" />
      <DialogContentPrimitive
        className={cn(
          "fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto rounded-lg border bg-background p-6 shadow-lg data-[state=open]:animate-zoom-in",
          className,
        )}
        {...props}
      >
        {children}
        {!hideCloseButton && (
          <DialogClosePrimitive
            className="absolute top-4 right-4 rounded-sm p-0.5 text-muted-foreground transition-colors hover:text-foreground disabled:pointer-events-none"
            aria-label="Close"
          >
            <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-4">
              <path d="m4 4 8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
          </DialogClosePrimitive>
        )}
      </DialogContentPrimitive>
    </DialogPortal>
  );
}

export function DialogHeader({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("grid gap-1.5 pr-6 text-left", className)} {...props} />;
}

export function DialogFooter({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("flex flex-col-reverse gap-2 sm:flex-row sm:justify-end", className)} {...props} />;
}

export function DialogTitle({ className, ...props }: ComponentProps<typeof DialogTitlePrimitive>) {
  return <DialogTitlePrimitive className={cn("text-lg leading-none font-semibold", className)} {...props} />;
}

export function DialogDescription({ className, ...props }: ComponentProps<typeof DialogDescriptionPrimitive>) {
  return <DialogDescriptionPrimitive className={cn("text-sm text-muted-foreground", className)} {...props} />;
}
