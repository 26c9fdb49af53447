/**
 * Why an import row was not saved, in the words the import report shows:
 * the field, the offending value as the file had it, and the message
 * ("Lead score "99999999": At most 1000000").
 */
import type { FieldErrors } from "../errors";
import type { TContactInput } from "../validations/contact";

const FIELD_LABELS: Record<string, string> = {
  email: "Email",
  firstName: "First name",
  lastName: "Last name",
  leadScore: "Lead score",
  timezone: "Time zone",
  tags: "Tags",
  attributes: "Attributes",
};

export function describeAppError(message: string, fieldErrors: FieldErrors | undefined, input: TContactInput): string {
  if (!fieldErrors || Object.keys(fieldErrors).length === 0) return message;
  return Object.entries(fieldErrors)
    .map(([field, messages]) => {
      const value = offendingValue(input, field);
      return `${fieldLabel(field)}${value === undefined ? "" : ` "${truncate(value)}"`}: ${messages.join(", ")}`;
    })
    .join("; ");
}

/** The value a field error is about ("email", "tags.1", "attributes.plan"), as the file had it. */
function offendingValue(input: TContactInput, path: string): string | undefined {
  const [head, ...rest] = path.split(".");
  let value: unknown = (input as Record<string, unknown>)[head];
  for (const key of rest) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function fieldLabel(path: string): string {
  const [head, ...rest] = path.split(".");
  if (head === "attributes" && rest.length) return `Attribute "${rest[0]}"`;
  if (head === "tags" && rest.length) return "Tag";
  return FIELD_LABELS[head] ?? path;
}

export function truncate(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
