/**
 * What the case intake needs to know about a batch's people and threads, read in three queries up front
 * and kept current in memory as the batch opens and joins cases (inside the batch's transaction), so a
 * mention costs a few writes instead of a dozen round trips.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Mention } from '../mentions/mention.ts';
import { mapPeopleOfAuthors } from '../people/person.repository.ts';
import { personForAuthor } from '../people/person.service.ts';
import * as cases from './case.repository.ts';

type Trx = Transaction<Database>;
const ACTIVE = new Set(['open', 'pending_customer']);

export class IntakeView {
  private readonly cases = new Map<number, cases.Case>();
  private readonly byMessage = new Map<string, Set<number>>();
  private readonly openOf = new Map<string, number>();
  private readonly loadedPeople = new Set<number>();

  private constructor(
    private readonly trx: Trx,
    private readonly workspaceId: number,
    private readonly people: Map<number, number>,
  ) {}

  static async load(trx: Trx, workspaceId: number, mentions: Mention[]): Promise<IntakeView> {
    const authors = [...new Set(mentions.map((m) => m.author?.id).filter((a): a is number => a !== undefined))];
    const view = new IntakeView(trx, workspaceId, await mapPeopleOfAuthors(trx, authors));
    const parents = [...new Set(mentions.map((m) => m.parentExternalId).filter((p): p is string => !!p))];
    for (const { externalId, case: c } of await cases.listCasesByMessages(trx, workspaceId, parents)) {
      view.put(c);
      view.addMessage(externalId, c.id);
    }
    await view.loadPeople([...new Set(view.people.values())]);
    return view;
  }

  private async loadPeople(personIds: number[]): Promise<void> {
    const fresh = personIds.filter((p) => !this.loadedPeople.has(p));
    fresh.forEach((p) => this.loadedPeople.add(p));
    for (const c of await cases.listOpenCasesOfPeople(this.trx, this.workspaceId, fresh)) this.put(c);
  }

  /** The person of the mention's author, linking or creating one (and loading their open cases). */
  async personOf(m: Mention, now: number): Promise<number | null> {
    if (!m.author) return null;
    const known = this.people.get(m.author.id);
    if (known !== undefined) return known;
    // Authors not in the map had no person when the batch started (or were created by it).
    const { personId, created } = await personForAuthor(this.trx, this.workspaceId, m.author, now, true, { channel: m.channel, extra: m.extra });
    this.people.set(m.author.id, personId);
    if (created) this.loadedPeople.add(personId);
    else await this.loadPeople([personId]);
    return personId;
  }

  /** The newest not-closed case of `brandId` holding message `externalId`. */
  thread(brandId: number, externalId: string): cases.Case | undefined {
    const ids = [...(this.byMessage.get(externalId) ?? [])].sort((a, b) => b - a);
    return ids.map((id) => this.cases.get(id)!).find((c) => c.brandId === brandId && c.status !== 'closed');
  }

  openCaseOf(personId: number, brandId: number): cases.Case | undefined {
    const id = this.openOf.get(`${personId}:${brandId}`);
    return id === undefined ? undefined : this.cases.get(id);
  }

  /** Records the current state of a case (after a write). */
  put(c: cases.Case): void {
    this.cases.set(c.id, c);
    if (c.personId === null || c.brandId === null) return;
    const key = `${c.personId}:${c.brandId}`;
    const current = this.openOf.get(key);
    if (ACTIVE.has(c.status) && (current === undefined || current <= c.id)) this.openOf.set(key, c.id);
    else if (!ACTIVE.has(c.status) && current === c.id) this.openOf.delete(key);
  }

  addMessage(externalId: string, caseId: number): void {
    this.byMessage.set(externalId, (this.byMessage.get(externalId) ?? new Set()).add(caseId));
  }
}
