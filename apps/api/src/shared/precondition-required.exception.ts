import { HttpException, HttpStatus } from '@nestjs/common';

/** RFC 6585 428: the request must be conditional (If-Match) so it cannot act on a stale view. */
export class PreconditionRequiredException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.PRECONDITION_REQUIRED);
  }
}
