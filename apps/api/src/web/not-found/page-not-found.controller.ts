import { All, Controller, NotFoundException, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@quarterly/platform';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';

/**
 * Any other address under /app: the "Page not found" page, in the pages' layout, for a person who
 * typed or followed a wrong link (the JSON API's problem document is for programs). Registered
 * after every other page controller, so it only answers what none of them does.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app')
export class PageNotFoundController {
  @All('*path')
  notFound(): never {
    throw new NotFoundException('no page at this address');
  }
}
