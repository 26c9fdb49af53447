import { parseCsv } from "../../lib/contacts/csv";
import { guessImportColumn, type TImportMapping } from "../../lib/validations/contact-import";

/** A CSV file as the browser sends it: header mapped by its names, rows with their lines. */
export function csvFile(text: string) {
  const [header, ...rows] = parseCsv(text);
  return { mapping: header.values.map(guessImportColumn) as TImportMapping, rows };
}
