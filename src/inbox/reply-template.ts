/**
 * Saved replies: a named text with language variants (en, de, es …) and variables in double braces —
 * {{customer.name}}, {{customer.handle}}, {{agent.name}}, {{brand.name}}, {{case.id}}. Rendering picks the
 * variant in the case's language, else English, else the first; unknown variables are left visible so the
 * agent sees what was not filled.
 */
import { z } from 'zod';

export const templateInput = z.object({
  name: z.string().trim().min(1).max(120),
  variants: z.record(z.string().regex(/^[a-z]{2}$/, 'use ISO 639-1 codes such as "de"'), z.string().min(1).max(10_000)).refine((v) => Object.keys(v).length > 0, 'give at least one language variant'),
});
export type TemplateInput = z.output<typeof templateInput>;

export interface ReplyTemplate extends TemplateInput {
  id: number;
  updatedAt: number;
}

export type TemplateVariables = Record<string, string | number | null | undefined>;

/** Fills {{name}} placeholders; unknown or empty ones stay as written. */
export function renderTemplate(text: string, vars: TemplateVariables): string {
  return text.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (all, key: string) => {
    const v = vars[key];
    return v === undefined || v === null || v === '' ? all : String(v);
  });
}

/** The variant for `lang`: exact, else English, else the first. */
export function pickVariant(variants: Record<string, string>, lang: string | null): { lang: string; text: string } {
  const key = (lang && variants[lang] !== undefined ? lang : undefined) ?? (variants.en !== undefined ? 'en' : Object.keys(variants)[0]!);
  return { lang: key, text: variants[key]! };
}
