import { ApiProperty } from '@nestjs/swagger';

export class PlanResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() priceCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['month', 'year'] }) interval: 'month' | 'year';
}

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) planId: string;
  @ApiProperty({ enum: ['active', 'canceled'] }) status: 'active' | 'canceled';
  @ApiProperty({ format: 'date-time' }) currentPeriodStart: string;
  @ApiProperty({ format: 'date-time' }) currentPeriodEnd: string;
  @ApiProperty() cancelAtPeriodEnd: boolean;
}

export class InvoiceLineResponse {
  @ApiProperty() description: string;
  @ApiProperty() amountCents: number;
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ enum: ['initial', 'renewal', 'proration'] }) kind: 'initial' | 'renewal' | 'proration';
  @ApiProperty({ type: [InvoiceLineResponse] }) lines: InvoiceLineResponse[];
  @ApiProperty() totalCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ format: 'date-time' }) periodStart: string;
  @ApiProperty({ format: 'date-time' }) periodEnd: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvoicePageResponse {
  @ApiProperty({ type: [InvoiceResponse] }) items: InvoiceResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ProrationPreviewResponse {
  @ApiProperty({ type: [InvoiceLineResponse] }) lines: InvoiceLineResponse[];
  @ApiProperty() totalCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ format: 'date-time' }) periodStart: string;
  @ApiProperty({ format: 'date-time' }) periodEnd: string;
}

export class PlanChangeResponse {
  @ApiProperty({ type: SubscriptionResponse }) subscription: SubscriptionResponse;
  @ApiProperty({ type: InvoiceResponse }) invoice: InvoiceResponse;
}

export class RenewalRunResponse {
  @ApiProperty() renewed: number;
  @ApiProperty() canceled: number;
}
