import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import type { Request, Response } from 'express';
import { ConsistencyQueryDto } from './query.dto';

/** The most rows one page of a history or audit trail holds (and, without `limit`, an audit trail's page). */
export const MAX_PAGE_ROWS = 10_000;

/**
 * Paging of long histories and audit trails by cursor: `cursor` is the position of the last
 * row of the previous page (the answer's `nextCursor`), `limit` the page's size (1–10,000).
 */
export class CursorPageQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: "The previous page's nextCursor: answer the rows after it." })
  @IsOptional() @Matches(/^\d{1,19}$/, { message: "must be a page's nextCursor (a whole number)" })
  cursor?: string;

  @ApiPropertyOptional({ description: 'Rows per page, 1 to 10000.', example: 500 })
  @IsOptional() @Matches(/^(10000|[1-9]\d{0,3})$/, { message: 'must be a whole number from 1 to 10000' })
  limit?: string;
}

/** A history page that can also look back in time. */
export class AsAtCursorPageQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ example: '2026-10-05T17:00:00Z', description: 'Answer as things stood at this instant (default: now).' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant, e.g. 2026-10-05T17:00:00Z' })
  asAt?: string;
}

export interface CursorPage {
  readonly after?: bigint;
  readonly limit?: number;
}

/** The page a query asks for; `defaultLimit` keeps a route's answer without `limit` as it was. */
export function cursorPageOf(query: CursorPageQueryDto, defaultLimit?: number): CursorPage {
  const limit = query.limit !== undefined ? Number(query.limit) : defaultLimit;
  return { ...(query.cursor !== undefined ? { after: BigInt(query.cursor) } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/**
 * The cursor of the next page (the last row's position) when the page came back full, else
 * null; also sent as a `Link: <…>; rel="next"` header so a client can follow it as it is.
 */
export function nextCursorOf(rows: ReadonlyArray<{ position: bigint }>, page: CursorPage, request: Request, response: Response): string | null {
  if (page.limit === undefined || rows.length < page.limit || rows.length === 0) return null;
  const cursor = String(rows[rows.length - 1]!.position);
  const url = new URL(request.originalUrl, 'http://placeholder');
  url.searchParams.set('cursor', cursor);
  url.searchParams.set('limit', String(page.limit));
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
  return cursor;
}
