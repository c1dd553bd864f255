import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type Stripe from 'stripe';
import { resourceMissing } from './api-error.model.ts';
import type { CardBrand, IssuerDecision } from './test-cards.catalog.ts';

/** Objects belong to the account (API key) that created them; another account sees nothing. */
export interface Owned<T> {
  account: string;
  object: T;
}

export interface SandboxLineItem {
  name: string;
  unitAmount: number;
  quantity: number;
}

export interface StoredSession extends Owned<Stripe.Checkout.Session> {
  lineItems: SandboxLineItem[];
}

export interface StoredWebhookEndpoint extends Owned<Stripe.WebhookEndpoint> {
  secret: string;
}

/** What the sandbox keeps of a card: never the number or the CVC. */
export interface CardSummary {
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  funding: string;
  country: string | null;
  holderName: string;
}

/** A 3-D Secure challenge waiting for the buyer; the issuer's later answer is known already. */
export interface PendingChallenge {
  id: string;
  sessionId: string;
  card: CardSummary;
  decisionAfterAuthentication: IssuerDecision;
  wrongCodeAttempts: number;
  createdAt: number;
}

export interface SandboxCollections {
  sessions: Map<string, StoredSession>;
  paymentIntents: Map<string, Owned<Stripe.PaymentIntent>>;
  charges: Map<string, Owned<Stripe.Charge>>;
  refunds: Map<string, Owned<Stripe.Refund>>;
  events: Map<string, Owned<Stripe.Event>>;
  webhookEndpoints: Map<string, StoredWebhookEndpoint>;
  challenges: Map<string, PendingChallenge>;
}

type CollectionName = keyof SandboxCollections;
const COLLECTIONS: CollectionName[] = ['sessions', 'paymentIntents', 'charges', 'refunds', 'events', 'webhookEndpoints', 'challenges'];
const FILE_VERSION = 1;

export class SandboxStore {
  readonly data: SandboxCollections = {
    sessions: new Map(),
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    events: new Map(),
    webhookEndpoints: new Map(),
    challenges: new Map(),
  };
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly dataFile?: string) {}

  /** Looks an object up for one account; someone else's id answers exactly like a missing one. */
  owned<T>(map: Map<string, Owned<T> & object>, account: string, id: string, objectName: string, param = 'id'): Owned<T> {
    const found = map.get(id);
    if (!found || found.account !== account) throw resourceMissing(objectName, id, param);
    return found;
  }

  session(account: string, id: string): StoredSession {
    const found = this.data.sessions.get(id);
    if (!found || found.account !== account) throw resourceMissing('checkout.session', id, 'session');
    return found;
  }

  async load(): Promise<void> {
    if (!this.dataFile) return;
    let text: string;
    try {
      text = await readFile(this.dataFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as { version: number } & Record<CollectionName, [string, never][]>;
    if (parsed.version !== FILE_VERSION) throw new Error(`PSP sandbox data file ${this.dataFile} has unknown version ${parsed.version}`);
    for (const name of COLLECTIONS) {
      const map = this.data[name] as Map<string, unknown>;
      map.clear();
      for (const [id, value] of parsed[name] ?? []) map.set(id, value);
    }
  }

  /** Persists soon after a change; several changes in one tick become one write. */
  changed(): void {
    if (!this.dataFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.writeFile()).catch((error) => {
        console.error('psp-sandbox: could not save state', error);
      });
    }, 25);
  }

  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.writeFile());
    }
    await this.saving;
  }

  private async writeFile(): Promise<void> {
    if (!this.dataFile) return;
    const snapshot: Record<string, unknown> = { version: FILE_VERSION };
    for (const name of COLLECTIONS) snapshot[name] = [...(this.data[name] as Map<string, unknown>).entries()];
    await mkdir(dirname(this.dataFile), { recursive: true });
    const temp = `${this.dataFile}.${process.pid}.tmp`;
    // Webhook secrets live here: owner-only, and replaced atomically so a crash never leaves half a file.
    await writeFile(temp, JSON.stringify(snapshot), { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.dataFile);
  }
}
