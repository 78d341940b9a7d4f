import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, QuarterlyEngine } from '@quarterly/platform';
import type { Response } from 'express';

/**
 * Prometheus metrics in the text exposition format. Public like `/health`: publish it only on
 * the network the scraper uses (docs/deployment.md, "Metrics").
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly engine: QuarterlyEngine) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() response: Response): Promise<void> {
    const text = await this.engine.metrics.render();
    response.type(this.engine.metrics.contentType).send(text);
  }
}
