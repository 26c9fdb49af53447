import type { ComponentProps } from "react";
import {
  Root as SelectRoot,
  Group as SelectGroupPrimitive,
  Value as SelectValuePrimitive,
  Trigger as SelectTriggerPrimitive,
  Icon as SelectIcon,
  Portal as SelectPortal,
  Content as SelectContentPrimitive,
  Viewport as SelectViewport,
  Item as SelectItemPrimitive,
  ItemText as SelectItemText,
  ItemIndicator as SelectItemIndicator,
  Label as SelectLabelPrimitive,
  Separator as SelectSeparatorPrimitive,
} from "@radix-ui/react-select";
import { cn } from "@/lib/utils/cn";
import { controlClassName } from "@/components/ui/input";

function ChevronDown({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className={cn("size-4 opacity-60", className)}>
      <path d="m4 6 4 4 4-4" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

// Radix Select: pass `name` to <Select> to submit with a form; put Field's id on <SelectTrigger>.
export const Select = SelectRoot;
export const SelectGroup = SelectGroupPrimitive;
export const SelectValue = SelectValuePrimitive;

export function SelectTrigger({ className, children, ...props }: ComponentProps<typeof SelectTriggerPrimitive>) {
  return (
    <SelectTriggerPrimitive
      className={cn(
        controlClassName,
        "flex h-9 items-center justify-between gap-2 py-1 text-left data-[placeholder]:text-muted-foreground [&>span]:truncate",
        className,
      )}
      {...props}
    >
      {children}
      <SelectIcon asChild>
        <ChevronDown />
      </SelectIcon>
    </SelectTriggerPrimitive>
  );
}

export function SelectContent({
  className,
  children,
  position = "popper",
  ...props
}: ComponentProps<typeof SelectContentPrimitive>) {
  return (
    <SelectPortal>
      <SelectContentPrimitive
        position={position}
        className={cn(
          "relative z-50 max-h-(--radix-select-content-available-height) min-w-32 overflow-hidden rounded-md border bg-popover text-popover-foreground shadow-md data-[state=open]:animate-fade-in",
          position === "popper" && "w-full min-w-(--radix-select-trigger-width) data-[side=bottom]:translate-y-1 data-[side=top]:-translate-y-1",
          className,
        )}
        {...props}
      >
        <SelectViewport className="p-1">{children}</SelectViewport>
      </SelectContentPrimitive>
    </SelectPortal>
  );
}

export function SelectItem({ className, children, ...props }: ComponentProps<typeof SelectItemPrimitive>) {
  return (
    <SelectItemPrimitive
      className={cn(
        "relative flex w-full cursor-default items-center rounded-sm py-1.5 pr-8 pl-2 text-sm outline-none select-none data-[disabled]:pointer-events-none data-[disabled]:opacity-50 data-[highlighted]:bg-accent data-[highlighted]:text-accent-foreground",
        className,
      )}
      {...props}
    >
      <span className="absolute right-2 flex size-4 items-center justify-center">
        <SelectItemIndicator>
          <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-4">
            <path d="m3.5 8.5 3 3 6-7" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </SelectItemIndicator>
      </span>
      <SelectItemText>{children}</SelectItemText>
    </SelectItemPrimitive>
  );
}

export function SelectLabel({ className, ...props }: ComponentProps<typeof SelectLabelPrimitive>) {
  return <SelectLabelPrimitive className={cn("px-2 py-1.5 text-xs font-medium text-muted-foreground", className)} {...props} />;
}

export function SelectSeparator({ className, ...props }: ComponentProps<typeof SelectSeparatorPrimitive>) {
  return <SelectSeparatorPrimitive className={cn("-mx-1 my-1 h-px bg-border", className)} {...props} />;
}

/** A styled native <select>: works without JS, in plain server-rendered forms, and with Playwright's selectOption. */
export function NativeSelect({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <div className="relative">
      <select
        className={cn(controlClassName, "h-9 appearance-none py-1 pr-9", className)}
        {...props}
      >
        {children}
      </select>
      <ChevronDown className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2" />
    </div>
  );
}
