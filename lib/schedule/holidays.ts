/**
 * Public holidays by country, from the maintained `date-holidays` data set. The
 * only module that knows that library: the planner sees a HolidayCalendar.
 * Country-wide holidays only (no states or regions): a schedule names a country.
 */
import Holidays, { type HolidaysTypes } from "date-holidays";
import type { HolidayCalendar } from "./types";

/** Days off for everyone. Bank holidays (often half days, e.g. German Christmas Eve from 14:00) and observances send as usual. */
const CLOSED_TYPES: HolidaysTypes.HolidayType[] = ["public"];

const calendars = new Map<string, HolidayCalendar>();

/** The country's holiday calendar, or null when `country` is null or not in the data set. */
export function holidayCalendar(country: string | null): HolidayCalendar | null {
  if (country === null) return null;
  const code = country.toUpperCase();
  if (!isHolidayCountry(code)) return null;
  let calendar = calendars.get(code);
  if (!calendar) {
    calendar = buildCalendar(code);
    calendars.set(code, calendar);
  }
  return calendar;
}

function buildCalendar(code: string): HolidayCalendar {
  const source = new Holidays(code, { languages: ["en"], types: CLOSED_TYPES });
  const years = new Map<number, Map<string, string>>();
  const yearOf = (year: number) => {
    let dates = years.get(year);
    if (!dates) {
      dates = new Map();
      for (const holiday of source.getHolidays(year, "en")) {
        const date = holiday.date.slice(0, 10);
        if (!dates.has(date)) dates.set(date, holiday.name);
      }
      years.set(year, dates);
    }
    return dates;
  };
  return { country: code, nameOn: (date) => yearOf(Number(date.slice(0, 4))).get(date) ?? null };
}

let countries: { code: string; name: string }[] | null = null;

/** Every country the data set covers, by English name: for the schedule form. */
export function holidayCountries(): { code: string; name: string }[] {
  countries ??= Object.entries(new Holidays().getCountries("en"))
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return countries;
}

export function isHolidayCountry(code: string): boolean {
  return holidayCountries().some((country) => country.code === code.toUpperCase());
}
