import { cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils/cn";

/** Props Field wires onto its control so the label, hint and error are announced with it. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
};

type FieldProps = {
  label: string;
  /** id of the control; also used to derive `${htmlFor}-hint` and `${htmlFor}-error`. */
  htmlFor: string;
  error?: string | string[];
  hint?: string;
  className?: string;
  /**
   * A single control element (Input, Textarea, NativeSelect, SelectTrigger, Switch...), which
   * receives FieldControlProps, or a render function for controls that need them placed deeper.
   */
  children: ReactElement<Partial<FieldControlProps>> | ((control: FieldControlProps) => ReactNode);
};

export function Field({ label, htmlFor, error, hint, className, children }: FieldProps) {
  const messages = (Array.isArray(error) ? error : [error]).filter(
    (m): m is string => typeof m === "string" && m.length > 0,
  );
  const hintId = hint ? `${htmlFor}-hint` : undefined;
  const errorId = messages.length > 0 ? `${htmlFor}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const controlProps: FieldControlProps = {
    id: htmlFor,
    "aria-describedby": describedBy,
    "aria-invalid": errorId ? true : undefined,
  };

  let control: ReactNode;
  if (typeof children === "function") {
    control = children(controlProps);
  } else if (isValidElement(children)) {
    const own = children.props;
    // The control's own props win, except describedby which is combined so neither is lost.
    control = cloneElement(children, {
      id: own.id ?? controlProps.id,
      "aria-invalid": own["aria-invalid"] ?? controlProps["aria-invalid"],
      "aria-describedby":
        [own["aria-describedby"], describedBy].filter(Boolean).join(" ") || undefined,
    });
  } else {
    control = children;
  }

  return (
    // content-start: a field stretched to its row's height (beside a taller one) keeps its control under the label.
    <div className={cn("grid content-start gap-1.5", className)} data-field="">
      <Label htmlFor={htmlFor}>{label}</Label>
      {control}
      {hint && (
        <p id={hintId} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
      {errorId && (
        <p id={errorId} data-field-error="" className="text-sm font-medium text-destructive">
          {messages.length === 1
            ? messages[0]
            : messages.map((m, i) => (
                // Trailing space keeps textContent readable ("a. b.") while each shows on its own line.
                <span key={i} className="block">
                  {m}{" "}
                </span>
              ))}
        </p>
      )}
    </div>
  );
}
