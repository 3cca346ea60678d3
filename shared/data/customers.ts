import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { keyAttributes, keys } from '#shared/keys.ts';
import { createPut, type TransactItem } from '#shared/data/transact.ts';
import { queryPage, type PageRequest } from '#shared/data/query.ts';
import type { Page } from '#shared/data/pagination.ts';

/** The customer's contact details as given; stored on the profile and as a snapshot on each record. */
export const customerDetailsSchema = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().optional(),
});
export type CustomerDetails = z.infer<typeof customerDetailsSchema>;

export const customerSchema = customerDetailsSchema.extend({
  entity: z.literal('customer'),
  customerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

/**
 * A record in a customer's timeline: the item as stored, and its timeline sort key (`<createdAt>#<TYPE>#<id>`, what
 * it is and when it was created).
 */
export interface CustomerRecordRef {
  entity: string;
  timelineKey: string;
  [attribute: string]: unknown;
}

/**
 * Customers, identified by their lower-cased email (docs/contract.md#conventions): an email lookup item maps the
 * address to a stable `customerId`, so every order, case, payment and appointment of one address shares it.
 */
export function makeCustomerStore({ doc, tableName }: { doc: DynamoDBDocumentClient; tableName: string }) {
  return {
    /** The id of the customer with this (already lower-cased) email, if any. */
    async findCustomerIdByEmail(email: string): Promise<string | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.customerEmail.key({ email }), ConsistentRead: true }),
      );
      return typeof Item?.customerId === 'string' ? Item.customerId : undefined;
    },

    async getCustomer(customerId: string): Promise<Customer | undefined> {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.customer.key({ customerId }) }));
      return Item ? customerSchema.parse(Item) : undefined;
    },

    /**
     * The items creating a customer: the email lookup first (its condition fails when another request registered
     * the address meanwhile; re-read and reuse that id), then the profile.
     */
    newCustomerItems(
      customerId: string,
      details: CustomerDetails,
      at: string,
    ): { emailLookup: TransactItem; profile: TransactItem } {
      const customer: Customer = { entity: 'customer', customerId, ...details, createdAt: at, updatedAt: at };
      return {
        emailLookup: createPut(tableName, {
          ...keys.customerEmail.key(details),
          entity: 'customerEmail',
          customerId,
          createdAt: at,
        }),
        profile: createPut(tableName, { ...keys.customer.key({ customerId }), ...customer }),
      };
    },

    /** A customer's records (orders, cases, payments, appointments), newest first. */
    listCustomerRecords(customerId: string, page: PageRequest): Promise<Page<CustomerRecordRef>> {
      const query = keys.customerRecord.query({ customerId }, { ascending: false });
      const sortKey = keyAttributes(query.index).sk;
      return queryPage(doc, tableName, query, page, (item) => ({
        ...item,
        entity: String(item.entity),
        timelineKey: String(item[sortKey]),
      }));
    },
  };
}

export type CustomerStore = ReturnType<typeof makeCustomerStore>;
