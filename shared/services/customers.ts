import { newId } from '#shared/ids.ts';
import { makeCustomerStore, type CustomerDetails } from '#shared/data/customers.ts';
import { makeAuditLog } from '#shared/data/audit.ts';
import type { TransactItem } from '#shared/data/transact.ts';
import type { ServiceDeps } from '#shared/services/write.ts';

/** The customer a submission names: their id, and the items creating them when they are new (else none). */
export interface ResolvedCustomer {
  customerId: string;
  /** The email lookup, the profile and the `customer.created` audit event; put them into the submission's write. */
  items: TransactItem[];
}

/**
 * Customers as submissions (orders, cases) name them: by their lower-cased email, created on first sight. The new
 * customer is written in the same transaction as the submission naming them; when another request registers the same
 * email first, the lookup's condition fails that transaction, and the caller re-reads (`withConcurrencyRetry`) and gets
 * the winner's id here.
 */
export function makeCustomerService({ doc, tableName }: Omit<ServiceDeps, 'now'>) {
  const customers = makeCustomerStore({ doc, tableName });
  const audit = makeAuditLog({ doc, tableName });

  /** The known customer with this email, or a new id with the items creating them, audited as `actor` at `at`. */
  async function findOrCreateCustomer(
    details: CustomerDetails,
    context: { actor: string; at: string },
  ): Promise<ResolvedCustomer> {
    const known = await customers.findCustomerIdByEmail(details.email);
    if (known) return { customerId: known, items: [] };
    const customerId = newId('customer');
    const created = customers.newCustomerItems(customerId, details, context.at);
    return {
      customerId,
      items: [
        created.emailLookup,
        created.profile,
        audit.eventItem({
          actor: context.actor,
          action: 'customer.created',
          entityType: 'customer',
          entityId: customerId,
          at: context.at,
          changes: ['name', 'email', ...(details.phone !== undefined ? ['phone'] : [])],
        }),
      ],
    };
  }

  return { findOrCreateCustomer };
}
