/** A product as the API shows it (JSON-safe, so it can be cached as is). */
export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export const PRODUCT_FIELDS = [
  'id',
  'sku',
  'name',
  'description',
  'priceCents',
  'currency',
  'active',
  'createdAt',
  'updatedAt',
] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];
