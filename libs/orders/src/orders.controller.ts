import {
  AuthenticatedUser,
  CurrentUser,
  IdempotencyKey,
  Idempotent,
  PaginationQueryDto,
  ProblemDetailsDto,
  SignedInRoute,
  VerifiedEmailRoute,
} from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OrderIdParams } from './dto/order-id.params';
import { OrderPageResponse, OrderResponse } from './dto/order.response';
import { PlaceOrderDto } from './dto/place-order.dto';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@SignedInRoute()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @VerifiedEmailRoute()
  @Idempotent({ required: true })
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Place an order: reserves stock for every line, all or nothing' })
  @ApiCreatedResponse({ type: OrderResponse })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'INVENTORY_INSUFFICIENT or IDEMPOTENCY_IN_PROGRESS' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description:
      'ORDER_PRODUCT_UNAVAILABLE (an unknown or inactive product), ORDER_CURRENCY_MISMATCH (products in several currencies) or IDEMPOTENCY_KEY_REUSED',
  })
  place(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: PlaceOrderDto,
    // Checked (present, 1..255 chars) by the idempotency interceptor before this runs.
    @IdempotencyKey() idempotencyKey: string,
  ): Promise<OrderResponse> {
    return this.orders.place(user, body.items, idempotencyKey);
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The caller's orders (all orders for an admin), newest first" })
  @ApiOkResponse({ type: OrderPageResponse })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: PaginationQueryDto): Promise<OrderPageResponse> {
    return this.orders.list(user, query.limit, query.cursor);
  }

  @Get(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'One order (owner or admin)' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: "ORDER_NOT_FOUND (also another customer's order)" })
  get(@CurrentUser() user: AuthenticatedUser, @Param() params: OrderIdParams): Promise<OrderResponse> {
    return this.orders.get(user, params.id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a placed order and release its stock (owner or admin)' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: "ORDER_NOT_FOUND (also another customer's order)" })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'ORDER_NOT_CANCELLABLE' })
  cancel(@CurrentUser() user: AuthenticatedUser, @Param() params: OrderIdParams): Promise<OrderResponse> {
    return this.orders.cancel(user, params.id);
  }
}
