import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";

export type FilterOption = { value: string; label: string };

/** One labelled select of a GET filter form: the empty "any" choice first, then the options. */
export function FilterSelect({ id, name, label, anyLabel, value, options }: { id: string; name: string; label: string; anyLabel: string; value: string | undefined; options: FilterOption[] }) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <NativeSelect id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
