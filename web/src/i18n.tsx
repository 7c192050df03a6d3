/**
 * UI text and formatting. Every string the dashboard shows comes from a message catalog (English is the
 * reference; German is complete; the type system refuses a catalog with a missing key), and times are shown
 * in the browser's time zone with Intl.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey, type Messages } from './messages/en.ts';
import { de } from './messages/de.ts';

export const CATALOGS = { en, de } satisfies Record<string, Messages>;
export type Locale = keyof typeof CATALOGS;
export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'de', label: 'Deutsch' },
];

export type Vars = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  /** The message for `key` with `{name}` placeholders filled in. */
  t(key: MessageKey, vars?: Vars): string;
  dateTime(ms: number): string;
  time(ms: number): string;
  /** Day and month, e.g. "23 Nov". */
  day(ms: number): string;
  /** "5 minutes ago" style. */
  relative(ms: number): string;
  number(n: number): string;
  percent(share: number): string;
  timeZone: string;
}

function initialLocale(): Locale {
  const stored = localStorage.getItem('earshot.locale');
  if (stored && stored in CATALOGS) return stored as Locale;
  const nav = navigator.language.slice(0, 2);
  return nav in CATALOGS ? (nav as Locale) : 'en';
}

function build(locale: Locale, setLocale: (l: Locale) => void): I18n {
  const messages: Messages = CATALOGS[locale];
  const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const tm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const dd = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const num = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return {
    locale,
    setLocale,
    t: (key, vars) => {
      const text = messages[key] ?? en[key] ?? key;
      return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
    },
    dateTime: (ms) => dt.format(ms),
    time: (ms) => tm.format(ms),
    day: (ms) => dd.format(ms),
    relative: (ms) => relativeTime(rel, ms),
    number: (n) => num.format(n),
    percent: (s) => pct.format(s),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

function relativeTime(rel: Intl.RelativeTimeFormat, ms: number): string {
  const diff = (ms - Date.now()) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return rel.format(Math.round(diff), 'second');
  if (abs < 2700) return rel.format(Math.round(diff / 60), 'minute');
  if (abs < 79200) return rel.format(Math.round(diff / 3600), 'hour');
  return rel.format(Math.round(diff / 86400), 'day');
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const value = useMemo(() => build(locale, (l) => {
    localStorage.setItem('earshot.locale', l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }), [locale]);
  document.documentElement.lang = locale;
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
